package dev.nines.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nines.console.app.HostScreen;
import dev.nines.console.app.Screen;
import dev.nines.console.client.BackendClient;
import dev.nines.console.client.ConnectionStore;
import dev.nines.console.client.LiveBackend;
import dev.nines.console.connect.ConnectView;
import dev.nines.console.fleet.FleetRow;
import dev.nines.console.fleet.FleetScreen;
import dev.nines.console.fleet.FleetView;
import dev.nines.console.fleet.Metric;
import dev.nines.console.fx.Fx;
import dev.nines.console.fx.FxExtension;
import dev.nines.console.fx.Snapshots;
import dev.nines.console.theme.Theme;
import dev.nines.console.theme.Themes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.event.Event;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real console (connection dialog, shell, fleet screen) headless against a real backend fed by
 * agent reports: a bad token, then the fleet filling and moving live, filter, sort, open a host,
 * shortcuts and both themes, with screenshots.
 */
@ExtendWith(FxExtension.class)
class ConsoleUiTest {
  static final int HOSTS = 14;
  static final int ROUNDS = 30;
  @TempDir static Path dir;
  @TempDir Path config;
  static LiveBackend backend;
  static FleetFeeder feeder;
  static String operator;
  Stage stage;
  ConsoleWindow window;

  @BeforeAll
  static void start() {
    backend = new LiveBackend(dir);
    feeder = new FleetFeeder(backend);
    operator = backend.token("operator", "alice");
    long start = System.currentTimeMillis() - ROUNDS * 5000L;
    for (int t = 0; t < ROUNDS; t++) {
      for (int h = 0; h < HOSTS; h++) {
        double temp = h == 3 ? 97 + t % 3 : 52 + 3 * (h % 7) + 4 * Math.sin((t + h) / 3.0);
        long at = t == ROUNDS - 1 ? System.currentTimeMillis() : start + t * 5000L; // 5 s apart, the last now
        assertThat(feeder.report(hostId(h), h < 8 ? "llama-70b" : "mixtral-8x7b", h, t, temp, at)).isEqualTo(200);
      }
    }
    BackendClient op = backend.client(operator);
    op.drain(hostId(6), "kernel upgrade", Duration.ofMinutes(5), true, false);
    op.maintenance(hostId(12), "GPU swap", java.time.Instant.now().plus(Duration.ofHours(2)), true, false);
    await().atMost(20, TimeUnit.SECONDS).until(() -> "UNHEALTHY".equals(op.host(hostId(3)).health().state()));
    op.close();
  }

  static String hostId(int h) {
    return String.format("gpu-node-%02d", h + 1);
  }

  @AfterAll
  static void stop() {
    backend.close();
  }

  @AfterEach
  void close() {
    if (window != null) {
      Fx.run(() -> {
        window.close();
        stage.close();
      });
    }
  }

  /** A stand-in host screen: remembers the host it was told. */
  static final class FakeHostScreen implements HostScreen {
    final Label label = new Label("host");
    final List<String> shownHosts = new ArrayList<>();

    @Override
    public void showHost(String hostId) {
      shownHosts.add(hostId);
      label.setText(hostId);
    }

    @Override
    public String id() {
      return "host";
    }

    @Override
    public String title() {
      return "Host";
    }

    @Override
    public KeyCombination shortcut() {
      return null;
    }

    @Override
    public Node view() {
      return label;
    }
  }

  FakeHostScreen hostScreen = new FakeHostScreen();

  void open() {
    ConnectionStore store = new ConnectionStore(config.resolve("nines"));
    UiPrefs prefs = new UiPrefs(config.resolve("nines"));
    Fx.run(() -> {
      window = new ConsoleWindow(store, prefs, (ctx, shell, sched) -> {
        // the real screens, with a host screen that records what it is asked to show
        List<Screen> s = new ArrayList<>(ConsoleScreens.create(ctx, shell, sched));
        s.removeIf(screen -> screen.id().equals(ConsoleShell.HOST));
        s.add(1, hostScreen);
        return s;
      }, 1280, 800);
      stage = new Stage();
      stage.setScene(window.scene());
      stage.show();
    });
  }

  static void press(Node target, KeyCode code, boolean shortcut) {
    Fx.run(() -> Event.fireEvent(target, new KeyEvent(KeyEvent.KEY_PRESSED, "", "", code, false, shortcut, false, false)));
  }

  @Test
  void aBadTokenShowsTheErrorAndStaysOnTheDialog() {
    open();
    Fx.run(() -> window.connect(backend.uri().toString(), "not-a-valid-token"));
    await().atMost(15, TimeUnit.SECONDS).until(() -> Fx.call(() -> window.connectView().errorLabel().getText()).startsWith("The token was refused (401)"));
    assertThat(Fx.call(() -> window.connectView().errorLabel().isVisible())).isTrue();
    assertThat(Fx.call(() -> window.shell())).isNull();
    assertThat(Fx.call(() -> window.scene().getRoot())).isInstanceOf(ConnectView.class);
    assertThat(Files.exists(config.resolve("nines").resolve(ConnectionStore.FILE_NAME))).isFalse();
    Snapshots.write(window.scene(), Path.of("connect.png"));
  }

  @Test
  void aGoodTokenFillsTheFleetWhichMovesLiveFiltersSortsAndOpensAHost() throws Exception {
    open();
    Fx.run(() -> window.connect(backend.uri().toString(), operator));
    await().atMost(15, TimeUnit.SECONDS).until(() -> Fx.call(() -> window.shell()) != null);
    ConsoleShell shell = Fx.call(() -> window.shell());
    FleetScreen fleet = (FleetScreen) Fx.call(shell::current);
    FleetView view = (FleetView) Fx.call(fleet::view);
    // N hosts reported -> N rows
    await().atMost(15, TimeUnit.SECONDS).until(() -> Fx.call(() -> view.table().items().size()) == HOSTS);
    await().atMost(15, TimeUnit.SECONDS).until(() -> Fx.call(() -> shell.stateLabel().getText()).contains("LIVE"));
    assertThat(Fx.call(() -> shell.stateLabel().getStyleClass())).contains("success");
    assertThat(Fx.call(() -> window.scene().lookup("#signed-in") instanceof Label l ? l.getText() : ""))
        .isEqualTo("Signed in as alice (operator)");
    FleetRow hot = Fx.call(() -> fleet.viewModel().row(hostId(3)));
    assertThat(Fx.call(hot::health)).isEqualTo("UNHEALTHY");
    assertThat(Fx.call(() -> fleet.viewModel().row(hostId(6)).routing())).isIn("DRAINING", "DRAINED");
    assertThat(Fx.call(() -> fleet.viewModel().row(hostId(12)).routing())).isEqualTo("MAINTENANCE");
    // remembered for the owner only
    assertThat(new ConnectionStore(config.resolve("nines")).load()).isPresent();

    // a new report moves its row live (the event stream, not a reload)
    FleetRow row = Fx.call(() -> fleet.viewModel().row(hostId(0)));
    long seq = Fx.call(() -> row.lastSeqProperty().get());
    // the last minutes come from the stored series, in the background after the first load
    await().atMost(15, TimeUnit.SECONDS).until(() -> Fx.call(() -> row.metric(Metric.GPU_TEMP).history().length) > 10);
    int before = Fx.call(() -> row.metric(Metric.GPU_TEMP).history().length);
    assertThat(feeder.report(hostId(0), "llama-70b", 0, ROUNDS, 81.5)).isEqualTo(200);
    await().atMost(10, TimeUnit.SECONDS).until(() -> Fx.call(() -> row.lastSeqProperty().get()) > seq);
    assertThat(Fx.call(() -> row.metric(Metric.GPU_TEMP).value())).isEqualTo(81.5);
    assertThat(Fx.call(() -> row.metric(Metric.GPU_TEMP).history())).hasSize(before + 1).endsWith(81.5);

    // filter by text, pool and state
    Fx.run(() -> view.filterField().setText("node-1"));
    assertThat(Fx.call(() -> ids(view))).containsExactlyInAnyOrder(
        hostId(9), hostId(10), hostId(11), hostId(12), hostId(13));
    Fx.run(() -> {
      view.filterField().setText("");
      fleet.viewModel().poolFilterProperty().set("mixtral-8x7b");
    });
    assertThat(Fx.call(() -> ids(view))).hasSize(HOSTS - 8);
    Fx.run(() -> {
      fleet.viewModel().poolFilterProperty().set("");
      fleet.viewModel().stateFilterProperty().set("UNHEALTHY");
    });
    assertThat(Fx.call(() -> ids(view))).containsExactly(hostId(3));
    Fx.run(() -> fleet.viewModel().stateFilterProperty().set(""));

    // sort by GPU temperature, hottest first; then by health, worst first
    Fx.run(() -> view.table().sortBy(Metric.GPU_TEMP.name(), true));
    List<Double> temps = Fx.call(() -> view.shownRows().stream().map(r -> r.metric(Metric.GPU_TEMP).value()).toList());
    assertThat(temps).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    assertThat(Fx.call(() -> view.shownRows().get(0).id())).isEqualTo(hostId(3));
    Fx.run(() -> view.table().sortBy("HEALTH", false));
    assertThat(Fx.call(() -> view.shownRows().get(0).health())).isEqualTo("UNHEALTHY");
    Snapshots.write(window.scene(), Path.of("fleet-dark.png"));
    Fx.run(() -> view.setTiles(true));
    Snapshots.write(window.scene(), Path.of("fleet-tiles-dark.png"));
    Fx.run(() -> view.setTiles(false));

    // Shortcut+T: light theme, remembered
    press(view.table(), KeyCode.T, true);
    assertThat(Fx.call(() -> Themes.of(window.scene()))).isEqualTo(Theme.LIGHT);
    assertThat(new UiPrefs(config.resolve("nines")).theme()).isEqualTo(Theme.LIGHT);
    Snapshots.write(window.scene(), Path.of("fleet-light.png"));

    // Shortcut+F focuses the filter
    press(view.table(), KeyCode.F, true);
    assertThat(Fx.call(() -> view.filterField().isFocused())).isTrue();

    // Enter on a row opens the host screen with that host; Shortcut+1 comes back
    Fx.run(() -> {
      view.table().requestFocus();
      view.table().select(0);
    });
    press(view.table(), KeyCode.ENTER, false);
    assertThat(hostScreen.shownHosts).containsExactly(hostId(3));
    assertThat(Fx.call(shell::current)).isSameAs(hostScreen);
    press(hostScreen.label, KeyCode.DIGIT1, true);
    assertThat(Fx.call(shell::current)).isSameAs(fleet);
  }

  @Test
  void everyScreenOfTheRealShellOpensByItsShortcutAndAFleetRowOpensTheRealHostScreen() throws Exception {
    ConnectionStore store = new ConnectionStore(config.resolve("nines"));
    UiPrefs prefs = new UiPrefs(config.resolve("nines"));
    Fx.run(() -> {
      window = new ConsoleWindow(store, prefs, ConsoleScreens::create, 1280, 800);
      stage = new Stage();
      stage.setScene(window.scene());
      stage.show();
    });
    Fx.run(() -> window.connect(backend.uri().toString(), operator));
    await().atMost(15, TimeUnit.SECONDS).until(() -> Fx.call(() -> window.shell()) != null);
    ConsoleShell shell = Fx.call(() -> window.shell());
    List<String> ids = List.of("fleet", "host", "pools", "incidents", "alerts", "audit", "reports");
    assertThat(Fx.call(() -> shell.screens().stream().map(Screen::id).toList())).isEqualTo(ids);
    KeyCode[] digits = {KeyCode.DIGIT1, KeyCode.DIGIT2, KeyCode.DIGIT3, KeyCode.DIGIT4, KeyCode.DIGIT5,
        KeyCode.DIGIT6, KeyCode.DIGIT7};
    for (int i = ids.size() - 1; i >= 0; i--) {
      press(Fx.call(() -> shell.current().view()), digits[i], true);
      String id = ids.get(i);
      assertThat(Fx.call(() -> shell.current().id())).as("Shortcut+%d", i + 1).isEqualTo(id);
      Fx.waitForPulses(2);
      Snapshots.write(window.scene(), Path.of("shell-" + id + ".png"));
    }
    // back on the fleet: Enter on a row shows that host on the real host screen
    FleetScreen fleet = (FleetScreen) Fx.call(shell::current);
    FleetView view = (FleetView) Fx.call(fleet::view);
    await().atMost(15, TimeUnit.SECONDS).until(() -> Fx.call(() -> view.table().items().size()) == HOSTS);
    Fx.run(() -> {
      view.table().requestFocus();
      for (int r = 0; r < view.table().items().size(); r++) {
        if (view.table().items().get(r).id().equals(hostId(3))) {
          view.table().select(r);
        }
      }
    });
    press(view.table(), KeyCode.ENTER, false);
    assertThat(Fx.call(() -> shell.current().id())).isEqualTo("host");
    dev.nines.console.host.HostScreen host = (dev.nines.console.host.HostScreen) Fx.call(shell::current);
    await().atMost(15, TimeUnit.SECONDS)
        .until(() -> Fx.call(() -> host.viewModel().hostIdProperty().get()).equals(hostId(3)));
    await().atMost(15, TimeUnit.SECONDS)
        .until(() -> Fx.call(() -> host.viewModel().healthProperty().get()).contains("UNHEALTHY"));
    Snapshots.write(window.scene(), Path.of("shell-host-opened.png"));
  }


  static List<String> ids(FleetView view) {
    return view.shownRows().stream().map(FleetRow::id).toList();
  }
}

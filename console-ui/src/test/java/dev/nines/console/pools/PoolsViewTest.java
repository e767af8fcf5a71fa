package dev.nines.console.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nines.console.app.ConsoleContext;
import dev.nines.console.client.BackendClient;
import dev.nines.console.client.EventStream;
import dev.nines.console.client.LiveBackend;
import dev.nines.console.fx.Fx;
import dev.nines.console.fx.FxExtension;
import dev.nines.console.fx.Snapshots;
import dev.nines.console.host.FxContexts;
import dev.nines.console.host.HostFeed;
import dev.nines.console.host.Recorder;
import dev.nines.console.theme.Theme;
import dev.nines.console.theme.Themes;
import dev.nines.console.widgets.AvailabilityBar;
import dev.nines.console.ConsoleShell;
import dev.nines.console.ShellViewModel;
import java.nio.file.Files;
import java.util.List;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import javafx.event.Event;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The pools screen in a scene, headless, against a real backend with a two-sided pool. */
@ExtendWith(FxExtension.class)
class PoolsViewTest {
  @TempDir Path dir;

  @Test
  void showsThePoolsTheSelectedPoolsFiguresAndMembersLiveAndRendersBothThemes() throws Exception {
    ExecutorService io = FxContexts.io();
    try (LiveBackend backend = new LiveBackend(dir);
        EventStream events = EventStream.of(backend.client(backend.token("operator", "fx-pools")))) {
      PoolConfig.put(backend, "chat", "{\"sides\": {\"blue\": [\"chat-1\", \"chat-2\", \"chat-3\"], \"green\": [\"chat-4\", \"chat-5\", \"chat-6\"]}, \"minActive\": 2}");
      HostFeed feed = new HostFeed(backend);
      for (int i = 1; i <= 6; i++) {
        feed.history("chat-" + i, "chat", 4, 60);
      }
      feed.history("chat-2", "chat", 3, 97); // hot GPU: UNHEALTHY
      for (int i = 1; i <= 3; i++) {
        feed.history("embed-" + i, "embed", 4, 55);
      }
      feed.history("batch-1", "batch", 4, 55);
      BackendClient admin = backend.client(LiveBackend.ADMIN);
      admin.maintenance("chat-5", "BIOS update", null, true, false);

      ConsoleContext ctx = FxContexts.of(backend.client(backend.token("operator", "carol")), events, io);
      Recorder rec = new Recorder();
      PoolScreen screen = new PoolScreen(ctx, rec, rec);
      // in the real frame at 1280 x 800: the screen beside the navigation
      Scene scene = Fx.call(() -> {
        ConsoleShell shell = new ConsoleShell(new ShellViewModel(events, ctx.me(), ctx.ui()));
        Scene s = new Scene(shell, 1280, 800);
        Themes.apply(s, Theme.DARK);
        shell.addScreens(List.of(screen));
        screen.showPool("chat");
        return s;
      });
      events.start();
      PoolsViewModel vm = screen.viewModel();
      await().atMost(Duration.ofSeconds(20)).until(() -> Fx.call(() -> vm.pools().size() == 3 && vm.members().size() == 6));
      // the list selects the shown pool once it holds the new rows (on a later turn of the FX thread);
      // the split pane's items join the scene graph with its skin: lay the scene out first
      Fx.layout(scene);
      await().atMost(Duration.ofSeconds(10))
          .until(() -> Fx.call(() -> ((TableView<?>) scene.lookup("#pools-list")).getSelectionModel().getSelectedIndex() >= 0));
      Fx.layout(scene);
      assertThat(Fx.call(() -> ((Label) scene.lookup("#pool-title")).getText())).isEqualTo("chat");
      // beside the navigation the list is the narrow column and the members' columns all fit
      PoolsView view = (PoolsView) Fx.call(screen::view);
      assertThat(Fx.call(view::isCompact)).isTrue();
      assertThat(Fx.call(() -> scene.lookup("#pools-list").getParent().getLayoutBounds().getWidth())).isEqualTo(PoolsView.LIST_NARROW);
      TableView<?> members = (TableView<?>) Fx.call(() -> scene.lookup("#pool-members"));
      assertThat(Fx.call(() -> members.getColumns().stream().mapToDouble(c -> c.getWidth()).sum()))
          .isLessThanOrEqualTo(Fx.call(() -> members.getWidth()));
      assertThat(Fx.call(() -> members.getColumns().get(0).getWidth())).isGreaterThanOrEqualTo(Fx.call(() -> members.getColumns().get(0).getMinWidth()));
      assertThat(Fx.call(() -> ((Label) scene.lookup("#pool-sides")).getText())).contains("blue (active): chat-1, chat-2, chat-3").contains("green (standby)");
      assertThat(Fx.call(() -> ((Label) scene.lookup("#pool-nplusone")).getText())).startsWith("N+1");
      assertThat(Fx.call(() -> ((AvailabilityBar) scene.lookup("#pool-availability-1h")).text())).contains("SLO");
      assertThat(Fx.call(() -> ((Button) scene.lookup("#pool-failover")).isDisabled())).isFalse();
      Fx.run(() -> ((Button) scene.lookup("#pool-failover")).fire());
      assertThat(rec.calls).containsExactly("failover chat");

      // double-click on a member opens its host
      Fx.run(() -> {
        for (Node n : scene.lookup("#pool-members").lookupAll(".table-row-cell")) {
          TableRow<?> row = (TableRow<?>) n;
          if (!row.isEmpty() && ((MemberRow) row.getItem()).id().equals("chat-4")) {
            Event.fireEvent(row, new MouseEvent(MouseEvent.MOUSE_CLICKED, 5, 5, 5, 5, MouseButton.PRIMARY, 2,
                false, false, false, false, false, false, false, false, false, true, null));
          }
        }
      });
      assertThat(rec.calls).containsExactly("failover chat", "host chat-4");

      // a drain through the client moves the member's routing live
      await().atMost(Duration.ofSeconds(10)).until(() -> events.status().state().name().equals("LIVE"));
      admin.drain("chat-6", "replace a NIC", null, true, false);
      await().atMost(Duration.ofSeconds(20)).until(() -> Fx.call(() ->
          vm.members().stream().anyMatch(m -> m.id().equals("chat-6") && m.routing().matches("DRAINING|DRAINED"))));

      assertThat(Files.size(Snapshots.write(scene, Path.of("pools-dark.png")))).isGreaterThan(20_000);
      Fx.run(() -> Themes.apply(scene, Theme.LIGHT));
      assertThat(Files.size(Snapshots.write(scene, Path.of("pools-light.png")))).isGreaterThan(20_000);
      Fx.run(() -> screen.shown(false));
    } finally {
      io.shutdownNow();
    }
  }

  @Test
  void aViewerSeesFailoverDisabledWithTheReason() throws Exception {
    ExecutorService io = FxContexts.io();
    try (LiveBackend backend = new LiveBackend(dir)) {
      new HostFeed(backend).history("solo-1", "solo", 2, 55);
      ConsoleContext ctx = FxContexts.of(backend.client(backend.token("viewer", "dave")), null, io);
      Recorder rec = new Recorder();
      PoolScreen screen = new PoolScreen(ctx, rec, rec);
      Scene scene = Fx.call(() -> {
        Scene s = new Scene((Parent) screen.view(), 1200, 800);
        Themes.apply(s, Theme.DARK);
        screen.showPool("solo");
        return s;
      });
      await().atMost(Duration.ofSeconds(20)).until(() -> Fx.call(() -> screen.viewModel().detailProperty().get() != null));
      Fx.layout(scene);
      assertThat(Fx.call(() -> scene.lookup("#pool-failover").isDisabled())).isTrue();
      assertThat(Fx.call(() -> ((Label) scene.lookup("#pool-failover-note")).getText())).contains("'dave' is a viewer");
      Fx.run(() -> ((Button) scene.lookup("#pool-failover")).fire());
      assertThat(rec.calls).isEmpty();
    } finally {
      io.shutdownNow();
    }
  }
}

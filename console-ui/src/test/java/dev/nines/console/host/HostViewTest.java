package dev.nines.console.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nines.console.app.ConsoleContext;
import dev.nines.console.client.BackendClient;
import dev.nines.console.client.EventStream;
import dev.nines.console.client.LiveBackend;
import dev.nines.console.fx.Fx;
import dev.nines.console.fx.FxExtension;
import dev.nines.console.fx.Snapshots;
import dev.nines.console.theme.Theme;
import dev.nines.console.theme.Themes;
import dev.nines.console.widgets.StateBadge;
import dev.nines.console.widgets.TimeSeriesChart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The host screen in a scene, headless, against a real backend fed with an hour of reports. */
@ExtendWith(FxExtension.class)
class HostViewTest {
  @TempDir Path dir;

  @Test
  void showsAReportingHostFollowsADrainLiveAndRendersTheScreen() throws Exception {
    ExecutorService io = FxContexts.io();
    try (LiveBackend backend = new LiveBackend(dir);
        EventStream events = EventStream.of(backend.client(backend.token("operator", "fx-events")))) {
      HostFeed feed = new HostFeed(backend);
      feed.history("gpu-b1", "chat", 70, 61);
      feed.history("gpu-b2", "chat", 3, 61);
      BackendClient admin = backend.client(LiveBackend.ADMIN);
      // a maintenance an hour's quarter ago shows in the history (from the routing intervals)
      admin.maintenance("gpu-b1", "firmware update", null, true, false);
      admin.undrain("gpu-b1", "firmware updated", false);
      ConsoleContext ctx = FxContexts.of(backend.client(backend.token("operator", "alice")), events, io);
      Recorder rec = new Recorder();
      HostScreen screen = new HostScreen(ctx, rec, rec);
      Scene scene =
          Fx.call(() -> {
            Scene s = new Scene((Parent) screen.view(), 1400, 1560);
            Themes.apply(s, Theme.DARK);
            screen.showHost("gpu-b1");
            screen.shown(true);
            return s;
          });
      events.start();
      HostViewModel vm = screen.viewModel();
      await().atMost(Duration.ofSeconds(20)).until(() -> Fx.call(() -> vm.gpus().size() == 2 && !vm.chartsProperty().get().charts().isEmpty()));
      Fx.layout(scene);

      assertThat(Fx.call(() -> ((Label) scene.lookup("#host-id")).getText())).isEqualTo("gpu-b1");
      assertThat(Fx.call(() -> ((javafx.scene.control.Hyperlink) scene.lookup("#host-pool")).getText())).isEqualTo("pool chat");
      assertThat(Fx.call(() -> ((StateBadge) scene.lookup("#host-routing")).text())).isEqualTo("ACTIVE");
      assertThat(Fx.call(() -> ((TableView<?>) scene.lookup("#host-gpus")).getItems().size())).isEqualTo(2);
      assertThat(Fx.call(() -> ((TimeSeriesChart) scene.lookup("#host-chart-gpu-temperature")).seriesNames()))
          .containsExactly("GPU 0", "GPU 1");
      assertThat(Fx.call(() -> ((Button) scene.lookup("#host-drain")).isDisabled())).isFalse();
      assertThat(Fx.call(() -> ((Button) scene.lookup("#host-undrain")).isDisabled())).isTrue();

      // the pool link and the drain button go through the navigator and the actions
      Fx.run(() -> ((javafx.scene.control.Hyperlink) scene.lookup("#host-pool")).fire());
      Fx.run(() -> ((Button) scene.lookup("#host-drain")).fire());
      assertThat(rec.calls).containsExactly("pool chat", "drain gpu-b1");

      // a range button reads the whole range again with its step
      Fx.run(() -> ((ToggleButton) scene.lookup("#host-range-H6")).fire());
      await().atMost(Duration.ofSeconds(20)).until(() -> Fx.call(() -> vm.chartsProperty().get().step().equals(Duration.ofSeconds(72))));
      assertThat(Fx.call(() -> ((ToggleButton) scene.lookup("#host-range-H6")).isSelected())).isTrue();
      Fx.run(() -> ((ToggleButton) scene.lookup("#host-range-H1")).fire());
      await().atMost(Duration.ofSeconds(20)).until(() -> Fx.call(() -> vm.chartsProperty().get().step().equals(Duration.ofSeconds(12))));

      // a drain elsewhere (another operator, the CLI) shows live
      await().atMost(Duration.ofSeconds(10)).until(() -> events.status().state().name().equals("LIVE"));
      admin.drain("gpu-b2", "check", null, true, false); // another host: nothing changes here
      admin.drain("gpu-b1", "replace a fan", null, true, false);
      await().atMost(Duration.ofSeconds(20))
          .until(() -> Fx.call(() -> ((StateBadge) scene.lookup("#host-routing")).text()).matches("DRAINING|DRAINED"));
      assertThat(Fx.call(() -> ((Button) scene.lookup("#host-undrain")).isDisabled())).isFalse();
      assertThat(Fx.call(() -> ((Button) scene.lookup("#host-drain")).isDisabled())).isTrue();
      assertThat(Fx.call(() -> vm.history().get(0).reason())).contains("replace a fan");

      Path png = Snapshots.write(scene, Path.of("host-dark.png"));
      assertThat(Files.size(png)).isGreaterThan(20_000);
      Fx.run(() -> screen.shown(false));
    } finally {
      io.shutdownNow();
    }
  }

  @Test
  void aViewerSeesTheActionsDisabledWithTheReason() throws Exception {
    ExecutorService io = FxContexts.io();
    try (LiveBackend backend = new LiveBackend(dir)) {
      new HostFeed(backend).history("gpu-c1", "batch", 2, 60);
      ConsoleContext ctx = FxContexts.of(backend.client(backend.token("viewer", "bob")), null, io);
      Recorder rec = new Recorder();
      HostScreen screen = new HostScreen(ctx, rec, rec);
      Scene scene = Fx.call(() -> {
        Scene s = new Scene((Parent) screen.view(), 1200, 900);
        Themes.apply(s, Theme.LIGHT);
        screen.showHost("gpu-c1");
        return s;
      });
      await().atMost(Duration.ofSeconds(20)).until(() -> Fx.call(() -> screen.viewModel().routingProperty().get().equals("ACTIVE")));
      Fx.layout(scene);
      for (String id : new String[] {"#host-drain", "#host-undrain", "#host-maintenance"}) {
        assertThat(Fx.call(() -> scene.lookup(id).isDisabled())).as(id).isTrue();
      }
      assertThat(Fx.call(() -> ((Label) scene.lookup("#host-actions-note")).getText())).contains("'bob' is a viewer");
      assertThat(Fx.call(() -> scene.lookup("#host-actions-note").isVisible())).isTrue();
    } finally {
      io.shutdownNow();
    }
  }
}

package dev.nines.console.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.UiExecutor;
import dev.nines.console.client.BackendClient;
import dev.nines.console.client.ConnectionState;
import dev.nines.console.client.EventStream;
import dev.nines.console.client.LiveBackend;
import dev.nines.console.fx.Fx;
import dev.nines.console.fx.FxExtension;
import dev.nines.console.fx.Snapshots;
import dev.nines.console.widgets.StateBadge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The drain dialog on the real toolkit (headless) against a real backend and its live event stream. */
@ExtendWith(FxExtension.class)
class ActionDialogFxTest {
  @TempDir Path dir;

  static final UiExecutor FX = r -> {
    if (Platform.isFxApplicationThread()) {
      r.run();
    } else {
      Platform.runLater(r);
    }
  };

  @Test
  void theDrainDialogShowsTheImpactAndConfirmedTheHostsStateMovesLive() throws Exception {
    ExecutorService io = Executors.newCachedThreadPool();
    try (LiveBackend backend = new LiveBackend(dir);
        BackendClient operator = backend.client(backend.token("operator", "alice"));
        EventStream events = EventStream.of(operator)) {
      for (int i = 1; i <= 4; i++) {
        assertThat(backend.report("chat-" + i, "chat", 55.0)).isEqualTo(200);
      }
      events.start();
      await().atMost(10, TimeUnit.SECONDS).until(() -> events.status().state() == ConnectionState.LIVE);
      ActionDialogs dialogs = new ActionDialogs(
          new ConsoleContext(operator, events, operator.whoAmI(), FX, io, Clock.systemUTC()), () -> null);
      Stage stage = Fx.call(() -> dialogs.open(ActionKind.DRAIN, "chat-2"));
      ActionDialogView view = (ActionDialogView) stage.getScene().getRoot();
      Button confirm = (Button) stage.getScene().lookup("#confirm");
      await().atMost(10, TimeUnit.SECONDS).until(() -> Fx.call(confirm::isVisible));
      assertThat(Fx.call(() -> ((Label) stage.getScene().lookup("#activeNow")).getText())).isEqualTo("4");
      assertThat(Fx.call(() -> ((Label) stage.getScene().lookup("#activeAfter")).getText())).isEqualTo("3");
      assertThat(Fx.call(() -> ((Label) stage.getScene().lookup("#required")).getText())).isEqualTo("2");
      assertThat(Fx.call(() -> ((Label) stage.getScene().lookup("#verdict")).getText())).contains("Capacity guard allows");
      assertThat(Fx.call(confirm::getText)).isEqualTo("Drain");
      StateBadge badge = (StateBadge) stage.getScene().lookup("#routingState");
      assertThat(Fx.call(badge::text)).isEqualTo("ACTIVE");
      Path png = Snapshots.write(stage.getScene(), Path.of("drain-dialog-dark.png"));
      assertThat(Files.size(png)).isPositive();

      Fx.run(() -> {
        view.viewModel().drainTimeoutProperty().set(Duration.ofSeconds(3));
        confirm.fire();
      });
      await().atMost(10, TimeUnit.SECONDS).until(() -> "DRAINING".equals(Fx.call(badge::text)));
      await().atMost(30, TimeUnit.SECONDS).until(() -> "DRAINED".equals(Fx.call(badge::text)));
      assertThat(Fx.call(() -> ((Label) stage.getScene().lookup("#message")).getText())).isEqualTo("chat-2 is DRAINED");
      assertThat(Fx.call(() -> ((Button) stage.getScene().lookup("#close")).getText())).isEqualTo("Close");
      Snapshots.write(stage.getScene(), Path.of("drain-dialog-done-dark.png"));
      assertThat(operator.host("chat-2").routing().state()).isEqualTo("DRAINED");
      Fx.run(stage::close);
      assertThat(view.viewModel().state()).isEqualTo(ActionState.IDLE);
    } finally {
      io.shutdownNow();
    }
  }

  @Test
  void aViewersActionButtonsAreDisabledWithTheReason() {
    try (LiveBackend backend = new LiveBackend(dir);
        BackendClient viewer = backend.client(backend.token("viewer", "wall"))) {
      ActionDialogs dialogs = new ActionDialogs(
          new ConsoleContext(viewer, null, viewer.whoAmI(), FX, Runnable::run, Clock.systemUTC()), () -> null);
      for (ActionKind k : ActionKind.values()) {
        Button b = Fx.call(() -> dialogs.button(k, () -> "chat-1"));
        assertThat(b.isDisabled()).isTrue();
        assertThat(b.getTooltip().getText()).contains("'wall' is a viewer");
      }
    }
  }
}

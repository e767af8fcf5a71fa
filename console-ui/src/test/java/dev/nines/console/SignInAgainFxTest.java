package dev.nines.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nines.console.client.ConnectionState;
import dev.nines.console.client.ConnectionStore;
import dev.nines.console.client.LiveBackend;
import dev.nines.console.connect.ConnectView;
import dev.nines.console.fleet.FleetScreen;
import dev.nines.console.fleet.FleetView;
import dev.nines.console.fx.Fx;
import dev.nines.console.fx.FxExtension;
import dev.nines.console.fx.Snapshots;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's token is revoked through the admin API while it runs: once its stream reconnects the
 * state turns UNAUTHORIZED with the message and "Sign in again"; the dialog keeps the server URL, and
 * a new token brings the fleet back LIVE with a new client, stream and remembered connection.
 */
@ExtendWith(FxExtension.class)
class SignInAgainFxTest {
  static final int HOSTS = 5;
  @TempDir Path dir;
  @TempDir Path config;
  LiveBackend backend;
  ShownConsole console;
  ConsoleWindow window;

  @AfterEach
  void close() {
    if (console != null) {
      console.close();
    }
    if (backend != null) {
      backend.close();
    }
  }

  @Test
  void aRevokedTokenTurnsUnauthorizedAndSigningInAgainWithANewTokenBringsTheFleetBackLive() throws Exception {
    backend = new LiveBackend(dir);
    FleetFeeder feeder = new FleetFeeder(backend);
    for (int h = 0; h < HOSTS; h++) {
      assertThat(feeder.report(String.format("gpu-node-%02d", h + 1), "llama-70b", h, 0, 60.0 + h)).isEqualTo(200);
    }
    String first = backend.token("operator", "alice");
    console = new ShownConsole(config);
    window = console.window;
    ConnectionStore store = console.store;
    ConsoleShell shell = console.signIn(backend.uri().toString(), first);
    assertThat(Fx.call(() -> shell.signInButton().isVisible())).isFalse();

    // revoked while running; the stream notices when it connects again (here: the server restarts)
    backend.revoke("alice");
    backend.stop();
    backend.restart();
    await().atMost(30, TimeUnit.SECONDS)
        .until(() -> Fx.call(() -> shell.viewModel().stateProperty().get()) == ConnectionState.UNAUTHORIZED);
    assertThat(Fx.call(() -> shell.stateLabel().getText())).contains("UNAUTHORIZED: The token was refused (401)");
    assertThat(Fx.call(() -> shell.signInButton().isVisible())).isTrue();
    Fx.waitForPulses(2);
    Snapshots.write(window.scene(), Path.of("shell-unauthorized.png"));

    // "Sign in again": the dialog with the server URL, no token, the reason
    Fx.run(() -> shell.signInButton().fire());
    assertThat(Fx.call(() -> window.scene().getRoot())).isInstanceOf(ConnectView.class);
    assertThat(Fx.call(() -> ((TextField) window.scene().lookup("#server")).getText())).isEqualTo(backend.uri().toString());
    assertThat(Fx.call(() -> window.connectView().tokenField().getText())).isEmpty();
    assertThat(Fx.call(() -> window.connectView().errorLabel().getText())).contains("refused the token");
    Snapshots.write(window.scene(), Path.of("connect-sign-in-again.png"));

    String second = backend.token("operator", "bob");
    Fx.run(() -> {
      window.connectView().tokenField().setText(second);
      window.connectView().connectButton().fire();
    });
    await().atMost(15, TimeUnit.SECONDS).until(() -> Fx.call(() -> window.scene().getRoot()) == shell);
    await().atMost(15, TimeUnit.SECONDS)
        .until(() -> Fx.call(() -> shell.viewModel().stateProperty().get()) == ConnectionState.LIVE);
    assertThat(Fx.call(() -> shell.signInButton().isVisible())).isFalse();
    assertThat(Fx.call(() -> window.scene().lookup("#signed-in") instanceof Label l ? l.getText() : ""))
        .isEqualTo("Signed in as bob (operator)");
    assertThat(Fx.call(() -> window.context().me().name())).isEqualTo("bob");
    assertThat(store.load()).hasValueSatisfying(s -> assertThat(s.token()).isEqualTo(second));
    // a new fleet screen read the fleet again with the new client; and it moves live on the new stream
    FleetScreen fleet = (FleetScreen) Fx.call(shell::current);
    FleetView view = (FleetView) Fx.call(fleet::view);
    await().atMost(15, TimeUnit.SECONDS).until(() -> Fx.call(() -> view.table().items().size()) == HOSTS);
    long seq = Fx.call(() -> fleet.viewModel().row("gpu-node-01").lastSeqProperty().get());
    assertThat(feeder.report("gpu-node-01", "llama-70b", 0, 1, 70.0)).isEqualTo(200);
    await().atMost(10, TimeUnit.SECONDS)
        .until(() -> Fx.call(() -> fleet.viewModel().row("gpu-node-01").lastSeqProperty().get()) > seq);
  }

  @Test
  void aTokenRevokedWhileTheStreamStaysConnectedShowsSignInAgainAtTheNextCall() throws Exception {
    backend = new LiveBackend(dir);
    FleetFeeder feeder = new FleetFeeder(backend);
    assertThat(feeder.report("gpu-node-01", "llama-70b", 0, 0, 60.0)).isEqualTo(200);
    String token = backend.token("operator", "carol");
    console = new ShownConsole(config);
    window = console.window;
    ConsoleShell shell = console.signIn(backend.uri().toString(), token);

    // revoked; the server keeps the stream it has; the operator refreshes the fleet (Shortcut+R does)
    backend.revoke("carol");
    FleetScreen fleet = (FleetScreen) Fx.call(shell::current);
    Fx.run(() -> fleet.viewModel().refresh());
    await().atMost(15, TimeUnit.SECONDS)
        .until(() -> Fx.call(() -> shell.viewModel().stateProperty().get()) == ConnectionState.UNAUTHORIZED);
    assertThat(Fx.call(() -> shell.stateLabel().getText())).contains("UNAUTHORIZED: The token was refused (401)");
    assertThat(Fx.call(() -> shell.signInButton().isVisible())).isTrue();
  }
}

package dev.nines.console;

import static org.awaitility.Awaitility.await;

import dev.nines.console.client.ConnectionState;
import dev.nines.console.client.ConnectionStore;
import dev.nines.console.fx.Fx;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;

/**
 * The real console window (every screen, 1280 x 800) shown on a stage, remembering its connection
 * under {@code config}: for the tests that sign in to a real backend and drive the whole console.
 */
final class ShownConsole implements AutoCloseable {
  final ConnectionStore store;
  final ConsoleWindow window;
  final Stage stage;

  ShownConsole(Path config) {
    store = new ConnectionStore(config.resolve("nines"));
    Stage[] s = new Stage[1];
    window = Fx.call(() -> {
      ConsoleWindow w = new ConsoleWindow(store, new UiPrefs(config.resolve("nines")), ConsoleScreens::create, 1280, 800);
      s[0] = new Stage();
      s[0].setScene(w.scene());
      s[0].show();
      return w;
    });
    stage = s[0];
  }

  /** Signs in to {@code servers} (one URL or several, comma-separated) with {@code token}; answers the shell once it is LIVE. */
  ConsoleShell signIn(String servers, String token) {
    Fx.run(() -> window.connect(servers, token));
    await().atMost(15, TimeUnit.SECONDS).until(() -> Fx.call(window::shell) != null);
    ConsoleShell shell = Fx.call(window::shell);
    await().atMost(15, TimeUnit.SECONDS)
        .until(() -> Fx.call(() -> shell.viewModel().stateProperty().get()) == ConnectionState.LIVE);
    return shell;
  }

  @Override
  public void close() {
    Fx.run(() -> {
      window.close();
      stage.close();
    });
  }
}

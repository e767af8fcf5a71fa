package dev.nines.console;

import java.util.List;
import javafx.application.Application;
import javafx.stage.Stage;

/**
 * The operator console: the connection dialog, then the shell with its screens. Arguments:
 * {@code --server URL --token T} connect at once (the dialog shows only when they do not work).
 */
public final class ConsoleApp extends Application {
  private ConsoleWindow window;

  @Override
  public void start(Stage stage) {
    List<String> args = getParameters().getRaw();
    window = ConsoleWindow.forCurrentUser(1280, 800);
    stage.setTitle("Nines console");
    stage.setScene(window.scene());
    stage.show();
    String server = ConsoleWindow.option(args, "--server");
    String token = ConsoleWindow.option(args, "--token");
    if (server != null && token != null) {
      window.connect(server, token);
    } else {
      if (server != null) {
        window.connectViewModel().serverProperty().set(server);
      }
      window.connectView().focusFirstEmpty();
    }
  }

  @Override
  public void stop() {
    if (window != null) {
      window.close();
    }
  }
}

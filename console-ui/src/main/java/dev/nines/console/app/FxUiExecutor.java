package dev.nines.console.app;

import javafx.application.Platform;

/** The console's {@link UiExecutor}: the JavaFX application thread (at once when already on it). */
public final class FxUiExecutor implements UiExecutor {
  @Override
  public void run(Runnable task) {
    if (Platform.isFxApplicationThread()) {
      task.run();
    } else {
      Platform.runLater(task);
    }
  }
}

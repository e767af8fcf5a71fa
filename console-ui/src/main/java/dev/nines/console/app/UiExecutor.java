package dev.nines.console.app;

/**
 * Where view-models publish their state: the JavaFX application thread in the console
 * ({@code FxUiExecutor}), the calling thread in view-model tests ({@link #direct()}). View-models
 * never touch the toolkit themselves, so they depend on {@code javafx.base} only.
 */
@FunctionalInterface
public interface UiExecutor {
  /** Runs {@code task} on the UI thread (later, or now when already on it). */
  void run(Runnable task);

  /** Runs every task at once on the calling thread: for tests without the toolkit. */
  static UiExecutor direct() {
    return Runnable::run;
  }
}

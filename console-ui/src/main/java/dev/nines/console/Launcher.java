package dev.nines.console;

import javafx.application.Application;

/**
 * Starts the JavaFX application from a plain main class: a main class that extends Application
 * fails on the class path with "JavaFX runtime components are missing".
 */
public final class Launcher {
  private Launcher() {}

  /** Opens the console and returns when its window is closed. {@code --server URL --token T} connect at once. */
  public static void main(String[] args) {
    Application.launch(ConsoleApp.class, args);
  }

  /**
   * Opens the console on a daemon thread and returns at once (the demo uses it): a failure is printed,
   * never thrown. JavaFX starts once per JVM, so this works once.
   */
  public static Thread openInBackground(String server, String token) {
    Thread t =
        new Thread(
            () -> {
              try {
                Application.launch(ConsoleApp.class, "--server", server, "--token", token);
              } catch (Throwable e) {
                System.err.println("console: could not open the window (" + e + "); the demo goes on without it");
              }
            },
            "nines-console-launcher");
    t.setDaemon(true);
    t.start();
    return t;
  }
}

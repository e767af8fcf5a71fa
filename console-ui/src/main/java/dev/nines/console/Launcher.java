package dev.nines.console;

import javafx.application.Application;

/**
 * Starts the JavaFX application from a plain main class: a main class that extends Application
 * fails on the class path with "JavaFX runtime components are missing".
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) {
    Application.launch(ConsoleApp.class, args);
  }
}

package dev.nines.console.app;

import javafx.scene.Node;
import javafx.scene.input.KeyCombination;

/** One of the console's main views, as the shell shows it in its navigation. */
public interface Screen {
  /** Stable id ({@code fleet}, {@code host}, {@code pools}, {@code incidents}, {@code alerts}, ...). */
  String id();

  /** The navigation label. */
  String title();

  /** Its keyboard shortcut (e.g. {@code Shortcut+1}), or null. */
  KeyCombination shortcut();

  /** The view (built once, then reused). */
  Node view();

  /** Called when the screen is shown (start live updates) and hidden (pause them). */
  default void shown(boolean visible) {}
}

package dev.nines.console.app;

/** A screen with a filter field (the shell's Shortcut+F calls it on the screen shown). */
public interface Filterable {
  /** Moves the keyboard focus to the filter field. */
  void focusFilter();
}

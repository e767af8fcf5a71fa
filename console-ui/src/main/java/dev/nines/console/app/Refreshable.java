package dev.nines.console.app;

/** A screen that reloads its data on demand (the shell's Shortcut+R calls it on the screen shown). */
public interface Refreshable {
  void refresh();
}

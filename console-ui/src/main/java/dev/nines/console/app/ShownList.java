package dev.nines.console.app;

/**
 * A list screen's view-model as {@link ListScreen} drives it: told when the screen is shown or hidden
 * (it refreshes only while shown), and closed with the screen.
 */
public interface ShownList extends AutoCloseable {
  /** The screen was shown ({@code true}) or hidden. */
  void setShown(boolean visible);

  /** Stops refreshing. */
  @Override
  void close();
}

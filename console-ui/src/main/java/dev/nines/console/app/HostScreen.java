package dev.nines.console.app;

/**
 * The screen with id {@code host}: the shell's {@link Navigator#showHost(String)} tells it which host
 * to show, then switches to it.
 */
public interface HostScreen extends Screen {
  /** Shows host {@code hostId} (called on the UI thread, before the screen is shown). */
  void showHost(String hostId);
}

package dev.nines.console.app;

/**
 * The screen with id {@code pools}: the shell's {@link Navigator#showPool(String)} tells it which pool
 * to show, then switches to it.
 */
public interface PoolScreen extends Screen {
  /** Shows pool {@code pool} (called on the UI thread, before the screen is shown). */
  void showPool(String pool);
}

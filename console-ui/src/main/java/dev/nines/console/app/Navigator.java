package dev.nines.console.app;

/** Moves between screens: a fleet row opens its host, a host links to its pool. */
public interface Navigator {
  void showScreen(String screenId);

  void showHost(String hostId);

  void showPool(String pool);
}

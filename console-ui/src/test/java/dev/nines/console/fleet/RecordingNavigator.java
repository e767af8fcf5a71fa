package dev.nines.console.fleet;

import dev.nines.console.app.Navigator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A navigator that records the hosts it was asked to show (from any thread). */
final class RecordingNavigator implements Navigator {
  final List<String> hosts = new CopyOnWriteArrayList<>();

  @Override
  public void showScreen(String screenId) {}

  @Override
  public void showHost(String hostId) {
    hosts.add(hostId);
  }

  @Override
  public void showPool(String pool) {}
}

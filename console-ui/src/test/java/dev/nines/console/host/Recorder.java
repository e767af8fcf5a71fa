package dev.nines.console.host;

import dev.nines.console.app.Actions;
import dev.nines.console.app.Navigator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the actions and navigation a screen asks for ({@code drain gpu-a1}, {@code pool chat}). */
public final class Recorder implements Actions, Navigator {
  public final List<String> calls = new CopyOnWriteArrayList<>();

  @Override
  public void drain(String hostId) {
    calls.add("drain " + hostId);
  }

  @Override
  public void undrain(String hostId) {
    calls.add("undrain " + hostId);
  }

  @Override
  public void maintenance(String hostId) {
    calls.add("maintenance " + hostId);
  }

  @Override
  public void failover(String pool) {
    calls.add("failover " + pool);
  }

  @Override
  public void showScreen(String screenId) {
    calls.add("screen " + screenId);
  }

  @Override
  public void showHost(String hostId) {
    calls.add("host " + hostId);
  }

  @Override
  public void showPool(String pool) {
    calls.add("pool " + pool);
  }
}

package dev.nines.console.app;

import dev.nines.console.client.BackendClient;
import dev.nines.console.client.EventStream;
import dev.nines.console.client.WhoAmI;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * What every view-model gets: the backend, the live event stream, who is signed in (viewers see
 * actions disabled with the reason), where to publish state (the UI thread) and where to block
 * (background I/O), and the clock.
 *
 * @param client the backend client (blocking calls: only on {@code io})
 * @param events the shared event stream (listeners run on its reader thread: hop to {@code ui})
 * @param me the token's name and role
 * @param ui the UI thread
 * @param io background threads for backend calls
 * @param clock the clock (tests move it)
 */
public record ConsoleContext(
    BackendClient client, EventStream events, WhoAmI me, UiExecutor ui, Executor io, Clock clock) {
  public ConsoleContext {
    if (client == null || me == null || ui == null || io == null || clock == null) {
      throw new IllegalArgumentException("client, me, ui, io and clock are required (events may be null in tests)");
    }
  }
}

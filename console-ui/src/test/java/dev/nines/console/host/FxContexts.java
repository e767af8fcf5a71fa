package dev.nines.console.host;

import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.UiExecutor;
import dev.nines.console.client.BackendClient;
import dev.nines.console.client.EventStream;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.application.Platform;

/** A console context for view tests: the FX thread as the UI executor, one daemon I/O thread. */
public final class FxContexts {
  private FxContexts() {}

  public static final UiExecutor FX =
      task -> {
        if (Platform.isFxApplicationThread()) {
          task.run();
        } else {
          Platform.runLater(task);
        }
      };

  public static ExecutorService io() {
    return Executors.newFixedThreadPool(
        2,
        r -> {
          Thread t = new Thread(r, "test-console-io");
          t.setDaemon(true);
          return t;
        });
  }

  /** Call off the FX thread: asks the backend who the token is. */
  public static ConsoleContext of(BackendClient client, EventStream events, ExecutorService io) {
    return new ConsoleContext(client, events, client.whoAmI(), FX, io, Clock.systemUTC());
  }
}

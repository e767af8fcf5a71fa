package dev.nines.console.client;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Runs a task after a delay (the event stream's reconnects and idle checks); tests move time by hand. */
public interface Scheduler {
  /** Runs {@code task} once after {@code delay}; the answer cancels it. */
  Cancellable schedule(Runnable task, Duration delay);

  /** A scheduled task. */
  interface Cancellable {
    /** Does not run it when it has not started. */
    void cancel();
  }

  /** A scheduler on one daemon thread. */
  static Scheduler daemon(String threadName) {
    ScheduledExecutorService ses =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    return (task, delay) -> {
      ScheduledFuture<?> f = ses.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
      return () -> f.cancel(false);
    };
  }
}

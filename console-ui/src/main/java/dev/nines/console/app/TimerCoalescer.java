package dev.nines.console.app;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Turns a burst of "something changed" into at most one refresh per {@code minGap}: the first
 * request after a quiet spell runs at once (on the timer thread), later ones within the gap fold into
 * one trailing run. Thread-safe; the screens of the operations views share one daemon timer thread.
 */
public final class TimerCoalescer implements AutoCloseable {
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "nines-console-refresh");
    t.setDaemon(true);
    return t;
  });

  private final Duration minGap;
  private final Clock clock;
  private final Runnable action;
  private long lastRunMs = Long.MIN_VALUE / 2;
  private boolean scheduled;
  private boolean closed;
  private int runs;

  public TimerCoalescer(Duration minGap, Clock clock, Runnable action) {
    if (minGap == null || minGap.isNegative()) {
      throw new IllegalArgumentException("minGap must be zero or positive (was " + minGap + ")");
    }
    this.minGap = minGap;
    this.clock = clock;
    this.action = action;
  }

  /** Asks for a refresh: runs within {@code minGap} of the last one, once for any number of requests. */
  public synchronized void request() {
    if (closed || scheduled) {
      return;
    }
    scheduled = true;
    long wait = Math.max(0, lastRunMs + minGap.toMillis() - clock.millis());
    TIMER.schedule(this::fire, wait, TimeUnit.MILLISECONDS);
  }

  /** How many refreshes ran. */
  public synchronized int runs() {
    return runs;
  }

  private void fire() {
    synchronized (this) {
      scheduled = false;
      if (closed) {
        return;
      }
      lastRunMs = clock.millis();
      runs++;
    }
    try {
      action.run();
    } catch (RuntimeException e) {
      // the action reports its own errors; the timer thread must survive
    }
  }

  /** Runs {@code task} every {@code period} on the shared timer thread until the answer is cancelled. */
  public static ScheduledFuture<?> every(Duration period, Runnable task) {
    return TIMER.scheduleWithFixedDelay(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        // reported by the task itself
      }
    }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops: requests after this do nothing. */
  @Override
  public synchronized void close() {
    closed = true;
  }
}

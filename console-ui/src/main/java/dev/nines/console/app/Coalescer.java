package dev.nines.console.app;

import dev.nines.console.client.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Runs an action at most once per {@code gap}, however often it is requested: the first request
 * after a quiet gap runs at once (on the caller's thread); requests within the gap are folded into one
 * run at its end (on the scheduler's thread). A screen uses one per kind of refresh so that a busy
 * event stream (1,000 hosts reporting) costs at most one backend call per second.
 *
 * <p>The clock and the scheduler are injected: a test moves the clock by hand and runs the deferred
 * task itself. {@link #close()} stops it (later requests and a deferred run do nothing).
 */
public final class Coalescer implements AutoCloseable {
  private static Scheduler shared;

  private final Duration gap;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Runnable action;
  private Instant last;
  private boolean pending;
  private boolean closed;
  private int runs;

  /**
   * @param gap the least time between two runs
   * @param clock decides whether the gap has passed
   * @param scheduler runs a deferred request at the gap's end
   * @param action what runs (must not block long: hand backend calls to an executor)
   */
  public Coalescer(Duration gap, Clock clock, Scheduler scheduler, Runnable action) {
    if (gap == null || gap.isNegative()) {
      throw new IllegalArgumentException("gap must not be negative (was " + gap + ")");
    }
    this.gap = gap;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.action = Objects.requireNonNull(action, "action");
  }

  /** One daemon scheduler thread ({@code nines-console-refresh}) for the screens that need no other. */
  public static synchronized Scheduler sharedScheduler() {
    if (shared == null) {
      shared = Scheduler.daemon("nines-console-refresh");
    }
    return shared;
  }

  /** Asks for a run: now when the gap has passed, else once at its end. Any thread. */
  public void request() {
    Duration wait;
    synchronized (this) {
      if (pending || closed) {
        return;
      }
      Instant now = clock.instant();
      if (last == null || !now.isBefore(last.plus(gap))) {
        last = now;
        runs++;
        wait = null;
      } else {
        pending = true;
        wait = Duration.between(now, last.plus(gap));
      }
    }
    if (wait == null) {
      action.run();
    } else {
      scheduler.schedule(this::fire, wait);
    }
  }

  /** Whether a deferred run waits. */
  public synchronized boolean pending() {
    return pending;
  }

  /** How many runs started (at once or deferred). */
  public synchronized int runs() {
    return runs;
  }

  /** Stops: later requests and a deferred run do nothing. */
  @Override
  public synchronized void close() {
    closed = true;
  }

  private void fire() {
    synchronized (this) {
      pending = false;
      if (closed) {
        return;
      }
      last = clock.instant();
      runs++;
    }
    try {
      action.run();
    } catch (RuntimeException e) {
      // the action reports its own errors; the scheduler's thread must survive
    }
  }
}

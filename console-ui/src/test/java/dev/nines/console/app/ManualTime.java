package dev.nines.console.app;

import dev.nines.console.client.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A clock and a scheduler that a test moves by hand: {@link #advance} moves the time and runs, in
 * time order on the calling thread, every task that fell due.
 */
public final class ManualTime extends Clock implements Scheduler {
  private record Task(Runnable run, Instant due, long order, boolean[] cancelled) {}

  private Instant now;
  private long order;
  private final List<Task> tasks = new ArrayList<>();

  public ManualTime(Instant start) {
    this.now = start;
  }

  public ManualTime() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** Moves the time on by {@code d}, running the tasks due on the way. */
  public void advance(Duration d) {
    Instant target;
    synchronized (this) {
      target = now.plus(d);
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.stream()
            .filter(t -> !t.cancelled()[0] && !t.due().isAfter(target))
            .min(Comparator.comparing(Task::due).thenComparingLong(Task::order))
            .orElse(null);
        if (next == null) {
          now = target;
          tasks.removeIf(t -> t.cancelled()[0]);
          return;
        }
        tasks.remove(next);
        if (next.due().isAfter(now)) {
          now = next.due();
        }
      }
      next.run().run();
    }
  }

  /** How many tasks wait (not cancelled). */
  public synchronized int waiting() {
    return (int) tasks.stream().filter(t -> !t.cancelled()[0]).count();
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, Duration delay) {
    Task t = new Task(task, now.plus(delay), order++, new boolean[1]);
    tasks.add(t);
    return () -> {
      synchronized (ManualTime.this) {
        t.cancelled()[0] = true;
      }
    };
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}

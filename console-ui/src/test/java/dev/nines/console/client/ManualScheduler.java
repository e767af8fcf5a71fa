package dev.nines.console.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A scheduler that runs nothing until the test says so: time moves by hand. */
final class ManualScheduler implements Scheduler {
  record Task(Runnable run, Duration delay, boolean[] cancelled) {}

  private final List<Task> tasks = new ArrayList<>();

  @Override
  public synchronized Cancellable schedule(Runnable task, Duration delay) {
    Task t = new Task(task, delay, new boolean[1]);
    tasks.add(t);
    return () -> {
      synchronized (ManualScheduler.this) {
        t.cancelled()[0] = true;
      }
    };
  }

  /** The delays of the tasks waiting (not cancelled), in order of scheduling. */
  synchronized List<Duration> pendingDelays() {
    return tasks.stream().filter(t -> !t.cancelled()[0]).map(Task::delay).toList();
  }

  /** Runs every waiting task whose delay is at most {@code upTo} (reconnects, not idle checks). */
  void runUpTo(Duration upTo) {
    List<Task> due = new ArrayList<>();
    synchronized (this) {
      for (Task t : new ArrayList<>(tasks)) {
        if (!t.cancelled()[0] && t.delay().compareTo(upTo) <= 0) {
          due.add(t);
          tasks.remove(t);
        }
      }
    }
    due.forEach(t -> t.run().run());
  }
}

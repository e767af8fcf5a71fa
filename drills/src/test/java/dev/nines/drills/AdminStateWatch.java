package dev.nines.drills;

import dev.nines.server.actuate.ActuatorException;
import dev.nines.server.actuate.AdminState;
import dev.nines.server.actuate.HaproxyRuntime;
import dev.nines.server.actuate.ServerState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads HAProxy's administrative state of one server ({@code show servers state}) every {@code
 * every} on a daemon thread and keeps every change, so a drill can tell whether an actuator set it
 * back and forth (a flap) while it looked away.
 */
final class AdminStateWatch implements AutoCloseable {
  /** A state HAProxy reported, from when this watch first saw it. */
  record Change(long atNanos, AdminState state) {}

  private final HaproxyRuntime runtime;
  private final String backend;
  private final String server;
  private final List<Change> changes = new ArrayList<>();
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private final ScheduledExecutorService timer;

  private AdminStateWatch(Path socket, String backend, String server, Duration every) {
    this.runtime = new HaproxyRuntime("unix:" + socket, Duration.ofSeconds(2), Duration.ofSeconds(2));
    this.backend = backend;
    this.server = server;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "admin-state-watch-" + server);
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::readOnce, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Starts watching {@code backend/server} on the HAProxy whose runtime socket is {@code socket}. */
  static AdminStateWatch start(Path socket, String backend, String server, Duration every) {
    return new AdminStateWatch(socket, backend, server, every);
  }

  private void readOnce() {
    try {
      for (ServerState s : runtime.showServersState(backend)) {
        if (s.server().equals(server)) {
          reads.incrementAndGet();
          record(s.admin());
        }
      }
    } catch (ActuatorException | RuntimeException e) {
      failures.incrementAndGet();
    }
  }

  private synchronized void record(AdminState state) {
    if (changes.isEmpty() || changes.get(changes.size() - 1).state() != state) {
      changes.add(new Change(System.nanoTime(), state));
    }
  }

  /** Every state seen, in order, each only when it differs from the one before. */
  synchronized List<Change> changes() {
    return List.copyOf(changes);
  }

  /** Just the states of {@link #changes()}, e.g. {@code [READY, DRAIN]}. */
  List<AdminState> states() {
    return changes().stream().map(Change::state).toList();
  }

  int reads() {
    return reads.get();
  }

  int failures() {
    return failures.get();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package dev.nines.drills;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Polls HAProxy's {@code show stat} for one server every 100 ms and records each change of its
 * status, so a drill can say whether and when HAProxy took it out of rotation.
 */
final class StatusWatch implements AutoCloseable {
  /** How often the status is read. */
  static final long POLL_MS = 100;

  /**
   * A status seen from {@code nanos} on (ticker time).
   *
   * @param nanos when it was first seen
   * @param status HAProxy's status column, e.g. {@code UP}, {@code DOWN}, {@code DRAIN}
   * @param inRotation whether HAProxy sends it new requests in that status
   */
  record Change(long nanos, String status, boolean inRotation) {}

  private final Haproxy haproxy;
  private final String server;
  private final LongSupplier ticker;
  private final ScheduledExecutorService poller;
  private final List<Change> changes = new ArrayList<>(); // guarded by this
  private final List<String> errors = new ArrayList<>(); // guarded by this

  private StatusWatch(Haproxy haproxy, String server, LongSupplier ticker) {
    this.haproxy = haproxy;
    this.server = server;
    this.ticker = ticker;
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "status-watch-" + server);
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts polling {@code llm/<server>} of {@code haproxy}; {@code ticker} as the load generator's. */
  static StatusWatch start(Haproxy haproxy, String server, LongSupplier ticker) {
    StatusWatch w = new StatusWatch(haproxy, server, ticker);
    w.poller.scheduleWithFixedDelay(w::poll, 0, POLL_MS, TimeUnit.MILLISECONDS);
    return w;
  }

  private void poll() {
    try {
      HaproxyStats.ServerStat s = haproxy.stat(server);
      long now = ticker.getAsLong();
      synchronized (this) {
        if (changes.isEmpty() || !changes.get(changes.size() - 1).status().equals(s.status())) {
          changes.add(new Change(now, s.status(), s.inRotation()));
        }
      }
    } catch (RuntimeException e) {
      synchronized (this) {
        if (errors.size() < 10) {
          errors.add(e.toString());
        }
      }
    }
  }

  /** Every change seen so far, oldest first. */
  synchronized List<Change> changes() {
    return List.copyOf(changes);
  }

  /** Failures to read the status (at most 10), for a failure message. */
  synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  /** The first change at or after {@code nanos} that took the server out of rotation. */
  synchronized Optional<Change> firstOutAfter(long nanos) {
    return changes.stream().filter(c -> c.nanos() >= nanos && !c.inRotation()).findFirst();
  }

  /** The first change at or after {@code nanos} that put the server back in rotation. */
  synchronized Optional<Change> firstInAfter(long nanos) {
    return changes.stream().filter(c -> c.nanos() >= nanos && c.inRotation()).findFirst();
  }

  /** The last status seen, or empty before the first poll. */
  synchronized Optional<String> lastStatus() {
    return changes.isEmpty() ? Optional.empty() : Optional.of(changes.get(changes.size() - 1).status());
  }

  @Override
  public void close() {
    poller.shutdownNow();
    try {
      poller.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

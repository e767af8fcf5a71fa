package dev.nines.server;

import dev.nines.protocol.AgentReport;
import dev.nines.server.alerts.AlertService;
import dev.nines.server.config.ServerConfig;
import dev.nines.server.leader.Leadership;
import dev.nines.server.notify.DeliveryWorker;
import dev.nines.server.routing.RoutingService;
import dev.nines.server.store.WriteResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current {@link Brain}, if this replica has one: always for a single replica (built at start),
 * and for a replica of several only while it holds the leader lease. Elections and depositions are
 * handled one at a time on a thread of their own, so that building a brain (which reads the
 * database) or closing one (which waits for its running jobs) never holds up the lease's renewals.
 */
final class BrainHolder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BrainHolder.class);

  private final Brain.Parts parts;
  private final Duration tick;
  private volatile Brain current;
  private final ExecutorService terms =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "nines-brain");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean closed;
  /**
   * A follower's keys-only report tail: it announces every replica's reports to this replica's
   * event-stream clients (the leader's brain does that with its own tail). Made anew whenever it
   * starts again (this replica stopped leading, or its first client connected), from the overlap
   * before now: old reports are not announced as new.
   */
  private volatile dev.nines.server.replica.ReportTail announcer;
  private java.util.concurrent.ScheduledExecutorService announcing;
  private final java.util.concurrent.atomic.AtomicLong buildFailures = new java.util.concurrent.atomic.AtomicLong();

  /**
   * What a replica re-reads from the database when it is elected, before its brain is built: what
   * it caches in memory and only the leader writes (receivers, maintenance windows, pools replaced
   * over the API), which the previous leader may have changed while this replica followed.
   */
  private final Runnable reread;

  /** @param tick the staleness tick handed to every brain (null: no background jobs, for tests) */
  BrainHolder(Brain.Parts parts, Duration tick) {
    this(parts, tick, () -> {});
  }

  /**
   * @param tick the staleness tick handed to every brain (null: no background jobs, for tests)
   * @param reread run on every election before the brain is built (see {@link #reread})
   */
  BrainHolder(Brain.Parts parts, Duration tick, Runnable reread) {
    this.parts = parts;
    this.tick = tick;
    this.reread = reread;
  }

  /** A single replica: builds the brain now, for good (its deliveries start with {@link #started}). */
  void buildSingle() {
    current = new Brain(parts, 0, tick, () -> true);
  }

  /** The server listens and knows its URL: a single replica's brain starts delivering alerts. */
  void started() {
    Brain b = current;
    if (b != null) {
      b.startDelivery();
    }
  }

  /**
   * Replicas: builds a brain whenever {@code leadership} elects this replica, closes it when deposed;
   * while it follows, announces every replica's reports to its own clients ({@link #announceOnce}).
   */
  void follow(Leadership leadership) {
    if (tick != null) {
      announcing = Brain.daemon("nines-report-announcer");
      long every = dev.nines.server.replica.ReportTail.EVERY.toMillis();
      announcing.scheduleWithFixedDelay(this::announceOnce, every, every, TimeUnit.MILLISECONDS);
    }
    leadership.addListener(
        new Leadership.Listener() {
          @Override
          public void elected(long token) {
            submit(() -> {
              stop("a new term");
              if (!closed && leadership.fence().orElse(-1) == token) {
                try {
                  reread.run();
                  Brain b = new Brain(parts, token, tick, leadership::isLeader);
                  b.startDelivery();
                  current = b;
                  LOG.info("leading with fencing token {}: policy, actuators, alerts and retention run here", token);
                } catch (RuntimeException e) {
                  // a leader without a brain would hold the lease and do none of a leader's work for
                  // as long as it renews: give the lease up so that another replica leads now
                  LOG.error("could not start leading with fencing token {} ({}); giving the lease up", token,
                      e.getMessage(), e);
                  buildFailures.incrementAndGet();
                  leadership.stepDown("its brain could not be built: " + e.getMessage());
                }
              }
            });
          }

          @Override
          public void deposed(long token, String why) {
            submit(() -> stop("deposed: " + why));
          }
        });
  }

  /**
   * One pass of the follower's announcer: nothing while this replica leads (its brain's tail
   * announces) or has no event-stream client (no query at all; the next client starts afresh).
   * Answers how many reports it announced.
   */
  int announceOnce() {
    if (current != null || parts.events().clients() == 0) {
      announcer = null;
      return 0;
    }
    dev.nines.server.replica.ReportTail t = announcer;
    if (t == null) {
      t = dev.nines.server.replica.ReportTail.keysOnly(
          parts.store(), parts.clock().millis() - dev.nines.server.replica.ReportTail.DEFAULT_OVERLAP.toMillis(),
          dev.nines.server.replica.ReportTail.announcingKeys(parts.events()));
      announcer = t;
    }
    try {
      return t.runOnce();
    } catch (RuntimeException e) {
      LOG.warn("announcing other replicas' reports failed (next pass reads again): {}", e.getMessage());
      return 0;
    }
  }

  private void submit(Runnable r) {
    try {
      terms.execute(
          () -> {
            try {
              r.run();
            } catch (RuntimeException e) {
              LOG.error("changing the leader's brain failed: {}", e.getMessage(), e);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // the server is stopping
    }
  }

  private void stop(String why) {
    Brain b = current;
    if (b != null) {
      current = null;
      b.close();
      LOG.info("brain of token {} stopped ({})", b.token, why);
    }
  }

  /** How many elections this replica gave up because its brain could not be built. */
  long buildFailures() {
    return buildFailures.get();
  }

  /** The brain, or null when this replica does not lead. */
  Brain brain() {
    return current;
  }

  /** The brain; fails when this replica does not lead (for tests and wiring that must have one). */
  Brain require() {
    Brain b = current;
    if (b == null) {
      throw new IllegalStateException("this replica does not lead: no brain here");
    }
    return b;
  }

  RoutingService routing() {
    Brain b = current;
    return b == null ? null : b.routing;
  }

  AlertService alerts() {
    Brain b = current;
    return b == null ? null : b.alerts;
  }

  DeliveryWorker delivery() {
    Brain b = current;
    return b == null ? null : b.delivery;
  }

  /** Hands committed reports to the brain, if any (a follower's are judged by the leader's tail). */
  void judge(List<WriteResult> results, List<AgentReport> parsed) {
    Brain b = current;
    if (b != null) {
      b.judge(results, parsed);
    }
  }

  /** The writer is about to store {@code batch}: the brain's report tail must not deliver it again. */
  void writing(List<dev.nines.server.store.ReportRecord> batch) {
    eachTail(t -> t.skipLocal(batch)); // judged and announced here as it commits
  }

  /** The writer stored a batch (judged directly): its rows are the tail's to forget. */
  void committed(List<WriteResult> results) {
    eachTail(t -> t.localCommitted(results));
  }

  /** The writer could not store {@code batch}: nothing of it is in the database. */
  void failed(List<dev.nines.server.store.ReportRecord> batch) {
    eachTail(t -> t.localFailed(batch));
  }

  /** Tells the report tails this replica runs (the follower's announcer, the brain's) of a local write. */
  private void eachTail(java.util.function.Consumer<dev.nines.server.replica.ReportTail> tell) {
    dev.nines.server.replica.ReportTail a = announcer;
    if (a != null) {
      tell.accept(a);
    }
    Brain b = current;
    if (b != null && b.reports != null) {
      tell.accept(b.reports);
    }
  }

  void reconfigure(ServerConfig next) {
    Brain b = current;
    if (b != null) {
      b.reconfigure(next);
    }
  }

  void wakeDelivery() {
    Brain b = current;
    if (b != null) {
      b.delivery.wake();
    }
  }

  @Override
  public void close() {
    closed = true;
    if (announcing != null) {
      announcing.shutdownNow();
    }
    terms.shutdown();
    try {
      if (!terms.awaitTermination(15, TimeUnit.SECONDS)) {
        terms.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stop("the server is stopping");
  }
}

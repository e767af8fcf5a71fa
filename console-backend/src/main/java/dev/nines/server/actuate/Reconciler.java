package dev.nines.server.actuate;

import dev.nines.protocol.RoutingState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the outside world at the routing state the backend wants. {@link #desire} records a host's
 * desired state and applies it at once through each of the host's actuators; {@link #runOnce} (called
 * by a scheduler every second, or by a test with a clock it moves) then, per actuator and host:
 *
 * <ul>
 *   <li>after a failure, retries when the backoff has passed (1 s, 2 s, 4 s ... at most 60 s after
 *       the last failure);
 *   <li>otherwise, for an actuator that can observe, compares the observed state with the desired
 *       one and re-applies on a mismatch (a drift correction: someone or something changed it behind
 *       our back, e.g. an HAProxy reload or a hand-typed command);
 *   <li>an actuator that cannot observe (a webhook) is re-applied only after failures.
 * </ul>
 *
 * <p>Errors are recorded, never thrown. Thread-safe: each (actuator, host) pair is one small state
 * machine guarded by its own lock, held across its I/O so that applies to one server never overtake
 * each other; {@link #status} reads published snapshots and never waits on I/O. A slow actuator
 * slows {@code runOnce} (pairs are visited in turn); its own timeouts bound that.
 */
public final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  /** The first retry's delay; each further failure doubles it. */
  public static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  /** The longest delay between retries. */
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

  private static final Comparator<ActuatorStatus> ORDER =
      Comparator.comparing((ActuatorStatus s) -> s.target().pool())
          .thenComparing(s -> s.target().hostId())
          .thenComparing(ActuatorStatus::actuator);

  private final Clock clock;
  private final Function<Target, List<Actuator>> actuatorsFor;
  private final Map<Target, List<Pair>> pairs = new ConcurrentHashMap<>();
  private final AtomicLong applies = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong driftCorrections = new AtomicLong();

  /** Each target goes to every actuator that {@link Actuator#handles handles} it. */
  public Reconciler(Clock clock, List<Actuator> actuators) {
    this(clock, all(actuators));
  }

  /**
   * @param actuatorsFor the actuators for a target (asked on each {@link #desire}); may be empty
   */
  public Reconciler(Clock clock, Function<Target, List<Actuator>> actuatorsFor) {
    if (clock == null) {
      throw new IllegalArgumentException("clock must not be null");
    }
    if (actuatorsFor == null) {
      throw new IllegalArgumentException("actuatorsFor must not be null");
    }
    this.clock = clock;
    this.actuatorsFor = actuatorsFor;
  }

  private static Function<Target, List<Actuator>> all(List<Actuator> actuators) {
    if (actuators == null) {
      throw new IllegalArgumentException("actuators must not be null");
    }
    List<Actuator> copy = List.copyOf(actuators);
    return t -> copy.stream().filter(a -> a.handles(t)).toList();
  }

  /** The delay before the retry that follows {@code failuresInARow} failures (at least 1). */
  public static Duration backoff(int failuresInARow) {
    if (failuresInARow < 1) {
      return Duration.ZERO;
    }
    if (failuresInARow > 7) {
      return MAX_BACKOFF; // 2^6 s already exceeds the cap; also keeps the shift small
    }
    Duration d = FIRST_BACKOFF.multipliedBy(1L << (failuresInARow - 1));
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  /**
   * Records the state the backend wants for the target and applies it at once on each of its
   * actuators (on the caller's thread). A failure is recorded and retried by {@link #runOnce}; a new
   * desire replaces any pending retry.
   */
  public void desire(Target target, RoutingState state, String reason) {
    if (target == null) {
      throw new IllegalArgumentException("target must not be null");
    }
    if (state == null) {
      throw new IllegalArgumentException("state must not be null");
    }
    List<Actuator> actuators = List.copyOf(actuatorsFor.apply(target));
    List<Pair> list =
        pairs.compute(
            target,
            (t, old) -> {
              List<Pair> next = new ArrayList<>();
              for (Actuator a : actuators) {
                Pair kept = null;
                if (old != null) {
                  for (Pair p : old) {
                    if (p.actuator == a) {
                      kept = p;
                    }
                  }
                }
                next.add(kept != null ? kept : new Pair(a, t));
              }
              return List.copyOf(next);
            });
    for (Pair p : list) {
      p.desire(state, reason == null ? "" : reason);
    }
  }

  private volatile java.util.function.BooleanSupplier acting = () -> true;

  /** For a replica of several: actuators are applied only while {@code acting} (it leads). */
  public void gate(java.util.function.BooleanSupplier acting) {
    this.acting = acting;
  }

  /** One reconcile pass over every (actuator, target) pair; see the class comment. */
  public void runOnce() {
    for (List<Pair> list : pairs.values()) {
      for (Pair p : list) {
        p.reconcile();
      }
    }
  }

  /** Stops reconciling the target (a host that left its pool). */
  public void forget(Target target) {
    pairs.remove(target);
  }

  /** Every pair's status, ordered by pool, host, actuator. */
  public List<ActuatorStatus> status() {
    List<ActuatorStatus> out = new ArrayList<>();
    for (List<Pair> list : pairs.values()) {
      for (Pair p : list) {
        ActuatorStatus s = p.snapshot;
        if (s != null) {
          out.add(s);
        }
      }
    }
    out.sort(ORDER);
    return List.copyOf(out);
  }

  /** One target's statuses, one per actuator, ordered by actuator. */
  public List<ActuatorStatus> status(Target target) {
    List<ActuatorStatus> out = new ArrayList<>();
    for (Pair p : pairs.getOrDefault(target, List.of())) {
      ActuatorStatus s = p.snapshot;
      if (s != null) {
        out.add(s);
      }
    }
    out.sort(ORDER);
    return List.copyOf(out);
  }

  /** Applies attempted (first tries, retries and drift corrections), successful or not. */
  public long applies() {
    return applies.get();
  }

  /** Failed applies and failed observations. */
  public long failures() {
    return failures.get();
  }

  /** Re-applies because an actuator observed a state other than the desired one. */
  public long driftCorrections() {
    return driftCorrections.get();
  }

  /** One actuator for one target: a small state machine (in sync / failed, waiting to retry). */
  private final class Pair {
    final Actuator actuator;
    final Target target;
    // guarded by this
    RoutingState desired;
    String reason = "";
    boolean failed;
    int attempts;
    String lastError;
    Instant lastAttempt;
    Instant nextAttempt;
    Optional<AdminState> observed = Optional.empty();
    boolean inSync;
    volatile ActuatorStatus snapshot;

    Pair(Actuator actuator, Target target) {
      this.actuator = actuator;
      this.target = target;
    }

    synchronized void desire(RoutingState state, String why) {
      desired = state;
      reason = why;
      failed = false;
      attempts = 0;
      lastError = null;
      nextAttempt = null;
      apply();
    }

    synchronized void reconcile() {
      if (desired == null) {
        return;
      }
      Instant now = clock.instant();
      if (failed) {
        if (nextAttempt != null && now.isBefore(nextAttempt)) {
          return;
        }
        apply();
        return;
      }
      Optional<AdminState> seen;
      try {
        seen = actuator.observe(target);
      } catch (ActuatorException | RuntimeException e) {
        fail(now, "observe: " + message(e));
        return;
      }
      if (seen.isEmpty()) {
        // cannot observe: the last apply succeeded, nothing to do until a new desire
        observed = Optional.empty();
        inSync = true;
        publish();
        return;
      }
      observed = seen;
      if (seen.get() == AdminState.of(desired)) {
        inSync = true;
        publish();
        return;
      }
      driftCorrections.incrementAndGet();
      LOG.info(
          "{} host {}: observed {} but desired {} ({}); re-applying",
          actuator.name(), target, seen.get(), desired, AdminState.of(desired));
      apply();
    }

    /** Applies the desired state, then observes it once where the actuator can. */
    private void apply() {
      Instant now = clock.instant();
      if (!acting.getAsBoolean()) {
        // a deposed leader: the next leader applies the stored desired state
        fail(now, "not applied: this replica no longer leads");
        return;
      }
      lastAttempt = now;
      applies.incrementAndGet();
      try {
        actuator.apply(target, desired, reason);
      } catch (ActuatorException | RuntimeException e) {
        fail(now, message(e));
        return;
      }
      Optional<AdminState> seen;
      try {
        seen = actuator.observe(target);
      } catch (ActuatorException | RuntimeException e) {
        fail(now, "observe after apply: " + message(e));
        return;
      }
      if (failed || attempts > 0) {
        LOG.info("{} host {}: {} applied after {} failed attempts", actuator.name(), target, desired, attempts);
      }
      failed = false;
      attempts = 0;
      lastError = null;
      nextAttempt = null;
      observed = seen;
      inSync = seen.isEmpty() || seen.get() == AdminState.of(desired);
      publish();
    }

    private void fail(Instant now, String error) {
      failures.incrementAndGet();
      failed = true;
      attempts++;
      lastError = error;
      inSync = false;
      nextAttempt = now.plus(backoff(attempts));
      if (attempts == 1) {
        LOG.warn("{} host {}: cannot hold {}: {}", actuator.name(), target, desired, error);
      } else {
        LOG.debug("{} host {}: attempt {} failed: {}", actuator.name(), target, attempts, error);
      }
      publish();
    }

    private void publish() {
      snapshot =
          new ActuatorStatus(
              actuator.name(), target, desired, observed, inSync, attempts, lastError, lastAttempt,
              nextAttempt);
    }
  }

  private static String message(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}

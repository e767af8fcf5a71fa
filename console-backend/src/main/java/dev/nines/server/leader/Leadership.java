package dev.nines.server.leader;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's side of the leader lease: a small state machine (FOLLOWER, LEADER) driven by
 * {@link #runOnce()}, which a scheduler calls every {@link #renewEvery()} and tests call by hand.
 *
 * <p>Safety comes from two rules. First, a leader acts only until {@code ttl - margin} after the
 * start of its last successful renewal ({@link #actUntilMs()}), measured on its own clock and
 * checked at every {@link #isLeader()}: when the database cannot be reached (a partition, a dead
 * connection, a renewal that hangs), it stops acting by itself, {@code margin} before any other
 * replica may take the lease (at {@code expiresAtMs}, one full ttl after that renewal began). The
 * margin covers the clock skew between replicas. Second, the lease carries a fencing token that
 * goes up with every new term; leader-only writes check it in their transaction
 * ({@link #fence()}), so even a leader that paused for longer than its lease cannot write after
 * its successor began.
 *
 * <p>Thread-safe; the store call is made outside the lock, so {@link #isLeader()} answers at once
 * even while a renewal hangs.
 */
public final class Leadership {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  /** The lease that the policy engine, the actuators, the alert dispatcher and retention need. */
  public static final String LEADER = "leader";
  /** How long a lease lasts from its last renewal. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(6);
  /** How long before its lease runs out a leader stops acting: more than the clocks may differ. */
  public static final Duration DEFAULT_MARGIN = Duration.ofSeconds(2);

  /** The two states. */
  public enum Role { FOLLOWER, LEADER }

  /** Told of every change of role, on the thread that noticed it. Must not throw. */
  public interface Listener {
    /** This replica leads from now on, under {@code token}. */
    void elected(long token);

    /** This replica no longer leads ({@code token} is the term that ended). */
    void deposed(long token, String why);
  }

  /**
   * What this replica knows of the lease.
   *
   * @param replica this replica's id
   * @param role whether it leads now
   * @param token its fencing token while it leads, else 0
   * @param leader the holder of the lease at the last attempt, or null before any answer
   * @param leaderUrl where that holder serves the API, or "" when unknown
   * @param leaderToken that holder's token, or 0
   * @param leaseExpiresAtMs when that lease runs out, or 0
   * @param actUntilMs while leading: when it stops acting unless renewed; else 0
   * @param lastError the last attempt's failure, or null when it succeeded
   */
  public record Status(
      String replica, Role role, long token, String leader, String leaderUrl, long leaderToken, long leaseExpiresAtMs,
      long actUntilMs, String lastError) {}

  private final LeaseStore store;
  private final String name;
  private final String replica;
  private volatile String url = "";
  private final long ttlMs;
  private final long marginMs;
  private final Clock clock;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  private Role role = Role.FOLLOWER;
  private long token;
  private long actUntilMs;
  private String leader;
  private String leaderUrl = "";
  private long leaderToken;
  private long leaseExpiresAtMs;
  private String lastError;

  /**
   * @param name the lease's name ({@link #LEADER})
   * @param replica this replica's id, unique among the replicas (e.g. host:port:pid)
   * @param ttl how long a lease lasts from its renewal
   * @param margin how long before the end of its lease a leader stops acting (0 < margin < ttl)
   */
  public Leadership(LeaseStore store, String name, String replica, Duration ttl, Duration margin, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name is required");
    }
    if (replica == null || replica.isBlank()) {
      throw new IllegalArgumentException("replica is required");
    }
    if (ttl.toMillis() < 3 || margin.toMillis() < 1 || margin.compareTo(ttl) >= 0) {
      throw new IllegalArgumentException(
          "ttl must be >= 3 ms and 0 < margin < ttl (were " + ttl + ", " + margin + ")");
    }
    this.name = name;
    this.replica = replica;
    this.ttlMs = ttl.toMillis();
    this.marginMs = margin.toMillis();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** With the default ttl and margin. */
  public static Leadership of(LeaseStore store, String replica, Clock clock) {
    return new Leadership(store, LEADER, replica, DEFAULT_TTL, DEFAULT_MARGIN, clock);
  }

  public void addListener(Listener l) {
    listeners.add(Objects.requireNonNull(l, "listener"));
  }

  public String replica() {
    return replica;
  }

  /** Where this replica serves the API; stored in the lease while it leads (followers forward there). */
  public void setUrl(String url) {
    this.url = url == null ? "" : url;
  }

  /** How often {@link #runOnce()} should run: a third of the ttl, so two renewals may fail. */
  public Duration renewEvery() {
    return Duration.ofMillis(Math.max(1, ttlMs / 3));
  }

  /**
   * One attempt: renews the lease while leading, else takes it when it ran out. A failure of the
   * store is remembered ({@link Status#lastError()}) and changes nothing by itself: a leader keeps
   * acting until {@link #actUntilMs()}, then steps down.
   */
  public Status runOnce() {
    long startedMs = clock.millis();
    long believed;
    synchronized (this) {
      stepDownIfLapsed(startedMs);
      believed = token;
    }
    Lease lease;
    try {
      lease = store.acquire(name, replica, url, believed, startedMs, ttlMs);
    } catch (RuntimeException e) {
      synchronized (this) {
        lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        LOG.warn("leader lease {}: the attempt failed ({}); {}", name, lastError,
            role == Role.LEADER ? "acting until " + actUntilMs : "following");
        stepDownIfLapsed(clock.millis());
        return status();
      }
    }
    synchronized (this) {
      lastError = null;
      leader = lease.holder();
      leaderUrl = lease.holderUrl();
      leaderToken = lease.token();
      leaseExpiresAtMs = lease.expiresAtMs();
      if (lease.heldBy(replica, startedMs)) {
        if (role == Role.LEADER && lease.token() != token) {
          // our term ended unseen (the lease ran out and we took it again): a new term
          depose("the lease ran out before it was renewed; a new term begins");
        }
        actUntilMs = startedMs + ttlMs - marginMs;
        if (role == Role.FOLLOWER) {
          role = Role.LEADER;
          token = lease.token();
          LOG.info("leader lease {}: {} leads with fencing token {}", name, replica, token);
          for (Listener l : listeners) {
            l.elected(token);
          }
        }
      } else if (role == Role.LEADER) {
        depose("the lease is held by " + lease.holder() + " (token " + lease.token() + ")");
      }
      stepDownIfLapsed(clock.millis());
      return status();
    }
  }

  /** True while this replica may act as the leader: it holds the lease and its act window is open. */
  public synchronized boolean isLeader() {
    stepDownIfLapsed(clock.millis());
    return role == Role.LEADER;
  }

  /** The fencing token while leading; empty otherwise. Leader-only writes carry it. */
  public synchronized OptionalLong fence() {
    return isLeader() ? OptionalLong.of(token) : OptionalLong.empty();
  }

  /** While leading: when this replica stops acting unless a renewal succeeds; else 0. */
  public synchronized long actUntilMs() {
    return role == Role.LEADER ? actUntilMs : 0;
  }

  public synchronized Status status() {
    stepDownIfLapsed(clock.millis());
    return new Status(
        replica, role, role == Role.LEADER ? token : 0, leader, leaderUrl, leaderToken, leaseExpiresAtMs,
        role == Role.LEADER ? actUntilMs : 0, lastError);
  }

  /** Gives the lease up (a clean shutdown) so that another replica leads at its next attempt. */
  public void release() {
    stepDown("this replica is shutting down");
  }

  /**
   * Stops leading now and gives the lease up, so that another replica (or this one, at a later
   * attempt) may lead at once instead of after the lease runs out: for a clean shutdown, or a leader
   * that cannot do a leader's work (its brain could not be built). Nothing happens unless leading.
   */
  public void stepDown(String why) {
    long held;
    synchronized (this) {
      if (role != Role.LEADER) {
        return;
      }
      held = token;
      depose(why);
    }
    try {
      store.release(name, replica, held, clock.millis());
    } catch (RuntimeException e) {
      LOG.warn("leader lease {}: could not release token {} ({}); it runs out by itself", name, held, e.getMessage());
    }
  }

  private void stepDownIfLapsed(long nowMs) {
    if (role == Role.LEADER && nowMs >= actUntilMs) {
      depose("the lease was not renewed in time (act window ended at " + actUntilMs + ")");
    }
  }

  private void depose(String why) {
    long ended = token;
    role = Role.FOLLOWER;
    token = 0;
    actUntilMs = 0;
    LOG.warn("leader lease {}: {} stops leading (token {}): {}", name, replica, ended, why);
    for (Listener l : listeners) {
      l.deposed(ended, why);
    }
  }
}

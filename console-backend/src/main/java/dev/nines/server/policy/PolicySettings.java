package dev.nines.server.policy;

import dev.nines.server.availability.CapacityGuard;
import java.time.Duration;

/**
 * How the automatic policy treats one pool. Built once from the config; validated here.
 *
 * @param autoDrain drain members that stay UNHEALTHY (or silent) past the hysteresis
 * @param hysteresis how long a fault must last before the policy acts on it
 * @param cooldown the least time between two automatic drains (and two automatic failovers) of a pool
 * @param recovery how long a host the policy drained must stay HEALTHY before it is undrained
 * @param guard how many members must stay ACTIVE (of the active side, for a pool with sides)
 * @param autoFailover fail a pool with sides over to its standby when the active side falls below
 *     the guard
 * @param quarantine put hosts with a fatal GPU fault ({@code gpu-xid}, {@code gpu-ecc}) in MAINTENANCE
 * @param quarantineRelease how long a quarantined host must stay HEALTHY before the policy releases
 *     it; null: only an operator releases it
 * @param startupGrace after the backend (re)starts, how long silent hosts are left alone: their
 *     silence is likely the backend's own
 * @param drainDegradedBy health rules that make a DEGRADED member a drain candidate like an
 *     UNHEALTHY one (default {@code latency-vs-pool}: a gray failure, a host that still answers but
 *     several times slower than its peers, is what a load balancer's health check never catches)
 */
public record PolicySettings(
    boolean autoDrain,
    Duration hysteresis,
    Duration cooldown,
    Duration recovery,
    CapacityGuard guard,
    boolean autoFailover,
    boolean quarantine,
    Duration quarantineRelease,
    Duration startupGrace,
    java.util.Set<String> drainDegradedBy) {
  /** A gray failure: slower than the pool's peers, still answering. */
  public static final java.util.Set<String> DEFAULT_DRAIN_DEGRADED_BY =
      java.util.Set.of(dev.nines.server.health.RuleIds.LATENCY_VS_POOL);

  public static final Duration DEFAULT_HYSTERESIS = Duration.ofSeconds(30);
  public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(5);
  public static final Duration DEFAULT_RECOVERY = Duration.ofMinutes(10);
  public static final Duration DEFAULT_STARTUP_GRACE = Duration.ofMinutes(2);
  public static final CapacityGuard DEFAULT_GUARD = CapacityGuard.fraction(0.5);

  public PolicySettings {
    requireNonNegative("hysteresis", hysteresis);
    requireNonNegative("cooldown", cooldown);
    requireNonNegative("recovery", recovery);
    requireNonNegative("startupGrace", startupGrace);
    if (quarantineRelease != null) {
      requireNonNegative("quarantineRelease", quarantineRelease);
    }
    if (guard == null) {
      throw new IllegalArgumentException("guard is required");
    }
    drainDegradedBy = drainDegradedBy == null ? java.util.Set.of() : java.util.Set.copyOf(drainDegradedBy);
  }

  /** With the default {@link #DEFAULT_DRAIN_DEGRADED_BY}. */
  public PolicySettings(
      boolean autoDrain, Duration hysteresis, Duration cooldown, Duration recovery, CapacityGuard guard,
      boolean autoFailover, boolean quarantine, Duration quarantineRelease, Duration startupGrace) {
    this(autoDrain, hysteresis, cooldown, recovery, guard, autoFailover, quarantine, quarantineRelease, startupGrace,
        DEFAULT_DRAIN_DEGRADED_BY);
  }

  public PolicySettings withDrainDegradedBy(java.util.Set<String> value) {
    return new PolicySettings(autoDrain, hysteresis, cooldown, recovery, guard, autoFailover, quarantine,
        quarantineRelease, startupGrace, value);
  }

  /**
   * Auto-drain on, hysteresis 30 s, cooldown 5 min, recovery 10 min, guard half the members, automatic
   * failover on, quarantine on (released only by an operator), start-up grace 2 min.
   */
  public static PolicySettings defaults() {
    return new PolicySettings(
        true, DEFAULT_HYSTERESIS, DEFAULT_COOLDOWN, DEFAULT_RECOVERY, DEFAULT_GUARD, true, true, null,
        DEFAULT_STARTUP_GRACE);
  }

  public PolicySettings withAutoDrain(boolean value) {
    return new PolicySettings(value, hysteresis, cooldown, recovery, guard, autoFailover, quarantine,
        quarantineRelease, startupGrace, drainDegradedBy);
  }

  public PolicySettings withHysteresis(Duration value) {
    return new PolicySettings(autoDrain, value, cooldown, recovery, guard, autoFailover, quarantine,
        quarantineRelease, startupGrace, drainDegradedBy);
  }

  public PolicySettings withCooldown(Duration value) {
    return new PolicySettings(autoDrain, hysteresis, value, recovery, guard, autoFailover, quarantine,
        quarantineRelease, startupGrace, drainDegradedBy);
  }

  public PolicySettings withRecovery(Duration value) {
    return new PolicySettings(autoDrain, hysteresis, cooldown, value, guard, autoFailover, quarantine,
        quarantineRelease, startupGrace, drainDegradedBy);
  }

  public PolicySettings withGuard(CapacityGuard value) {
    return new PolicySettings(autoDrain, hysteresis, cooldown, recovery, value, autoFailover, quarantine,
        quarantineRelease, startupGrace, drainDegradedBy);
  }

  public PolicySettings withAutoFailover(boolean value) {
    return new PolicySettings(autoDrain, hysteresis, cooldown, recovery, guard, value, quarantine,
        quarantineRelease, startupGrace, drainDegradedBy);
  }

  public PolicySettings withQuarantine(boolean value) {
    return new PolicySettings(autoDrain, hysteresis, cooldown, recovery, guard, autoFailover, value,
        quarantineRelease, startupGrace, drainDegradedBy);
  }

  /** @param value null: only an operator releases a quarantined host */
  public PolicySettings withQuarantineRelease(Duration value) {
    return new PolicySettings(autoDrain, hysteresis, cooldown, recovery, guard, autoFailover, quarantine,
        value, startupGrace, drainDegradedBy);
  }

  public PolicySettings withStartupGrace(Duration value) {
    return new PolicySettings(autoDrain, hysteresis, cooldown, recovery, guard, autoFailover, quarantine,
        quarantineRelease, value, drainDegradedBy);
  }

  private static void requireNonNegative(String field, Duration d) {
    if (d == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    if (d.isNegative()) {
      throw new IllegalArgumentException(field + " must not be negative (was " + d + ")");
    }
  }
}

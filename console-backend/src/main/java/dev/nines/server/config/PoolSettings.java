package dev.nines.server.config;

import dev.nines.server.availability.CapacityGuard;
import dev.nines.server.availability.DegradedPolicy;
import dev.nines.server.availability.Slo;
import dev.nines.server.health.HealthRules;
import java.time.Duration;

/**
 * What the server knows of one pool: its objective, its capacity guard, how DEGRADED counts
 * towards availability, and its health rules. A pool that the config does not name has {@link
 * #defaults(HealthRules)}.
 *
 * @param slo the availability objective (default 99.9 % over 30 days)
 * @param guard how many members must serve for the pool to be up (default half, rounded up)
 * @param degraded how a DEGRADED member or pool counts (default: as up)
 * @param rules the pool's health rules (the server-wide rules with the pool's overrides)
 * @param routing membership, sides, the automatic policy's knobs and the actuators
 */
public record PoolSettings(
    Slo slo, CapacityGuard guard, DegradedPolicy degraded, HealthRules rules, RoutingSettings routing) {
  /** 99.9 % over 30 days. */
  public static final Slo DEFAULT_SLO = new Slo(0.999, Duration.ofDays(30));

  /** At least half the members serving ({@code minActiveFraction: 0.5}). */
  public static final CapacityGuard DEFAULT_GUARD = CapacityGuard.fraction(0.5);

  /**
   * DEGRADED counts as up: a degraded host still answers (slowly, or with a hot GPU), and the
   * health rules already turn a degradation that hurts users (errors, hangs) into UNHEALTHY.
   */
  public static final DegradedPolicy DEFAULT_DEGRADED = DegradedPolicy.UP;

  public PoolSettings {
    if (slo == null) {
      throw new IllegalArgumentException("slo is required");
    }
    if (guard == null) {
      throw new IllegalArgumentException("guard is required");
    }
    if (degraded == null) {
      throw new IllegalArgumentException("degraded is required");
    }
    if (rules == null) {
      throw new IllegalArgumentException("rules is required");
    }
    if (routing == null) {
      routing = RoutingSettings.defaults();
    }
  }

  /** With the default routing (no sides, agents only, automatic drain on). */
  public PoolSettings(Slo slo, CapacityGuard guard, DegradedPolicy degraded, HealthRules rules) {
    this(slo, guard, degraded, rules, RoutingSettings.defaults());
  }

  /** The defaults, with these health rules. */
  public static PoolSettings defaults(HealthRules rules) {
    return new PoolSettings(DEFAULT_SLO, DEFAULT_GUARD, DEFAULT_DEGRADED, rules);
  }
}

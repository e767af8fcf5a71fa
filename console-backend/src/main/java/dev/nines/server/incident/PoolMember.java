package dev.nines.server.incident;

import dev.nines.protocol.RoutingState;
import dev.nines.server.health.Health;

/**
 * One member of a pool as the pool state needs it.
 *
 * @param hostId the host
 * @param health its current health (UNKNOWN when it was never judged)
 * @param routing its desired routing state (ACTIVE until drains exist)
 */
public record PoolMember(String hostId, Health health, RoutingState routing) {
  public PoolMember {
    if (hostId == null || hostId.isBlank()) {
      throw new IllegalArgumentException("hostId is required");
    }
    if (health == null) {
      throw new IllegalArgumentException("health is required");
    }
    if (routing == null) {
      throw new IllegalArgumentException("routing is required");
    }
  }

  /** ACTIVE and HEALTHY: counts toward the guard. */
  public boolean serving() {
    return routing == RoutingState.ACTIVE && health == Health.HEALTHY;
  }

  /** In planned maintenance: counts toward the guard only for a pool in MAINTENANCE (not DOWN). */
  public boolean inMaintenance() {
    return routing == RoutingState.MAINTENANCE;
  }

  /** ACTIVE and DEGRADED: counts toward the guard only for a DEGRADED (not DOWN) pool. */
  public boolean servingDegraded() {
    return routing == RoutingState.ACTIVE && health == Health.DEGRADED;
  }
}

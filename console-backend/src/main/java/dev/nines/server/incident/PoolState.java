package dev.nines.server.incident;

/**
 * A pool's state as the incident tracker sees it; see {@link PoolStateTracker#evaluate} for the
 * exact definition.
 */
public enum PoolState {
  /** At least the capacity guard's number of members are ACTIVE and HEALTHY. */
  UP(0),
  /** The guard is met only when ACTIVE members that are DEGRADED count as serving. */
  DEGRADED(1),
  /**
   * The guard is met only when members in MAINTENANCE count as well: planned, excluded from
   * availability, so not an incident (as {@code availability.Availability} classifies it).
   */
  MAINTENANCE(0),
  /** Fewer members than the guard asks for are ACTIVE and HEALTHY or DEGRADED, or in maintenance. */
  DOWN(3);

  private final int rank;

  PoolState(int rank) {
    this.rank = rank;
  }

  /** 0 for UP and MAINTENANCE, 1 for DEGRADED, 3 for DOWN (DOWN ranks with a host's UNHEALTHY). */
  public int rank() {
    return rank;
  }
}

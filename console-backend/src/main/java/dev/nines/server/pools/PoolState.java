package dev.nines.server.pools;

/** A pool's state at one instant, judged like its time-based availability. */
public enum PoolState {
  /** At least the guard's number of members are ACTIVE and HEALTHY. */
  UP,
  /** Enough members serve only when DEGRADED ones are counted too. */
  DEGRADED,
  /** Too few members serve. */
  DOWN,
  /** The shortfall is covered by members in MAINTENANCE: excluded time. */
  MAINTENANCE,
  /** No member has been judged yet. */
  UNKNOWN
}

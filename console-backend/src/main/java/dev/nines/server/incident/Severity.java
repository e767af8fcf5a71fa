package dev.nines.server.incident;

import dev.nines.server.health.Health;

/** Ranks the states an incident's severity is named after: the worst state seen wins. */
final class Severity {
  private Severity() {}

  /**
   * The rank of a state: a host's {@link Health#severity()} (DEGRADED 1, UNKNOWN 2, UNHEALTHY 3);
   * a pool's DEGRADED 1, DOWN 3. HEALTHY and UP rank 0.
   *
   * @throws IllegalArgumentException for a name that is not a state of that kind
   */
  static int rank(IncidentKind kind, String state) {
    if (state == null) {
      throw new IllegalArgumentException("state is required");
    }
    try {
      return kind == IncidentKind.HOST ? Health.valueOf(state).severity() : PoolState.valueOf(state).rank();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + state + "' is not a " + kind.wire() + " state");
    }
  }

  /** The worse of two states of the same kind. */
  static String worst(IncidentKind kind, String a, String b) {
    return rank(kind, b) > rank(kind, a) ? b : a;
  }
}

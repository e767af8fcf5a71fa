package dev.nines.server.availability;

/**
 * How many members a pool needs serving to count as up: an absolute {@code minActive}, or a
 * fraction of its members ({@code ceil(minActiveFraction * members)}, at least 1). Exactly one of
 * the two is set; the other is 0.
 *
 * @param minActive the absolute minimum (>= 1), or 0 when the fraction applies
 * @param minActiveFraction the fraction in (0, 1], or 0 when the absolute minimum applies
 */
public record CapacityGuard(int minActive, double minActiveFraction) {
  public CapacityGuard {
    if (minActive < 0) {
      throw new IllegalArgumentException("minActive must be >= 0 (was " + minActive + ")");
    }
    if (!(minActiveFraction >= 0.0 && minActiveFraction <= 1.0)) {
      throw new IllegalArgumentException(
          "minActiveFraction must be within (0, 1] (was " + minActiveFraction + ")");
    }
    if ((minActive == 0) == (minActiveFraction == 0.0)) {
      throw new IllegalArgumentException(
          "exactly one of minActive and minActiveFraction must be set (minActive "
              + minActive
              + ", minActiveFraction "
              + minActiveFraction
              + ")");
    }
  }

  /** The pool is up while at least {@code n} members serve. */
  public static CapacityGuard atLeast(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("minActive must be >= 1 (was " + n + ")");
    }
    return new CapacityGuard(n, 0.0);
  }

  /** The pool is up while at least {@code ceil(fraction * members)} members serve. */
  public static CapacityGuard fraction(double fraction) {
    if (!(fraction > 0.0)) {
      throw new IllegalArgumentException("minActiveFraction must be > 0 (was " + fraction + ")");
    }
    return new CapacityGuard(0, fraction);
  }

  /** How many serving members a pool of {@code members} needs (at least 1). */
  public int requiredOf(int members) {
    if (members < 0) {
      throw new IllegalArgumentException("members must be >= 0 (was " + members + ")");
    }
    if (minActive > 0) {
      return minActive;
    }
    // The epsilon keeps 0.3 * 10 = 3.0000000000000004 at 3, not 4.
    return Math.max(1, (int) Math.ceil(minActiveFraction * members - 1e-9));
  }
}

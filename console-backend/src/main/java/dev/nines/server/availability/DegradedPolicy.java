package dev.nines.server.availability;

/**
 * How a DEGRADED period counts towards availability (per pool): as up (weight 1), as down (weight
 * 0) or partly (e.g. 0.3: a degraded minute counts as 0.3 of an up minute and 0.7 of downtime).
 * With a weight below 1 a degraded period is part of an outage (an incident is a period that is
 * "down or degraded"); with weight 1 it is not.
 *
 * @param degradedWeight the share of a degraded period that counts as up, in [0, 1]
 */
public record DegradedPolicy(double degradedWeight) {
  /** DEGRADED counts as up. */
  public static final DegradedPolicy UP = new DegradedPolicy(1.0);

  /** DEGRADED counts as down. */
  public static final DegradedPolicy DOWN = new DegradedPolicy(0.0);

  public DegradedPolicy {
    if (!(degradedWeight >= 0.0 && degradedWeight <= 1.0)) {
      throw new IllegalArgumentException(
          "degradedWeight must be within [0, 1] (was " + degradedWeight + ")");
    }
  }

  /** DEGRADED counts as {@code weight} of up time. */
  public static DegradedPolicy weighted(double weight) {
    return new DegradedPolicy(weight);
  }

  /** True when a degraded period is fully up, so it is not part of any outage. */
  public boolean degradedIsUp() {
    return degradedWeight == 1.0;
  }
}

package dev.nines.server.availability;

import java.time.Duration;

/**
 * A service level objective: the availability {@code target} (e.g. 0.999) over a rolling {@code
 * period} (e.g. 30 days).
 *
 * @param target the objective, strictly between 0 and 1
 * @param period the rolling period, positive
 */
public record Slo(double target, Duration period) {
  public Slo {
    if (!(target > 0.0 && target < 1.0)) {
      throw new IllegalArgumentException("target must be within (0, 1) (was " + target + ")");
    }
    if (period == null) {
      throw new IllegalArgumentException("period is required");
    }
    if (period.toMillis() <= 0) {
      throw new IllegalArgumentException("period must be at least 1 ms (was " + period + ")");
    }
  }

  /** The error budget: 1 - target, the fraction of the period allowed to be down. */
  public double errorBudget() {
    return 1.0 - target;
  }
}

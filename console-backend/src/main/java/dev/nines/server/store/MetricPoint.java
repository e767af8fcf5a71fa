package dev.nines.server.store;

/**
 * One step of a series: the aggregate of every sample (or rollup) whose time falls in
 * {@code [t, t + step)}.
 *
 * @param t the step's start, epoch ms
 * @param sum the sum of the values (for a gauge: of the samples; for a count: the total count)
 * @param min the smallest value (NaN for a count)
 * @param max the largest value (NaN for a count)
 * @param n how many samples contributed; at least 1
 */
public record MetricPoint(long t, double sum, double min, double max, long n) {
  public MetricPoint {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1 (was " + n + ")");
    }
  }

  /** The mean of the samples. */
  public double avg() {
    return sum / n;
  }

  /** This point merged with another of the same step (from another source). */
  MetricPoint merge(MetricPoint o) {
    return new MetricPoint(t, sum + o.sum, Math.min(min, o.min), Math.max(max, o.max), n + o.n);
  }
}

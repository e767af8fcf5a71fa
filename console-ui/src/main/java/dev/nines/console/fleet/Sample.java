package dev.nines.console.fleet;

/**
 * One figure of a host as the fleet shows it: the latest value and the samples before it.
 *
 * @param value the latest value, or null when not available
 * @param history the last samples, oldest first, NaN where one was missing (a snapshot: never changed)
 */
public record Sample(Double value, double[] history) {
  /** No value and no history. */
  public static final Sample NONE = new Sample(null, new double[0]);

  public Sample {
    if (history == null) {
      throw new IllegalArgumentException("history is required");
    }
  }

  /** Orders by value, missing values last. */
  public static int compare(Sample a, Sample b) {
    Double x = a == null ? null : a.value();
    Double y = b == null ? null : b.value();
    if (x == null || y == null) {
      return x == null ? (y == null ? 0 : 1) : -1;
    }
    return Double.compare(x, y);
  }
}

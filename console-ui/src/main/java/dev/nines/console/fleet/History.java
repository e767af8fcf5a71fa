package dev.nines.console.fleet;

import java.util.Arrays;

/** The last samples of one host's figures: a ring per metric. Not thread-safe (one updater at a time). */
final class History {
  static final int CAPACITY = 60;

  private final double[][] rings = new double[Metric.values().length][CAPACITY];
  private int size;
  private int next;
  long lastSeq = -1;
  Sample[] samples = new Sample[Metric.values().length];

  History() {
    Arrays.fill(samples, Sample.NONE);
  }

  /** Appends one report's figures and makes new snapshots of every metric. */
  void append(Double[] values) {
    for (int m = 0; m < rings.length; m++) {
      Double v = values[m];
      rings[m][next] = v == null ? Double.NaN : v;
    }
    next = (next + 1) % CAPACITY;
    size = Math.min(CAPACITY, size + 1);
    Sample[] fresh = new Sample[rings.length];
    for (int m = 0; m < rings.length; m++) {
      fresh[m] = new Sample(values[m], snapshot(m));
    }
    samples = fresh;
  }

  /** Metric {@code m}'s samples, oldest first. */
  double[] snapshot(int m) {
    double[] out = new double[size];
    int start = (next - size + CAPACITY) % CAPACITY;
    for (int i = 0; i < size; i++) {
      out[i] = rings[m][(start + i) % CAPACITY];
    }
    return out;
  }
}

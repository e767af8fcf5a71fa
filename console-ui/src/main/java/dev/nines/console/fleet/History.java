package dev.nines.console.fleet;

import java.util.Arrays;
import java.util.List;

/** The last samples of one host's figures: a ring per metric. Not thread-safe (one updater at a time). */
final class History {
  static final int CAPACITY = 60;

  private final double[][] rings = new double[Metric.values().length][CAPACITY];
  private int size;
  private int next;
  long lastSeq = -1;
  /** Counts the changes of {@link #samples} (rows publish only a new version). */
  long version;
  Sample[] samples = new Sample[Metric.values().length];

  History() {
    Arrays.fill(samples, Sample.NONE);
  }

  /** Appends one report's figures and makes new snapshots of every metric. */
  void append(Double[] values) {
    push(values);
    snapshotAll(values);
  }

  /**
   * Replaces a history of at most one sample with {@code past} (oldest first, from the stored series)
   * followed by that sample; a longer history (live reports came first) is left alone.
   */
  boolean seed(List<Double[]> past) {
    if (size > 1 || past.isEmpty()) {
      return false;
    }
    Double[] latest = null;
    if (size == 1) {
      latest = new Double[rings.length];
      for (int m = 0; m < rings.length; m++) {
        latest[m] = samples[m].value();
      }
    }
    // the last bucket holds the latest report already: it is shown as that report
    List<Double[]> before = latest != null && past.size() > 1 ? past.subList(0, past.size() - 1) : past;
    size = 0;
    next = 0;
    for (Double[] row : before.subList(Math.max(0, before.size() - CAPACITY + 1), before.size())) {
      push(row);
    }
    if (latest != null) {
      push(latest);
    }
    snapshotAll(latest != null ? latest : past.get(past.size() - 1));
    return true;
  }

  private void push(Double[] values) {
    for (int m = 0; m < rings.length; m++) {
      Double v = values[m];
      rings[m][next] = v == null ? Double.NaN : v;
    }
    next = (next + 1) % CAPACITY;
    size = Math.min(CAPACITY, size + 1);
  }

  private void snapshotAll(Double[] values) {
    Sample[] fresh = new Sample[rings.length];
    for (int m = 0; m < rings.length; m++) {
      fresh[m] = new Sample(values[m], snapshot(m));
    }
    samples = fresh;
    version++;
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

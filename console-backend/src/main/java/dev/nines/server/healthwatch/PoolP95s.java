package dev.nines.server.healthwatch;

import dev.nines.server.health.PoolContext;
import java.util.Arrays;

/**
 * The latest p95 figures of one pool's members, kept sorted so that the pool's median is read in
 * O(1) and a member's new figure costs one binary search and one array shift, instead of gathering
 * and sorting every member per report. Holds only the figures {@link PoolContext#ofMemberP95s}
 * counts (finite, >= 0), so its contexts are the same as that method's, to the bit.
 */
final class PoolP95s {
  private double[] sorted = new double[8];
  private int size;

  /** A member's figure changed from {@code before} to {@code after} (either may be null: none). */
  void replace(Double before, Double after) {
    if (counts(before)) {
      remove(before);
    }
    if (counts(after)) {
      add(after);
    }
  }

  /** Members with a figure. */
  int size() {
    return size;
  }

  /** The context {@link PoolContext#ofMemberP95s(java.util.Collection, int)} would give. */
  PoolContext context(int minMembers) {
    if (size == 0 || size < minMembers) {
      return new PoolContext(null, size);
    }
    double median = size % 2 == 1 ? sorted[size / 2] : (sorted[size / 2 - 1] + sorted[size / 2]) / 2.0;
    return new PoolContext(median, size);
  }

  static boolean counts(Double d) {
    return d != null && Double.isFinite(d) && d >= 0;
  }

  private void add(double v) {
    int at = Arrays.binarySearch(sorted, 0, size, v);
    if (at < 0) {
      at = -at - 1;
    }
    if (size == sorted.length) {
      sorted = Arrays.copyOf(sorted, size * 2);
    }
    System.arraycopy(sorted, at, sorted, at + 1, size - at);
    sorted[at] = v;
    size++;
  }

  private void remove(double v) {
    int at = Arrays.binarySearch(sorted, 0, size, v);
    if (at < 0) {
      throw new IllegalStateException("no member has the figure " + v);
    }
    System.arraycopy(sorted, at + 1, sorted, at, size - at - 1);
    size--;
  }
}

package dev.nines.console.widgets;

/**
 * A bounded ring of timed samples for one chart series, oldest first: epoch milliseconds and a value
 * ({@link Double#NaN} marks a gap). Times must not go backwards; a full buffer drops its oldest sample.
 * Pure: no JavaFX, not thread-safe.
 */
public final class TimeSeriesBuffer {
  private final long[] times;
  private final double[] values;
  private int start;
  private int size;

  /** An empty buffer holding at most {@code capacity} samples (at least 1). */
  public TimeSeriesBuffer(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.times = new long[capacity];
    this.values = new double[capacity];
  }

  /**
   * Appends a sample. A time before the newest one is refused (a chart's x must grow); a NaN value is
   * a gap: the line breaks there.
   */
  public void append(long epochMillis, double value) {
    if (size > 0 && epochMillis < timeAt(size - 1)) {
      throw new IllegalArgumentException(
          "epochMillis " + epochMillis + " is before the newest sample " + timeAt(size - 1));
    }
    int slot;
    if (size < times.length) {
      slot = (start + size) % times.length;
      size++;
    } else {
      slot = start;
      start = (start + 1) % times.length;
    }
    times[slot] = epochMillis;
    values[slot] = value;
  }

  /** Removes every sample. */
  public void clear() {
    start = 0;
    size = 0;
  }

  /** How many samples are held. */
  public int size() {
    return size;
  }

  /** The most samples held. */
  public int capacity() {
    return times.length;
  }

  /** The time of sample {@code index} (0 = oldest). */
  public long timeAt(int index) {
    check(index);
    return times[(start + index) % times.length];
  }

  /** The value of sample {@code index} (0 = oldest); NaN for a gap. */
  public double valueAt(int index) {
    check(index);
    return values[(start + index) % times.length];
  }

  /**
   * The index of the sample nearest to {@code epochMillis}, or -1 when empty. Ties go to the earlier
   * sample. Binary search: O(log n).
   */
  public int nearestIndex(long epochMillis) {
    if (size == 0) {
      return -1;
    }
    int lo = 0;
    int hi = size - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (timeAt(mid) < epochMillis) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    // lo is the first sample at or after the time (or the last one)
    if (lo > 0 && epochMillis - timeAt(lo - 1) <= timeAt(lo) - epochMillis) {
      return lo - 1;
    }
    return lo;
  }

  private void check(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " of " + size);
    }
  }
}

package dev.nines.console.widgets;

import java.util.Arrays;

/**
 * A bounded ring of samples, oldest first. Appending to a full ring drops the oldest sample, so the
 * memory stays {@code capacity} doubles however long a host reports. {@link Double#NaN} is a gap
 * (no sample for that slot). Pure: no JavaFX, not thread-safe (confine it to one thread).
 */
public final class DoubleRing {
  private final double[] values;
  private int start;
  private int size;
  private long version;

  /** An empty ring holding at most {@code capacity} samples (at least 1). */
  public DoubleRing(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.values = new double[capacity];
  }

  /** Appends one sample ({@code NaN} for a gap), dropping the oldest when full. */
  public void append(double value) {
    if (size < values.length) {
      values[(start + size) % values.length] = value;
      size++;
    } else {
      values[start] = value;
      start = (start + 1) % values.length;
    }
    version++;
  }

  /** Replaces the content with the last {@code capacity} of {@code data} (oldest first). */
  public void setAll(double[] data) {
    int n = Math.min(data.length, values.length);
    System.arraycopy(data, data.length - n, values, 0, n);
    start = 0;
    size = n;
    version++;
  }

  /** Removes every sample. */
  public void clear() {
    start = 0;
    size = 0;
    version++;
  }

  /** The sample at {@code index}, 0 being the oldest held. */
  public double get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " of " + size);
    }
    return values[(start + index) % values.length];
  }

  /** How many samples are held (at most {@link #capacity()}). */
  public int size() {
    return size;
  }

  /** The most samples this ring holds. */
  public int capacity() {
    return values.length;
  }

  /** Grows by one on every change; a view redraws only when it moved. */
  public long version() {
    return version;
  }

  /** The held samples, oldest first, as a new array. */
  public double[] toArray() {
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      out[i] = values[(start + i) % values.length];
    }
    return out;
  }

  /** The smallest finite sample, or NaN when there is none. */
  public double min() {
    double min = Double.NaN;
    for (int i = 0; i < size; i++) {
      double v = get(i);
      if (Double.isFinite(v) && !(v >= min)) {
        min = v;
      }
    }
    return min;
  }

  /** The largest finite sample, or NaN when there is none. */
  public double max() {
    double max = Double.NaN;
    for (int i = 0; i < size; i++) {
      double v = get(i);
      if (Double.isFinite(v) && !(v <= max)) {
        max = v;
      }
    }
    return max;
  }

  /** The newest sample, or NaN when empty. */
  public double last() {
    return size == 0 ? Double.NaN : get(size - 1);
  }

  @Override
  public String toString() {
    return "DoubleRing" + Arrays.toString(toArray());
  }
}

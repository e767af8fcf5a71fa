package dev.nines.server.availability;

import java.util.Arrays;

/**
 * A step function over a window {@code [fromMs, toMs)}: change points in increasing time order, each
 * with the serving class that holds until the next point (or the window's end). The first point is
 * always at {@code fromMs}; consecutive points never repeat a class. Primitive arrays keep a month
 * of a thousand hosts cheap.
 */
final class ClassStream {
  static final byte UP = 0;
  static final byte DEGRADED = 1;
  static final byte DOWN = 2;
  static final byte MAINTENANCE = 3;
  static final byte UNREPORTED = 4;
  static final int CLASSES = 5;

  final long fromMs;
  final long toMs;
  long[] times;
  byte[] classes;
  int size;

  ClassStream(long fromMs, long toMs, int capacityHint) {
    this.fromMs = fromMs;
    this.toMs = toMs;
    int capacity = Math.max(4, capacityHint);
    this.times = new long[capacity];
    this.classes = new byte[capacity];
  }

  /** Appends a change point; drops it when the class does not change. */
  void add(long atMs, byte cls) {
    if (size > 0 && classes[size - 1] == cls) {
      return;
    }
    if (size == times.length) {
      int capacity = times.length * 2;
      times = Arrays.copyOf(times, capacity);
      classes = Arrays.copyOf(classes, capacity);
    }
    times[size] = atMs;
    classes[size] = cls;
    size++;
  }

  /** End (exclusive) of the segment that starts at point {@code i}. */
  long endOf(int i) {
    return i + 1 < size ? times[i + 1] : toMs;
  }
}

package dev.nines.server.availability;

import java.util.OptionalDouble;

/**
 * Request-based availability over a window: good / total.
 *
 * @param window the window
 * @param good good requests in it
 * @param total all requests in it
 */
public record RequestAvailability(Window window, long good, long total) {
  public RequestAvailability {
    if (window == null) {
      throw new IllegalArgumentException("window is required");
    }
    if (good < 0 || total < good) {
      throw new IllegalArgumentException("good must be within [0, total] (good " + good + ", total " + total + ")");
    }
  }

  /** good / total, or empty when there were no requests. */
  public OptionalDouble ratio() {
    return total == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) good / total);
  }
}

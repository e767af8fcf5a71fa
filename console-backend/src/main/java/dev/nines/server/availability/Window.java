package dev.nines.server.availability;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A half-open time window {@code [from, to)} in UTC instants, truncated to the millisecond. A state
 * that starts exactly at {@code to} is outside the window; one that starts exactly at {@code from}
 * is inside.
 */
public record Window(Instant from, Instant to) {
  public Window {
    if (from == null) {
      throw new IllegalArgumentException("from is required");
    }
    if (to == null) {
      throw new IllegalArgumentException("to is required");
    }
    from = from.truncatedTo(ChronoUnit.MILLIS);
    to = to.truncatedTo(ChronoUnit.MILLIS);
    if (to.equals(from)) {
      throw new IllegalArgumentException("to must be after from: the window has zero length (" + from + ")");
    }
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("to (" + to + ") must not be before from (" + from + ")");
    }
  }

  /** The window of the given length that ends at {@code end}. */
  public static Window ending(Instant end, Duration length) {
    if (end == null) {
      throw new IllegalArgumentException("end is required");
    }
    if (length == null) {
      throw new IllegalArgumentException("length is required");
    }
    return new Window(end.minus(length), end);
  }

  public long lengthMs() {
    return toMs() - fromMs();
  }

  long fromMs() {
    return from.toEpochMilli();
  }

  long toMs() {
    return to.toEpochMilli();
  }
}

package dev.nines.server.availability;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * An explicit maintenance window {@code [from, to)}: excluded from both the numerator and the
 * denominator of availability. Instants are truncated to the millisecond.
 */
public record MaintenanceWindow(Instant from, Instant to) {
  public MaintenanceWindow {
    if (from == null) {
      throw new IllegalArgumentException("from is required");
    }
    if (to == null) {
      throw new IllegalArgumentException("to is required");
    }
    from = from.truncatedTo(ChronoUnit.MILLIS);
    to = to.truncatedTo(ChronoUnit.MILLIS);
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("to must be after from (from " + from + ", to " + to + ")");
    }
  }

  long fromMs() {
    return from.toEpochMilli();
  }

  long toMs() {
    return to.toEpochMilli();
  }
}

package dev.nines.server.maintenance;

import java.time.Instant;

/**
 * One occurrence of a maintenance window: {@code [start, end)}.
 *
 * @param start when it begins (inclusive)
 * @param end when it ends (exclusive), after {@code start}
 */
public record Occurrence(Instant start, Instant end) {
  public Occurrence {
    if (start == null) {
      throw new IllegalArgumentException("start is required");
    }
    if (end == null) {
      throw new IllegalArgumentException("end is required");
    }
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("end must be after start (start " + start + ", end " + end + ")");
    }
  }

  /** Whether {@code t} lies in {@code [start, end)}. */
  public boolean contains(Instant t) {
    return !t.isBefore(start) && t.isBefore(end);
  }

  /** Whether this occurrence shares time with {@code [from, to)}. */
  public boolean overlaps(Instant from, Instant to) {
    return start.isBefore(to) && end.isAfter(from);
  }
}

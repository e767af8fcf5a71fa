package dev.nines.server.availability;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Good and total requests counted in one bucket (from probes or a server's own counters). A bucket
 * belongs to a window when its start lies inside {@code [from, to)}.
 *
 * @param bucketStart the bucket's start (truncated to the millisecond)
 * @param good requests that succeeded
 * @param total all requests, at least {@code good}
 */
public record RequestCount(Instant bucketStart, long good, long total) {
  public RequestCount {
    if (bucketStart == null) {
      throw new IllegalArgumentException("bucketStart is required");
    }
    if (good < 0) {
      throw new IllegalArgumentException("good must be >= 0 (was " + good + ")");
    }
    if (total < good) {
      throw new IllegalArgumentException("total must be >= good (was " + total + ", good " + good + ")");
    }
    bucketStart = bucketStart.truncatedTo(ChronoUnit.MILLIS);
  }
}

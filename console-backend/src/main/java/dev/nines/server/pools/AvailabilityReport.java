package dev.nines.server.pools;

import dev.nines.server.availability.AvailabilityFigures;
import dev.nines.server.availability.RequestAvailability;

/**
 * Availability of one host or pool over a window.
 *
 * @param kind {@code host} or {@code pool}
 * @param id the host or pool
 * @param time the time-based figures
 * @param requests the request-based figures over the same window
 */
public record AvailabilityReport(String kind, String id, AvailabilityFigures time, RequestAvailability requests) {
  public AvailabilityReport {
    if (!"host".equals(kind) && !"pool".equals(kind)) {
      throw new IllegalArgumentException("kind must be host or pool (was " + kind + ")");
    }
    if (id == null || time == null || requests == null) {
      throw new IllegalArgumentException("id, time and requests are required");
    }
  }
}

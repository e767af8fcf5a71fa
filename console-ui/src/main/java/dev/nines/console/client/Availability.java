package dev.nines.console.client;

import java.util.List;

/**
 * {@code GET /api/v1/availability}: the figures of one pool or host over a window (epoch ms).
 * {@code availability}, {@code mttrMs} and {@code mtbfMs} are null when not available.
 */
public record Availability(
    String kind, String id, long from, long to, Double availability, long countedMs, long excludedMs,
    long upMs, long degradedMs, long downMs, long downtimeMs, int incidents, Double mttrMs,
    Double mtbfMs, long longestOutageMs, List<Outage> outages, Pool.Requests requests) {
  public Availability {
    outages = outages == null ? List.of() : List.copyOf(outages);
  }

  /** One outage in the window; {@code ended} false while it lasts. */
  public record Outage(long start, long end, long durationMs, boolean ended) {}
}

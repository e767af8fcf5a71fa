package dev.nines.server.availability;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Time-based availability of one host or pool over a window, exact to the millisecond.
 *
 * <p>{@code countedMs = upMs + degradedMs + downMs} is the denominator; {@code excludedMs} is the
 * window's other time (maintenance, and time before the first report). Availability is {@code (upMs
 * + weight * degradedMs) / countedMs}, and not available when nothing was counted (a host that never
 * reported, or a window wholly in maintenance): never a silent 0 or 1.
 *
 * @param window the window
 * @param countedMs time in the denominator
 * @param excludedMs maintenance and not-yet-reported time
 * @param upMs counted time fully up
 * @param degradedMs counted time degraded (pool: enough members only when degraded ones count)
 * @param downMs counted time down
 * @param availability the fraction of counted time up, or empty when nothing was counted
 * @param downtimeMs the unavailable counted time, degraded time weighted ({@code downMs + (1 -
 *     weight) * degradedMs}, rounded to the millisecond)
 * @param outages the incidents in the window, oldest first
 * @param mttrMs mean duration of the outages that ended inside the window, or empty when none did
 * @param mtbfMs mean up time between failures: counted time outside outages divided by the number
 *     of outages, or empty when there were none
 * @param longestOutageMs the longest outage's duration inside the window, 0 when none
 */
public record AvailabilityFigures(
    Window window,
    long countedMs,
    long excludedMs,
    long upMs,
    long degradedMs,
    long downMs,
    OptionalDouble availability,
    long downtimeMs,
    List<Outage> outages,
    OptionalDouble mttrMs,
    OptionalDouble mtbfMs,
    long longestOutageMs) {
  public AvailabilityFigures {
    if (window == null) {
      throw new IllegalArgumentException("window is required");
    }
    if (availability == null) {
      throw new IllegalArgumentException("availability is required");
    }
    if (outages == null) {
      throw new IllegalArgumentException("outages is required");
    }
    if (mttrMs == null) {
      throw new IllegalArgumentException("mttrMs is required");
    }
    if (mtbfMs == null) {
      throw new IllegalArgumentException("mtbfMs is required");
    }
    if (countedMs != upMs + degradedMs + downMs) {
      throw new IllegalArgumentException("countedMs must be upMs + degradedMs + downMs (was " + countedMs + ")");
    }
    if (countedMs + excludedMs != window.lengthMs()) {
      throw new IllegalArgumentException("countedMs + excludedMs must be the window's length (was " + (countedMs + excludedMs) + ")");
    }
    outages = List.copyOf(outages);
  }

  /** The number of incidents (outages) in the window; one cut by the window's edge counts once. */
  public int incidentCount() {
    return outages.size();
  }
}

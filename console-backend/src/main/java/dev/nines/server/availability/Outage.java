package dev.nines.server.availability;

import java.time.Instant;

/**
 * One incident inside a window: a contiguous period in which the host or pool was down (or
 * degraded, where the pool's policy counts degraded as less than up), clipped to the window.
 * Excluded time (maintenance) neither starts nor ends an outage and does not count in its
 * duration: an outage that runs into maintenance and is still down afterwards is one outage.
 *
 * @param start its first down instant inside the window
 * @param end the end of its last down period (exclusive), at most the window's end
 * @param durationMs counted down (or degraded) time, maintenance excluded, clipped to the window
 * @param endedInWindow true when the window shows the recovery (up time follows inside it); false
 *     for an outage still going on at the window's end
 */
public record Outage(Instant start, Instant end, long durationMs, boolean endedInWindow) {
  public Outage {
    if (start == null) {
      throw new IllegalArgumentException("start is required");
    }
    if (end == null) {
      throw new IllegalArgumentException("end is required");
    }
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("end must be after start (" + start + ", " + end + ")");
    }
    if (durationMs <= 0) {
      throw new IllegalArgumentException("durationMs must be > 0 (was " + durationMs + ")");
    }
  }
}

package dev.nines.server.availability;

import dev.nines.server.health.Health;
import dev.nines.protocol.RoutingState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A host's full state from {@code at} until its next change. Instants are truncated to the
 * millisecond: the maths is exact to the millisecond, not below.
 *
 * @param at when the host entered this state (UTC instant, millisecond precision)
 * @param health its health from then on
 * @param routing its routing state from then on ({@link RoutingState#MAINTENANCE} is excluded time)
 */
public record StateChange(Instant at, Health health, RoutingState routing) {
  public StateChange {
    if (at == null) {
      throw new IllegalArgumentException("at is required");
    }
    if (health == null) {
      throw new IllegalArgumentException("health is required");
    }
    if (routing == null) {
      throw new IllegalArgumentException("routing is required");
    }
    at = at.truncatedTo(ChronoUnit.MILLIS);
  }

  long atMs() {
    return at.toEpochMilli();
  }
}

package dev.nines.server.incident;

import java.time.Instant;

/**
 * What the tracker remembers of an open incident (and what a restart reloads from the store).
 *
 * @param key host or pool
 * @param openedAt when it opened
 * @param severity the worst state seen since it opened (a {@code Health} or {@code PoolState} name)
 * @param state the subject's state now
 */
public record OpenIncident(IncidentKey key, Instant openedAt, String severity, String state) {
  public OpenIncident {
    if (key == null) {
      throw new IllegalArgumentException("key is required");
    }
    if (openedAt == null) {
      throw new IllegalArgumentException("openedAt is required");
    }
    Severity.rank(key.kind(), severity);
    Severity.rank(key.kind(), state);
  }
}

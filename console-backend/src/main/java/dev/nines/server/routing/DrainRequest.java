package dev.nines.server.routing;

import java.time.Duration;
import java.time.Instant;

/**
 * An operator's drain (or maintenance) request.
 *
 * @param reason why, for the audit log and the agents (1..1024 characters)
 * @param timeout how long the graceful drain waits for in-flight requests, or null for the pool's
 * @param force override the capacity guard (audited)
 * @param dryRun answer what would happen, change nothing
 * @param maintenance MAINTENANCE instead of DRAINING
 * @param until when the maintenance ends by itself, or null
 */
public record DrainRequest(
    String reason, Duration timeout, boolean force, boolean dryRun, boolean maintenance, Instant until) {
  public DrainRequest {
    if (reason == null || reason.isBlank() || reason.length() > 1024) {
      throw new IllegalArgumentException("reason is required (1..1024 characters)");
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofHours(24)) > 0)) {
      throw new IllegalArgumentException("timeout must be in (0, 24h] (was " + timeout + ")");
    }
    if (until != null && !maintenance) {
      throw new IllegalArgumentException("until applies to maintenance only");
    }
  }
}

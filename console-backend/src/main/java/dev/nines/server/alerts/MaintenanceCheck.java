package dev.nines.server.alerts;

import java.time.Instant;

/**
 * Whether a maintenance window covers a pool or host now: covered alerts are not sent (they still
 * show in {@code /alerts}, suppressed by {@code maintenance}). The maintenance calendar implements it.
 */
@FunctionalInterface
public interface MaintenanceCheck {
  /** No maintenance ever. */
  MaintenanceCheck NONE = (pool, host, now) -> false;

  /**
   * @param pool the alert's pool label, or null
   * @param host the alert's host label, or null
   * @param now the instant
   */
  boolean covers(String pool, String host, Instant now);
}

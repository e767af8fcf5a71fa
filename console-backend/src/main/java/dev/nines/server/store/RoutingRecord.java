package dev.nines.server.store;

import dev.nines.protocol.RoutingState;

/**
 * A host's desired routing state and who set it.
 *
 * @param state the desired state
 * @param reason why, or null
 * @param changedAtMs when it last changed
 * @param changedBy who or what changed it ({@code system} for the initial ACTIVE)
 */
public record RoutingRecord(RoutingState state, String reason, long changedAtMs, String changedBy) {
  /** Who sets the initial state of a host that was never routed explicitly. */
  public static final String SYSTEM = "system";

  public RoutingRecord {
    if (state == null) {
      throw new IllegalArgumentException("state is required");
    }
    if (changedAtMs < 0) {
      throw new IllegalArgumentException("changedAtMs must be >= 0 (was " + changedAtMs + ")");
    }
    if (changedBy == null || changedBy.isEmpty()) {
      throw new IllegalArgumentException("changedBy is required");
    }
  }
}

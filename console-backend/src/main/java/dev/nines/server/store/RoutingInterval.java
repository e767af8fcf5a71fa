package dev.nines.server.store;

import dev.nines.protocol.RoutingState;

/**
 * One stored stretch of a host's routing state, {@code [fromMs, toMs)}.
 *
 * @param hostId the host
 * @param state ACTIVE, DRAINING, DRAINED or MAINTENANCE
 * @param reason why, or null
 * @param changedBy who or what set it ({@code system} for the ACTIVE of a host's first report)
 * @param fromMs when it began (server clock, epoch ms)
 * @param toMs when it ended, or null while it is the current state
 */
public record RoutingInterval(String hostId, String state, String reason, String changedBy, long fromMs, Long toMs) {
  public RoutingInterval {
    if (hostId == null || hostId.isEmpty()) {
      throw new IllegalArgumentException("hostId is required");
    }
    if (state == null || state.isEmpty()) {
      throw new IllegalArgumentException("state is required");
    }
    if (changedBy == null || changedBy.isEmpty()) {
      throw new IllegalArgumentException("changedBy is required");
    }
    if (toMs != null && toMs < fromMs) {
      throw new IllegalArgumentException("toMs must be >= fromMs (were " + toMs + ", " + fromMs + ")");
    }
  }

  /** The state as the protocol's enum. */
  public RoutingState routing() {
    return RoutingState.valueOf(state);
  }
}

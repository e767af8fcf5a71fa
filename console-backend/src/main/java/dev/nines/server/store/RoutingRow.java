package dev.nines.server.store;

/**
 * A host's current routing row, with its pool.
 *
 * @param hostId the host
 * @param pool its pool, or null
 * @param routing the desired state, why, when and by whom
 * @param untilMs when a maintenance window ends by itself, epoch ms, or null
 */
public record RoutingRow(String hostId, String pool, RoutingRecord routing, Long untilMs) {
  public RoutingRow {
    if (hostId == null || hostId.isBlank()) {
      throw new IllegalArgumentException("hostId is required");
    }
    if (routing == null) {
      throw new IllegalArgumentException("routing is required");
    }
  }
}

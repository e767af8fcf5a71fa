package dev.nines.server.store;

import dev.nines.protocol.RoutingState;

/**
 * A host as a member of its pool: what pool evaluation needs, without the host's last report.
 *
 * @param hostId the host
 * @param pool its pool (never null: hosts without a pool are no members)
 * @param health its stored current health, or null when none was stored yet
 * @param routing its desired routing state (ACTIVE when none was stored)
 */
public record PoolMemberRecord(String hostId, String pool, String health, RoutingState routing) {
  public PoolMemberRecord {
    if (hostId == null || hostId.isEmpty()) {
      throw new IllegalArgumentException("hostId is required");
    }
    if (pool == null) {
      throw new IllegalArgumentException("pool is required");
    }
    if (routing == null) {
      throw new IllegalArgumentException("routing is required");
    }
  }
}

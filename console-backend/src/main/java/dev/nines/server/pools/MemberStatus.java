package dev.nines.server.pools;

import dev.nines.server.store.RoutingRecord;

/**
 * One pool member now.
 *
 * @param hostId the host
 * @param health its current health, or null when it was never judged
 * @param healthSinceMs since when, or null
 * @param routing its desired routing state and who set it
 * @param serving true while ACTIVE and HEALTHY (what counts as up)
 */
public record MemberStatus(String hostId, String health, Long healthSinceMs, RoutingRecord routing, boolean serving) {
  public MemberStatus {
    if (hostId == null || hostId.isEmpty()) {
      throw new IllegalArgumentException("hostId is required");
    }
    if (routing == null) {
      throw new IllegalArgumentException("routing is required");
    }
  }
}

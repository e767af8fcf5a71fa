package dev.nines.server.incident;

import java.util.List;

/**
 * A pool's state with the figures that decided it.
 *
 * @param pool the pool
 * @param state UP, DEGRADED or DOWN
 * @param members how many hosts carry the pool's label
 * @param required how many must serve (the capacity guard applied to {@code members})
 * @param healthy members ACTIVE and HEALTHY
 * @param degraded members ACTIVE and DEGRADED
 * @param down members that do not serve (not ACTIVE, or UNHEALTHY, or UNKNOWN), sorted
 * @param degradedMembers the members counted in {@code degraded}, sorted
 */
public record PoolStatus(
    String pool, PoolState state, int members, int required, int healthy, int degraded,
    List<String> down, List<String> degradedMembers) {
  public PoolStatus {
    if (pool == null || pool.isBlank()) {
      throw new IllegalArgumentException("pool is required");
    }
    if (state == null) {
      throw new IllegalArgumentException("state is required");
    }
    down = List.copyOf(down);
    degradedMembers = List.copyOf(degradedMembers);
  }
}

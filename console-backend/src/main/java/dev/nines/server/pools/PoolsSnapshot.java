package dev.nines.server.pools;

import java.time.Instant;
import java.util.List;

/**
 * Every pool's figures at one instant, for the metrics page.
 *
 * @param at the instant the figures are for
 * @param pools one status per pool, ordered by name (members listed, request figures left out)
 */
public record PoolsSnapshot(Instant at, List<PoolStatus> pools) {
  public PoolsSnapshot {
    if (at == null) {
      throw new IllegalArgumentException("at is required");
    }
    pools = List.copyOf(pools);
  }
}

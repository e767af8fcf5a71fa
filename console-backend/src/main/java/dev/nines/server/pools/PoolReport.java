package dev.nines.server.pools;

import dev.nines.server.availability.SloStatus;
import dev.nines.server.availability.Window;
import java.util.List;

/**
 * A pool's uptime report over a window: the pool's time- and request-based availability (downtime,
 * incidents, MTTR, MTBF, longest outage), its SLO at the window's end (budget, burn rates, burn
 * conditions) and every member's availability over the same window.
 *
 * @param pool the pool
 * @param window the window every figure covers (the SLO's windows end at its end)
 * @param availability the pool's figures over the window
 * @param slo the pool's SLO state at {@code window.to()}
 * @param hosts every member's figures over the window, ordered by host id
 */
public record PoolReport(
    String pool, Window window, AvailabilityReport availability, SloStatus slo, List<AvailabilityReport> hosts) {
  public PoolReport {
    if (pool == null || pool.isEmpty()) {
      throw new IllegalArgumentException("pool is required");
    }
    if (window == null) {
      throw new IllegalArgumentException("window is required");
    }
    if (availability == null) {
      throw new IllegalArgumentException("availability is required");
    }
    if (slo == null) {
      throw new IllegalArgumentException("slo is required");
    }
    if (hosts == null) {
      throw new IllegalArgumentException("hosts is required");
    }
    hosts = List.copyOf(hosts);
  }
}

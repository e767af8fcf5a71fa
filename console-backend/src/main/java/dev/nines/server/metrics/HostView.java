package dev.nines.server.metrics;

import dev.nines.protocol.AgentReport;
import dev.nines.protocol.RoutingState;
import dev.nines.server.health.Health;

/**
 * What the metrics page shows of one host: the store's latest state of it.
 *
 * @param id the host id
 * @param pool its pool label, or "" when it has none
 * @param health its current health, or null when it was never judged
 * @param routing its desired routing state
 * @param lastSeenMs server time of its latest report
 * @param report its latest report, or null when the stored report cannot be read
 */
record HostView(String id, String pool, Health health, RoutingState routing, long lastSeenMs, AgentReport report) {
  HostView {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("id is required");
    }
    if (pool == null) {
      throw new IllegalArgumentException("pool is required (\"\" for none), host " + id);
    }
    if (routing == null) {
      throw new IllegalArgumentException("routing is required, host " + id);
    }
  }
}

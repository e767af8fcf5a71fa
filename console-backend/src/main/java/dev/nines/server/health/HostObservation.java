package dev.nines.server.health;

import dev.nines.protocol.AgentReport;
import dev.nines.protocol.EndpointReport;
import java.time.Instant;

/**
 * One report as the health judge sees it: what the agent sent and when the server received it.
 * Staleness is measured from {@code receivedAt}, the server's clock, never the agent's.
 *
 * @param report the agent's report
 * @param receivedAt when the server received it
 */
public record HostObservation(AgentReport report, Instant receivedAt) {

  public HostObservation {
    if (report == null) {
      throw new IllegalArgumentException("report is required");
    }
    if (receivedAt == null) {
      throw new IllegalArgumentException("receivedAt is required");
    }
  }

  public String hostId() {
    return report.agentId();
  }

  /** The pool label, or null. */
  public String pool() {
    return report.pool();
  }

  /**
   * The host's p95 request latency for the interval: the highest p95 among its endpoints' scrapes,
   * or null when no endpoint offered one. This is the figure pools take their median of.
   */
  public Double latencyP95Ms() {
    Double worst = null;
    for (EndpointReport e : report.endpoints()) {
      if (e.scrape() != null && e.scrape().ok() && e.scrape().latencyP95Ms() != null) {
        double p95 = e.scrape().latencyP95Ms();
        worst = worst == null ? p95 : Math.max(worst, p95);
      }
    }
    return worst;
  }
}

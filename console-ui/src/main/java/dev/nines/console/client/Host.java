package dev.nines.console.client;

import dev.nines.protocol.EndpointReport;
import dev.nines.protocol.GpuSection;
import dev.nines.protocol.HostMetrics;
import java.util.List;
import java.util.Map;

/**
 * One host as {@code GET /api/v1/hosts} shows it. A null figure means "not available" (never 0).
 *
 * @param id host id
 * @param pool pool label, or null
 * @param labels labels of the latest report
 * @param firstSeenMs server time of the first report
 * @param lastSeenMs server time of the latest report
 * @param lastSeq highest stored seq
 * @param lastCollectedAtMs when the latest report was collected (agent clock)
 * @param reportAgeMs how old the latest report was when the server answered
 * @param routing desired routing state
 * @param health current health
 * @param summary the latest figures at a glance
 * @param host the latest full host section, or null
 * @param gpu the latest full GPU section, or null
 * @param endpoints the latest full endpoint sections
 */
public record Host(
    String id,
    String pool,
    Map<String, String> labels,
    long firstSeenMs,
    long lastSeenMs,
    long lastSeq,
    long lastCollectedAtMs,
    long reportAgeMs,
    Routing routing,
    Health health,
    Summary summary,
    HostMetrics host,
    GpuSection gpu,
    List<EndpointReport> endpoints) {

  public Host {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("id is required");
    }
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
  }

  /**
   * Current health.
   *
   * @param state HEALTHY, DEGRADED, UNKNOWN or UNHEALTHY
   * @param since when it took that state (epoch ms), null for a host never judged
   * @param reason a sentence for people, or null
   * @param rules the rules that caused it
   */
  public record Health(String state, Long since, String reason, List<String> rules) {
    public Health {
      rules = rules == null ? List.of() : List.copyOf(rules);
    }
  }

  /** Desired routing state (ACTIVE, DRAINING, DRAINED, MAINTENANCE), who set it, why and when. */
  public record Routing(String state, String reason, long changedAtMs, String changedBy) {}

  /** The figures an operator looks at first; each null when not available. */
  public record Summary(
      Double cpuUtilRatio, Double memoryUsedRatio, Double load1, GpuSummary gpus, List<EndpointSummary> endpoints) {
    public Summary {
      endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }
  }

  /** The host's GPUs at a glance; figures null when not available. */
  public record GpuSummary(
      boolean available,
      String unavailableReason,
      int count,
      Double maxTemperatureC,
      Double meanUtilGpuRatio,
      Long memoryUsedBytes,
      Long memoryTotalBytes,
      Long eccUncorrectedVolatile) {}

  /** One model server over the last interval; figures null when not available. */
  public record EndpointSummary(
      String url,
      String kind,
      boolean healthOk,
      Boolean generationOk,
      Double generationLatencyMs,
      Double latencyP95Ms,
      Double latencyP99Ms,
      Long requests,
      Long errors) {
    /** errors / requests, or null without requests. */
    public Double errorRatio() {
      return requests == null || errors == null || requests == 0 ? null : (double) errors / requests;
    }
  }
}

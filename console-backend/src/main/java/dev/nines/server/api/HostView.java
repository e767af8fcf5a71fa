package dev.nines.server.api;

import dev.nines.protocol.AgentReport;
import dev.nines.protocol.EndpointReport;
import dev.nines.protocol.GpuMetrics;
import dev.nines.protocol.GpuSection;
import dev.nines.protocol.HostMetrics;
import dev.nines.protocol.ProbeResult;
import dev.nines.protocol.ServerStats;
import dev.nines.server.store.HostRecord;
import dev.nines.server.store.RoutingRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The latest state of one host as the API shows it: identity, freshness, desired routing, a summary
 * of the latest figures, and the latest full sections. Null figures mean "not available".
 *
 * @param id host id
 * @param pool pool label, or null
 * @param labels labels of the latest report
 * @param firstSeenMs server time of the first report
 * @param lastSeenMs server time of the most recently received report
 * @param lastSeq highest seq stored
 * @param lastCollectedAtMs when the latest report was collected (agent clock)
 * @param reportAgeMs time since the server last received a report of this host
 * @param routing desired routing state
 * @param summary the latest figures, summarised
 * @param health its current health as judged by the backend
 * @param host the latest host section
 * @param gpu the latest GPU section
 * @param endpoints the latest endpoint sections
 */
public record HostView(
    String id,
    String pool,
    Map<String, String> labels,
    long firstSeenMs,
    long lastSeenMs,
    long lastSeq,
    long lastCollectedAtMs,
    long reportAgeMs,
    Routing routing,
    HealthView health,
    Summary summary,
    HostMetrics host,
    GpuSection gpu,
    List<EndpointReport> endpoints) {

  /**
   * A host's current health.
   *
   * @param state HEALTHY, DEGRADED, UNKNOWN or UNHEALTHY
   * @param since when it took that state (epoch ms), or null for a host never judged
   * @param reason a sentence for people, or null for a host never judged
   * @param rules the ids of the rules that caused it
   */
  public record HealthView(String state, Long since, String reason, List<String> rules) {
    /** A host the backend has not judged yet. */
    public static final HealthView NOT_JUDGED = new HealthView("UNKNOWN", null, null, List.of());

    public HealthView {
      if (state == null) {
        throw new IllegalArgumentException("state is required");
      }
      rules = rules == null ? List.of() : List.copyOf(rules);
    }
  }

  /** Desired routing state, who set it and why. */
  public record Routing(String state, String reason, long changedAtMs, String changedBy) {
    static Routing of(RoutingRecord r) {
      return new Routing(r.state().name(), r.reason(), r.changedAtMs(), r.changedBy());
    }
  }

  /** The figures an operator looks at first. */
  public record Summary(
      Double cpuUtilRatio, Double memoryUsedRatio, Double load1, GpuSummary gpus, List<EndpointSummary> endpoints) {}

  /**
   * The host's GPUs at a glance.
   *
   * @param available whether the agent could read GPUs
   * @param unavailableReason why not, or null
   * @param count GPUs the driver reports
   * @param maxTemperatureC hottest GPU, or null when none reports temperature
   * @param meanUtilGpuRatio mean utilisation, or null when none reports it
   * @param memoryUsedBytes frame-buffer in use over all GPUs, or null
   * @param memoryTotalBytes frame-buffer size over all GPUs, or null
   * @param eccUncorrectedVolatile volatile uncorrectable ECC errors over all GPUs, or null
   */
  public record GpuSummary(
      boolean available,
      String unavailableReason,
      int count,
      Double maxTemperatureC,
      Double meanUtilGpuRatio,
      Long memoryUsedBytes,
      Long memoryTotalBytes,
      Long eccUncorrectedVolatile) {}

  /**
   * One model server at a glance, over the last interval.
   *
   * @param url base URL
   * @param kind server kind
   * @param healthOk the health probe succeeded
   * @param generationOk the generation probe succeeded, or null when it is off
   * @param generationLatencyMs the generation probe's latency, or null
   * @param latencyP95Ms the server's own p95 latency, or null
   * @param latencyP99Ms the server's own p99 latency, or null
   * @param requests requests finished, or null
   * @param errors failed requests, or null
   */
  public record EndpointSummary(
      String url,
      String kind,
      boolean healthOk,
      Boolean generationOk,
      Double generationLatencyMs,
      Double latencyP95Ms,
      Double latencyP99Ms,
      Long requests,
      Long errors) {}

  /** The view of a stored host whose latest report is already parsed, as of {@code nowMs}. */
  public static HostView of(HostRecord h, AgentReport latest, HealthView health, long nowMs) {
    return new HostView(
        h.id(),
        h.pool(),
        latest.labels(),
        h.firstSeenMs(),
        h.lastSeenMs(),
        h.lastSeq(),
        h.lastCollectedAtMs(),
        Math.max(0, nowMs - h.lastSeenMs()),
        Routing.of(h.routing()),
        health == null ? HealthView.NOT_JUDGED : health,
        summarise(latest),
        latest.host(),
        latest.gpu(),
        latest.endpoints());
  }

  /** The summary of one report. Pure. */
  public static Summary summarise(AgentReport r) {
    List<EndpointSummary> eps = new ArrayList<>();
    for (EndpointReport e : r.endpoints()) {
      ProbeResult gen = e.generation();
      ServerStats s = e.scrape();
      boolean scraped = s != null && s.ok();
      eps.add(
          new EndpointSummary(
              e.url(),
              e.kind(),
              e.health().ok(),
              gen == null ? null : gen.ok(),
              gen == null ? null : gen.latencyMs(),
              scraped ? s.latencyP95Ms() : null,
              scraped ? s.latencyP99Ms() : null,
              scraped ? s.requests() : null,
              scraped ? s.errors() : null));
    }
    return new Summary(
        r.host().cpuUtilRatio(), r.host().memoryUsedRatio(), r.host().load1(), gpus(r.gpu()), List.copyOf(eps));
  }

  static GpuSummary gpus(GpuSection g) {
    Double maxTemp = null;
    double utilSum = 0;
    int utilCount = 0;
    Long used = null;
    Long total = null;
    Long ecc = null;
    for (GpuMetrics m : g.gpus()) {
      if (m.temperatureC() != null && (maxTemp == null || m.temperatureC() > maxTemp)) {
        maxTemp = m.temperatureC();
      }
      if (m.utilGpuRatio() != null) {
        utilSum += m.utilGpuRatio();
        utilCount++;
      }
      used = add(used, m.memoryUsedBytes());
      total = add(total, m.memoryTotalBytes());
      ecc = add(ecc, m.eccUncorrectedVolatile());
    }
    return new GpuSummary(
        g.available(), g.unavailableReason(), g.gpus().size(), maxTemp,
        utilCount == 0 ? null : utilSum / utilCount, used, total, ecc);
  }

  private static Long add(Long sum, Long value) {
    if (value == null) {
      return sum;
    }
    return sum == null ? value : sum + value;
  }
}

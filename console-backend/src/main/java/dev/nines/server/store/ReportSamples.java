package dev.nines.server.store;

import dev.nines.protocol.AgentReport;
import dev.nines.protocol.EndpointReport;
import dev.nines.protocol.GpuMetrics;
import dev.nines.protocol.HostMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * The numeric figures of one report, as they go into the sample tables (taken apart from the JSON
 * body on the request thread, so the writer thread only binds numbers). A null figure is "not
 * available" and is left out of every aggregate.
 *
 * @param host the host row, or null to write no samples at all
 * @param gpus one row per GPU
 * @param endpoints one row per probed model server
 */
public record ReportSamples(HostSample host, List<GpuSample> gpus, List<EndpointSample> endpoints) {
  /** No samples (a report stored without figures). */
  public static final ReportSamples NONE = new ReportSamples(null, List.of(), List.of());

  public ReportSamples {
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
    endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
  }

  /**
   * Host figures.
   *
   * @param netRxBytesPerSecond received bytes per second summed over the interfaces that report a
   *     rate (null when none does); likewise {@code netTxBytesPerSecond}
   */
  public record HostSample(
      Double cpuUtilRatio,
      Double memoryUsedRatio,
      Double memoryUsedBytes,
      Double load1,
      Double netRxBytesPerSecond,
      Double netTxBytesPerSecond) {}

  /** One GPU's figures. */
  public record GpuSample(
      int index,
      Double utilRatio,
      Double memoryUsedRatio,
      Double temperatureCelsius,
      Double powerWatts,
      Double eccUncorrected) {
    public GpuSample {
      if (index < 0) {
        throw new IllegalArgumentException("index must be >= 0 (was " + index + ")");
      }
    }
  }

  /**
   * One model server's figures for the interval.
   *
   * @param healthOk 1 when the health probe succeeded, else 0
   * @param generationOk 1 or 0, null when generation probing is off
   * @param requests requests finished during the interval (from the server's counters), or null
   * @param errors failed requests during the interval, or null
   * @param latencyP50Ms the server's median request latency during the interval, or null
   * @param latencyP99Ms its 99th percentile, or null
   */
  public record EndpointSample(
      String endpoint,
      Double healthOk,
      Double healthLatencyMs,
      Double generationOk,
      Double generationLatencyMs,
      Double latencyP95Ms,
      Long requests,
      Long errors,
      Double latencyP50Ms,
      Double latencyP99Ms) {
    public EndpointSample {
      if (endpoint == null || endpoint.isEmpty()) {
        throw new IllegalArgumentException("endpoint is required");
      }
    }

    /** Without p50 and p99 (a server that offers only its p95, or none). */
    public EndpointSample(
        String endpoint,
        Double healthOk,
        Double healthLatencyMs,
        Double generationOk,
        Double generationLatencyMs,
        Double latencyP95Ms,
        Long requests,
        Long errors) {
      this(endpoint, healthOk, healthLatencyMs, generationOk, generationLatencyMs, latencyP95Ms, requests, errors, null, null);
    }
  }

  /** The samples of a validated report. Pure. */
  public static ReportSamples of(AgentReport report) {
    HostMetrics h = report.host();
    Double rx = null;
    Double tx = null;
    for (HostMetrics.NetworkRates n : h.network()) {
      if (n.rxBytesPerSecond() != null) {
        rx = (rx == null ? 0 : rx) + n.rxBytesPerSecond();
      }
      if (n.txBytesPerSecond() != null) {
        tx = (tx == null ? 0 : tx) + n.txBytesPerSecond();
      }
    }
    Double memBytes =
        h.memoryTotalBytes() == 0 ? null : (double) (h.memoryTotalBytes() - h.memoryAvailableBytes());
    HostSample host = new HostSample(h.cpuUtilRatio(), h.memoryUsedRatio(), memBytes, h.load1(), rx, tx);
    List<GpuSample> gpus = new ArrayList<>();
    if (report.gpu().available()) {
      for (GpuMetrics g : report.gpu().gpus()) {
        Double memRatio =
            g.memoryUsedBytes() == null || g.memoryTotalBytes() == null || g.memoryTotalBytes() == 0
                ? null
                : (double) g.memoryUsedBytes() / g.memoryTotalBytes();
        gpus.add(
            new GpuSample(
                g.index(), g.utilGpuRatio(), memRatio, g.temperatureC(), g.powerDrawWatts(),
                g.eccUncorrectedVolatile() == null ? null : (double) g.eccUncorrectedVolatile()));
      }
    }
    List<EndpointSample> endpoints = new ArrayList<>();
    for (EndpointReport e : report.endpoints()) {
      var scrape = e.scrape() != null && e.scrape().ok() ? e.scrape() : null;
      endpoints.add(
          new EndpointSample(
              e.url(),
              e.health().ok() ? 1.0 : 0.0,
              e.health().latencyMs(),
              e.generation() == null ? null : (e.generation().ok() ? 1.0 : 0.0),
              e.generation() == null ? null : e.generation().latencyMs(),
              scrape == null ? null : scrape.latencyP95Ms(),
              scrape == null ? null : scrape.requests(),
              scrape == null ? null : scrape.errors(),
              scrape == null ? null : scrape.latencyP50Ms(),
              scrape == null ? null : scrape.latencyP99Ms()));
    }
    return new ReportSamples(host, gpus, endpoints);
  }
}

package dev.nines.console.fleet;

import dev.nines.console.client.Host;

/** The figures the fleet screen shows for every host, each with a sparkline of its last samples. */
public enum Metric {
  /** CPU utilisation (ratio). */
  CPU("CPU"),
  /** Mean GPU utilisation over the host's GPUs (ratio). */
  GPU_UTIL("GPU util"),
  /** The hottest GPU's temperature (°C). */
  GPU_TEMP("GPU temp"),
  /** GPU memory used over total (ratio). */
  GPU_MEM("GPU mem"),
  /** The worst endpoint's latency p95 (ms). */
  LATENCY_P95("p95"),
  /** Errors over requests, all endpoints (ratio). */
  ERROR_RATIO("errors");

  private final String title;

  Metric(String title) {
    this.title = title;
  }

  /** The column title. */
  public String title() {
    return title;
  }

  /** The figure in {@code host}'s summary, or null when not available. Pure. */
  public Double of(Host host) {
    Host.Summary s = host.summary();
    if (s == null) {
      return null;
    }
    Host.GpuSummary g = s.gpus();
    switch (this) {
      case CPU:
        return s.cpuUtilRatio();
      case GPU_UTIL:
        return g == null || !g.available() ? null : g.meanUtilGpuRatio();
      case GPU_TEMP:
        return g == null || !g.available() ? null : g.maxTemperatureC();
      case GPU_MEM:
        if (g == null || !g.available() || g.memoryUsedBytes() == null || g.memoryTotalBytes() == null
            || g.memoryTotalBytes() <= 0) {
          return null;
        }
        return (double) g.memoryUsedBytes() / g.memoryTotalBytes();
      case LATENCY_P95:
        {
          Double worst = null;
          for (Host.EndpointSummary e : s.endpoints()) {
            if (e.latencyP95Ms() != null && (worst == null || e.latencyP95Ms() > worst)) {
              worst = e.latencyP95Ms();
            }
          }
          return worst;
        }
      case ERROR_RATIO:
        {
          long requests = 0;
          long errors = 0;
          for (Host.EndpointSummary e : s.endpoints()) {
            if (e.requests() != null && e.errors() != null) {
              requests += e.requests();
              errors += e.errors();
            }
          }
          return requests == 0 ? null : (double) errors / requests;
        }
      default:
        throw new AssertionError(this);
    }
  }
}

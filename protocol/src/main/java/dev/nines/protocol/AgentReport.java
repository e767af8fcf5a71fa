package dev.nines.protocol;

import java.util.List;
import java.util.Map;

/**
 * One report from an agent: what its host, its GPUs and its model servers did during the last
 * interval.
 *
 * @param version protocol version ({@link Protocol#CURRENT_VERSION})
 * @param agentId the host's id (defaults to the hostname)
 * @param seq per-agent sequence number, starting at 1, strictly increasing and surviving restarts;
 *     the backend drops a report whose (agentId, seq) it already stored
 * @param collectedAtMs epoch milliseconds at the end of the collection
 * @param intervalMs the agent's report interval
 * @param labels free-form labels; {@code pool} and {@code zone} are understood by the backend
 * @param agentVersion the agent's build version, informational
 * @param host host metrics
 * @param gpu the GPU section (explicitly unavailable when there is no NVML)
 * @param endpoints one entry per model server the agent probes
 */
public record AgentReport(
    int version,
    String agentId,
    long seq,
    long collectedAtMs,
    long intervalMs,
    Map<String, String> labels,
    String agentVersion,
    HostMetrics host,
    GpuSection gpu,
    List<EndpointReport> endpoints) {

  public AgentReport {
    Protocol.version(version);
    Check.id("agentId", agentId);
    if (seq < 1) {
      throw new IllegalArgumentException("seq must be >= 1 (was " + seq + ")");
    }
    if (collectedAtMs <= 0) {
      throw new IllegalArgumentException("collectedAtMs must be a positive epoch-millisecond time");
    }
    if (intervalMs < 100 || intervalMs > 3_600_000) {
      throw new IllegalArgumentException("intervalMs must be in 100..3600000 (was " + intervalMs + ")");
    }
    labels = Check.labels("labels", labels);
    Check.optionalText("agentVersion", agentVersion, 64);
    Check.required("host", host);
    Check.required("gpu", gpu);
    endpoints = Check.list("endpoints", endpoints, 64);
  }

  /** The pool label, or null. */
  public String pool() {
    return labels.get("pool");
  }
}

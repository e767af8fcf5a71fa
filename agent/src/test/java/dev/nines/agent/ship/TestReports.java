package dev.nines.agent.ship;

import dev.nines.protocol.AgentReport;
import dev.nines.protocol.EndpointReport;
import dev.nines.protocol.GpuMetrics;
import dev.nines.protocol.GpuSection;
import dev.nines.protocol.HostMetrics;
import dev.nines.protocol.ProbeResult;
import dev.nines.protocol.Protocol;
import dev.nines.protocol.ServerStats;
import java.util.List;
import java.util.Map;

/** Reports for tests. */
public final class TestReports {
  public static final long T0 = 1_700_000_000_000L;

  private TestReports() {}

  public static HostMetrics host() {
    return new HostMetrics(
        0.25, 8, 1.5, 1.25, 0.75, 64L << 30, 40L << 30, 8L << 30, 1L << 20, 3600,
        List.of(new HostMetrics.FilesystemUsage("/", "ext4", 500L << 30, 120L << 30)),
        List.of(new HostMetrics.NetworkRates("eth0", 1200.0, 800.5, 0.0, null)));
  }

  public static GpuMetrics gpu(int index, String uuid, double util) {
    return new GpuMetrics(
        index, uuid, "NVIDIA H100 80GB HBM3", util, 0.41, 85_899_345_920L, 80_000_000_000L,
        71.0, 612.5, 700.0, 3L, 0x4L, List.of("sw_power_cap"), List.of());
  }

  public static EndpointReport endpoint(String url, boolean healthy) {
    return new EndpointReport(
        url, "vllm",
        new ProbeResult(healthy, healthy ? 200 : 503, 3.2, false, null, T0),
        new ProbeResult(true, 200, 250.0, false, null, T0),
        new ServerStats(true, null, "vllm", 120L, 3L, 95.0, 80.0, 210.0, 400.0, 4.0, 1.0, 0));
  }

  /** A report with one GPU and one endpoint. */
  public static AgentReport report(long seq) {
    return report(seq, T0 + seq * 5000,
        new GpuSection(true, null, "nvml", "550.54.15", List.of(gpu(0, "GPU-aaaa", 0.93))),
        List.of(endpoint("http://127.0.0.1:8000", true)));
  }

  public static AgentReport report(long seq, long collectedAtMs, GpuSection gpu,
      List<EndpointReport> endpoints) {
    return new AgentReport(
        Protocol.CURRENT_VERSION, "gpu-node-01", seq, collectedAtMs, 5000,
        Map.of("pool", "llama-70b"), "0.1.0", host(), gpu, endpoints);
  }
}

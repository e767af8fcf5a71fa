package dev.nines.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.console.client.LiveBackend;
import dev.nines.protocol.AgentReport;
import dev.nines.protocol.EndpointReport;
import dev.nines.protocol.GpuMetrics;
import dev.nines.protocol.GpuSection;
import dev.nines.protocol.HostMetrics;
import dev.nines.protocol.ProbeResult;
import dev.nines.protocol.Protocol;
import dev.nines.protocol.ServerStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Posts agent reports with figures that differ per host and move over time, for realistic screens. */
final class FleetFeeder {
  private final LiveBackend backend;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Long> seqs = new HashMap<>();

  FleetFeeder(LiveBackend backend) {
    this.backend = backend;
  }

  /** One report collected now; {@code t} moves the waves. Answers the HTTP status. */
  int report(String host, String pool, int h, int t, double gpuTempC) {
    return report(host, pool, h, t, gpuTempC, System.currentTimeMillis());
  }

  /** One report collected at {@code now} (epoch ms). */
  int report(String host, String pool, int h, int t, double gpuTempC, long now) {
    long seq = seqs.merge(host, 1L, Long::sum);
    double cpu = 0.25 + 0.2 * Math.sin((t + h * 3) / 2.0) + 0.03 * h % 0.3;
    double util = Math.min(0.99, 0.55 + 0.35 * Math.sin((t + h * 5) / 3.0));
    long memTotal = 141_000_000_000L;
    long memUsed = (long) (memTotal * (0.5 + 0.05 * (h % 8) + 0.02 * Math.sin(t / 2.0)));
    double p95 = 90 + 8 * (h % 5) + 15 * Math.sin((t + h) / 2.5);
    long requests = 400 + 20L * t;
    long errors = (h % 6 == 0) ? 2 + t % 3 : t % 2;
    HostMetrics hm =
        new HostMetrics(cpu, 64, 8.0, 7.0, 6.0, 512L << 30, 200L << 30, 0, 0, 1000, List.of(), List.of());
    GpuMetrics gpu =
        new GpuMetrics(
            0, "GPU-" + host, "H200", util, 0.4, memTotal, memUsed, gpuTempC, 520.0, 700.0, 0L, 0L,
            List.of(), List.of());
    EndpointReport ep =
        new EndpointReport(
            "http://127.0.0.1:8000", "vllm", new ProbeResult(true, 200, 3.0, false, null, now),
            new ProbeResult(true, 200, 40.0, false, null, now),
            new ServerStats(true, null, "vllm", requests, errors, p95 * 0.6, p95 * 0.5, p95, p95 * 1.4, 4.0, 0.0, 0));
    AgentReport r =
        new AgentReport(
            Protocol.CURRENT_VERSION, host, seq, now, 30_000, Map.of("pool", pool), "test",
            hm, new GpuSection(true, null, "nvml", "550", List.of(gpu)), List.of(ep));
    try {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(backend.uri() + Protocol.REPORTS_PATH))
              .timeout(Duration.ofSeconds(30))
              .header("Authorization", "Bearer " + backend.agentToken)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(r)))
              .build();
      return http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

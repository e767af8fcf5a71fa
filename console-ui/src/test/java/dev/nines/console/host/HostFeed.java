package dev.nines.console.host;

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
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Posts realistic reports as an agent to a {@link LiveBackend}: two GPUs, one vLLM endpoint, figures
 * that move with the minute (so charts have shape), collected at any time (back-filled history).
 */
public final class HostFeed {
  private final LiveBackend backend;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Long> seqs = new HashMap<>();

  public HostFeed(LiveBackend backend) {
    this.backend = backend;
  }

  /** One report of {@code host} collected at {@code atMs}; {@code cpu} NaN = the default wave. */
  public int post(String host, String pool, long atMs, double cpu, double gpuTempC) {
    long seq = seqs.merge(host, 1_000_000L, (a, b) -> a + 1);
    double m = atMs / 60_000.0;
    double cpuRatio = Double.isNaN(cpu) ? clamp(0.45 + 0.25 * Math.sin(m / 9.0)) : cpu;
    HostMetrics hm =
        new HostMetrics(cpuRatio, 64, 3.0, 2.5, 2.0, 512L << 30, (long) ((0.55 + 0.1 * Math.cos(m / 20.0)) * (512L << 30)), 0, 0, 100_000, List.of(), List.of());
    List<GpuMetrics> gpus = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      double util = clamp(0.6 + 0.3 * Math.sin(m / (6.0 + 3 * i) + i));
      gpus.add(new GpuMetrics(
          i, "GPU-" + host + "-" + i, "NVIDIA H200", util, util * 0.8, 141_000_000_000L,
          (long) (141_000_000_000L * (0.5 + 0.1 * i + 0.05 * Math.sin(m / 15.0))), gpuTempC + 6 * i + 4 * Math.sin(m / 7.0),
          350 + 250 * util, 700.0, 0L, 0L, List.of(),
          i == 1 ? List.of(new GpuMetrics.XidEvent(13, atMs - 30_000)) : List.of()));
    }
    double p95 = 240 + 60 * Math.sin(m / 11.0);
    long requests = 1200;
    long errors = (long) (6 + 5 * Math.sin(m / 5.0));
    EndpointReport ep =
        new EndpointReport(
            "http://10.0.0.7:8000", "vllm", new ProbeResult(true, 200, 3.0, false, null, atMs),
            new ProbeResult(true, 200, 180.0, false, null, atMs),
            new ServerStats(true, null, "vllm", requests, errors, p95 * 0.6, p95 * 0.5, p95, p95 * 1.4, 12.0, 1.0, 0));
    AgentReport r =
        new AgentReport(
            Protocol.CURRENT_VERSION, host, seq, atMs, 5000, Map.of("pool", pool), "test", hm,
            new GpuSection(true, null, "nvml", "550.54", gpus), List.of(ep));
    try {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(backend.uri() + Protocol.REPORTS_PATH))
              .timeout(Duration.ofSeconds(30))
              .header("Authorization", "Bearer " + backend.agentToken)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(r)))
              .build();
      return http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Reports once a minute over the last {@code minutes}, ending now. */
  public void history(String host, String pool, int minutes, double gpuTempC) {
    long now = System.currentTimeMillis();
    for (int k = minutes; k >= 0; k--) {
      int status = post(host, pool, now - k * 60_000L, Double.NaN, gpuTempC);
      if (status / 100 != 2) {
        throw new IllegalStateException("report of " + host + " answered " + status);
      }
    }
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }
}

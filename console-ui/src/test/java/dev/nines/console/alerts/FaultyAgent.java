package dev.nines.console.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.console.client.LiveBackend;
import dev.nines.protocol.AgentReport;
import dev.nines.protocol.GpuMetrics;
import dev.nines.protocol.GpuSection;
import dev.nines.protocol.HostMetrics;
import dev.nines.protocol.Protocol;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Posts, as an agent, a report whose GPU saw a fatal XID (79, fallen off the bus): gpu-fault fires at once. */
final class FaultyAgent {
  private FaultyAgent() {}

  static int reportXid(LiveBackend backend, String host, String pool, long seq) throws Exception {
    long now = System.currentTimeMillis();
    HostMetrics hm = new HostMetrics(0.42, 32, 1.0, 1.0, 1.0, 256L << 30, 128L << 30, 0, 0, 1000, List.of(), List.of());
    GpuMetrics gpu = new GpuMetrics(
        0, "GPU-" + host, "H200", 0.7, 0.3, 141_000_000_000L, 70_000_000_000L, 60.0, 500.0, 700.0, 0L, 0L, List.of(),
        List.of(new GpuMetrics.XidEvent(79, now)));
    AgentReport r = new AgentReport(
        Protocol.CURRENT_VERSION, host, seq, now, 5000, Map.of("pool", pool), "test", hm,
        new GpuSection(true, null, "nvml", "550", List.of(gpu)), List.of());
    HttpRequest req = HttpRequest.newBuilder(URI.create(backend.uri() + Protocol.REPORTS_PATH))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + backend.agentToken)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new ObjectMapper().writeValueAsString(r)))
        .build();
    return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}

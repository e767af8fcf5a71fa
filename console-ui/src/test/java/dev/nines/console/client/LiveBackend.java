package dev.nines.console.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.protocol.AgentReport;
import dev.nines.protocol.EndpointReport;
import dev.nines.protocol.GpuMetrics;
import dev.nines.protocol.GpuSection;
import dev.nines.protocol.HostMetrics;
import dev.nines.protocol.ProbeResult;
import dev.nines.protocol.Protocol;
import dev.nines.protocol.ServerStats;
import dev.nines.server.NinesServer;
import dev.nines.server.ServerSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real backend in this JVM on a temporary SQLite file, fed by reports posted over HTTP as an agent
 * would. Restartable on the same port and file.
 */
public final class LiveBackend implements AutoCloseable {
  public static final String ADMIN = "console-client-test-admin";

  private final String db;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Long> seqs = new HashMap<>();
  private NinesServer server;
  private int port;
  public String agentToken;

  public LiveBackend(Path dir) {
    this(dir.resolve("nines.db").toString());
  }

  /**
   * A backend on {@code db} (a SQLite file, or a PostgreSQL URL with credentials: several
   * LiveBackends on one PostgreSQL database are replicas of one backend).
   */
  public LiveBackend(String db) {
    this.db = db;
    start(0);
    agentToken = server.createToken("agent", "test-agent");
  }

  /** The server itself (its role among replicas). */
  public NinesServer server() {
    return server;
  }

  private void start(int onPort) {
    server =
        NinesServer.start(
            new ServerSettings("127.0.0.1", onPort, db, null, ADMIN), Clock.systemUTC());
    port = server.port();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  public String token(String role, String name) {
    return server.createToken(role, name);
  }

  public BackendClient client(String token) {
    return new BackendClient(uri(), token, Duration.ofSeconds(2), Duration.ofSeconds(30), Clock.systemUTC());
  }

  /** Revokes the token named {@code name} as the admin, over the real API. */
  public void revoke(String name) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest list = HttpRequest.newBuilder(uri().resolve("/api/v1/tokens?limit=100"))
        .header("Authorization", "Bearer " + LiveBackend.ADMIN).timeout(Duration.ofSeconds(10)).build();
    JsonNode items = new ObjectMapper().readTree(http.send(list, HttpResponse.BodyHandlers.ofString()).body()).get("items");
    String id = null;
    for (JsonNode t : items) {
      if (name.equals(t.get("name").asText()) && t.get("active").asBoolean()) {
        id = t.get("id").asText();
      }
    }
    if (id == null) {
      throw new IllegalStateException("no active token named " + name);
    }
    HttpRequest delete = HttpRequest.newBuilder(uri().resolve("/api/v1/tokens/" + id))
        .header("Authorization", "Bearer " + LiveBackend.ADMIN).timeout(Duration.ofSeconds(10)).DELETE().build();
    HttpResponse<String> answer = http.send(delete, HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200 || !answer.body().contains("revoked")) {
      throw new IllegalStateException("revoking " + name + ": " + answer.statusCode() + " " + answer.body());
    }
  }

  /** Stops the server (its SSE connections drop). */
  public void stop() {
    server.close();
  }

  /** Starts it again on the same port and database file. */
  public void restart() {
    start(port);
  }

  /** Posts one report of {@code host} in {@code pool}; answers the HTTP status. */
  public int report(String host, String pool, double gpuTempC) {
    long seq = seqs.merge(host, 1L, Long::sum);
    long now = System.currentTimeMillis();
    HostMetrics hm =
        new HostMetrics(0.42, 32, 1.0, 1.0, 1.0, 256L << 30, 128L << 30, 0, 0, 1000, List.of(), List.of());
    GpuMetrics gpu =
        new GpuMetrics(
            0, "GPU-" + host, "H200", 0.7, 0.3, 141_000_000_000L, 70_000_000_000L, gpuTempC, 500.0, 700.0,
            0L, 0L, List.of(), List.of());
    EndpointReport ep =
        new EndpointReport(
            "http://127.0.0.1:8000", "vllm", new ProbeResult(true, 200, 3.0, false, null, now),
            new ProbeResult(true, 200, 40.0, false, null, now),
            new ServerStats(true, null, "vllm", 100L, 1L, 50.0, 40.0, 120.0, 200.0, 2.0, 0.0, 0));
    AgentReport r =
        new AgentReport(
            Protocol.CURRENT_VERSION, host, seq, now, 5000, Map.of("pool", pool), "test",
            hm, new GpuSection(true, null, "nvml", "550", List.of(gpu)), List.of(ep));
    try {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(uri() + Protocol.REPORTS_PATH))
              .timeout(Duration.ofSeconds(30))
              .header("Authorization", "Bearer " + agentToken)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(r)))
              .build();
      return http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}

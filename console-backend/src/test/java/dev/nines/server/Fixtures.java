package dev.nines.server;

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
import dev.nines.server.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Reports, a running server and an HTTP client for the component tests. */
final class Fixtures {
  static final String ADMIN = "admin-token-for-tests";
  static final long T0 = 1_700_000_000_000L;
  static final ObjectMapper JSON = Json.api();

  private Fixtures() {}

  /** A full report; cpu and the GPU temperature vary so that tests can tell reports apart. */
  static AgentReport report(String agentId, long seq, double cpu, double gpuTempC) {
    HostMetrics host =
        new HostMetrics(
            cpu, 16, 2.5, 2.0, 1.5, 64L << 30, 16L << 30, 0, 0, 3600,
            List.of(new HostMetrics.FilesystemUsage("/", "ext4", 500L << 30, 100L << 30)),
            List.of(new HostMetrics.NetworkRates("eth0", 1000.0, 2000.0, 0.0, 0.0)));
    GpuMetrics g0 =
        new GpuMetrics(
            0, "GPU-a", "H100", 0.9, 0.4, 80_000_000_000L, 60_000_000_000L, gpuTempC, 600.0, 700.0,
            0L, 0L, List.of(), List.of());
    GpuMetrics g1 =
        new GpuMetrics(
            1, "GPU-b", "H100", 0.5, 0.2, 80_000_000_000L, 20_000_000_000L, 50.0, 300.0, 700.0,
            2L, 0L, List.of(), List.of());
    EndpointReport ep =
        new EndpointReport(
            "http://127.0.0.1:8000", "vllm",
            new ProbeResult(true, 200, 2.0, false, null, T0),
            new ProbeResult(true, 200, 45.5, false, null, T0),
            new ServerStats(true, null, "vllm", 120L, 3L, 90.0, 80.0, 210.0, 400.0, 4.0, 1.0, 0));
    return new AgentReport(
        Protocol.CURRENT_VERSION, agentId, seq, T0 + seq * 5000, 5000,
        Map.of("pool", "llama", "zone", "eu-1"), "0.1.0", host,
        new GpuSection(true, null, "sim", "550.0", List.of(g0, g1)), List.of(ep));
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode tree(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static NinesServer start(Path dir) {
    return NinesServer.start(
        new ServerSettings("127.0.0.1", 0, dir.resolve("nines.db").toString(), null, ADMIN),
        java.time.Clock.systemUTC());
  }

  /** Rows in a table, read straight from the database file. */
  static long rows(Path dir, String table) {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("nines.db"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A small HTTP client bound to one server. */
  static final class Api {
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String base;

    Api(NinesServer server) {
      this.base = "http://127.0.0.1:" + server.port();
    }

    HttpResponse<String> post(String path, String token, String body) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body));
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      return send(b.build());
    }

    HttpResponse<String> postReport(String token, AgentReport report) {
      return post(Protocol.REPORTS_PATH, token, json(report));
    }

    HttpResponse<String> get(String path, String token) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      return send(b.GET().build());
    }

    HttpResponse<String> send(HttpRequest request) {
      try {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}

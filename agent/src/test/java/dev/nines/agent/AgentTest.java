package dev.nines.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.nines.agent.net.AgentHttp;
import dev.nines.protocol.HostMetrics;
import dev.nines.protocol.RoutingState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole agent against a fake backend on a real socket: what it sends and what it obeys. */
class AgentTest {
  @TempDir Path spool;
  private HttpServer backend;
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private volatile String reply =
      "{\"version\":1,\"accepted\":true,\"duplicate\":false,\"desired\":\"DRAINING\","
          + "\"reason\":\"operator alice: kernel update\",\"changedAtMs\":1700000000000,"
          + "\"config\":{\"intervalMs\":2000}}";
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void startBackend() throws IOException {
    backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    backend.createContext("/api/v1/reports", ex -> {
      received.add(json.readTree(ex.getRequestBody().readAllBytes()));
      byte[] body = reply.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    backend.start();
  }

  @AfterEach
  void stopBackend() {
    backend.stop(0);
  }

  @Test
  void shipsLabelledReportsAndObeysTheDesiredStateAndIntervalInTheReply() throws Exception {
    AgentSettings settings =
        AgentSettings.builder("gpu-test-1")
            .servers(List.of(URI.create("http://127.0.0.1:" + backend.getAddress().getPort())))
            .token("t")
            .labels(Map.of("pool", "llama", "zone", "z1"))
            .gpu("none")
            .interval(Duration.ofMinutes(5))
            .bind("127.0.0.1")
            .port(0)
            .agentCheckPort(0)
            .spoolDir(spool)
            .build();
    HostMetrics fixed = new HostMetrics(0.5, 4, 1.0, 1.0, 1.0, 1000, 400, 0, 0, 10, List.of(), List.of());
    try (Agent agent = Agent.start(settings, () -> fixed, AgentHttp.create(Duration.ofSeconds(1)), Clock.systemUTC())) {
      // The first cycle runs at once; the reply drains the host and sets a 2 s interval.
      await().atMost(Duration.ofSeconds(20)).until(() -> agent.desired() == RoutingState.DRAINING);
      await().atMost(Duration.ofSeconds(20)).until(() -> agent.interval().equals(Duration.ofSeconds(2)));

      JsonNode first = received.get(0);
      assertThat(first.path("agentId").asText()).isEqualTo("gpu-test-1");
      assertThat(first.path("seq").asLong()).isEqualTo(1);
      assertThat(first.path("labels").path("pool").asText()).isEqualTo("llama");
      assertThat(first.path("host").path("memoryTotalBytes").asLong()).isEqualTo(1000);
      assertThat(first.path("gpu").path("available").asBoolean()).isFalse();
      assertThat(first.path("gpu").path("unavailableReason").asText()).contains("--gpu none");

      HttpResponse<String> ready =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.localPort() + "/ready")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("DRAINING").contains("kernel update");

      // The next cycle comes after the pushed 2 s, not the configured 5 minutes.
      await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 2);
      assertThat(received.get(1).path("seq").asLong()).isEqualTo(2);
      assertThat(received.get(1).path("intervalMs").asLong()).isEqualTo(2000);
    }
  }
}

package dev.nines.agent.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.agent.ship.DesiredState;
import dev.nines.agent.ship.MutableClock;
import dev.nines.agent.ship.TestReports;
import dev.nines.protocol.RoutingState;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LocalServerTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(TestReports.T0 + 5000);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();
  private DesiredState desired;
  private AgentMetrics metrics;
  private LocalServer server;

  @BeforeEach
  void start() throws Exception {
    desired = DesiredState.open(dir);
    metrics = new AgentMetrics(clock);
    server = LocalServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        "gpu-node-01", desired, metrics, clock);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> request(String method, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(5))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void listensOnTheEphemeralPortItReports() {
    assertThat(server.port()).isPositive();
  }

  @Test
  void readyIs200WhileActive() throws Exception {
    HttpResponse<String> response = request("GET", "/ready");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json.readTree(response.body());
    assertThat(body.get("state").asText()).isEqualTo("ACTIVE");
    assertThat(body.get("ready").asBoolean()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(value = RoutingState.class, names = {"DRAINING", "DRAINED", "MAINTENANCE"})
  void readyIs503WhileOutOfRotation(RoutingState state) throws Exception {
    desired.update(state, "operator bob: reboot", 99);
    HttpResponse<String> response = request("GET", "/ready");
    assertThat(response.statusCode()).isEqualTo(503);
    JsonNode body = json.readTree(response.body());
    assertThat(body.get("state").asText()).isEqualTo(state.name());
    assertThat(body.get("reason").asText()).isEqualTo("operator bob: reboot");

    desired.update(RoutingState.ACTIVE, "undrained", 100);
    assertThat(request("GET", "/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void healthzNamesTheAgentAndTheLastReportAge() throws Exception {
    JsonNode before = json.readTree(request("GET", "/healthz").body());
    assertThat(before.get("ok").asBoolean()).isTrue();
    assertThat(before.get("agentId").asText()).isEqualTo("gpu-node-01");
    assertThat(before.get("lastReportAgeSeconds").isNull()).isTrue();

    metrics.update(TestReports.report(1)); // collected at T0 + 5000
    clock.advance(Duration.ofSeconds(3));
    HttpResponse<String> response = request("GET", "/healthz");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json.readTree(response.body()).get("lastReportAgeSeconds").asDouble()).isEqualTo(3.0);
  }

  @Test
  void metricsServesThePrometheusPageWithItsContentType() throws Exception {
    metrics.update(TestReports.report(1));
    HttpResponse<String> response = request("GET", "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body()).contains("nines_host_cpu_utilization_ratio 0.25");
  }

  @Test
  void unknownPathIs404AndOtherMethodsAre405() throws Exception {
    assertThat(request("GET", "/nope").statusCode()).isEqualTo(404);
    HttpResponse<String> post = request("POST", "/ready");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(request("DELETE", "/metrics").statusCode()).isEqualTo(405);
  }

  @Test
  void headOnReadyAnswersTheStatusWithoutABody() throws Exception {
    desired.update(RoutingState.DRAINING, null, 5);
    HttpResponse<String> head = request("HEAD", "/ready");
    assertThat(head.statusCode()).isEqualTo(503);
    assertThat(head.body()).isEmpty();
  }
}

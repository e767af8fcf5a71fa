package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.T0;
import static dev.nines.server.Fixtures.report;
import static dev.nines.server.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nines.protocol.AgentReport;
import dev.nines.protocol.EndpointReport;
import dev.nines.protocol.ProbeResult;
import dev.nines.server.health.Health;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthWiringTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  @TempDir Path dir;
  final MovableClock clock = new MovableClock(T0);
  NinesServer server;
  Fixtures.Api api;
  String agent;

  @BeforeEach
  void start() {
    startServer();
    agent = server.createToken("agent", "agents");
  }

  private void startServer() {
    server =
        NinesServer.start(
            new ServerSettings("127.0.0.1", 0, dir.resolve("nines.db").toString(), null, ADMIN), clock, null);
    api = new Fixtures.Api(server);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** The fixture report with its generation probe failing (the engine hangs). */
  static AgentReport hung(String host, long seq) {
    AgentReport r = report(host, seq, 0.2, 50);
    EndpointReport e = r.endpoints().get(0);
    EndpointReport failing =
        new EndpointReport(
            e.url(), e.kind(), e.health(), new ProbeResult(false, null, 30_000, true, "timed out", T0), e.scrape());
    return new AgentReport(
        r.version(), r.agentId(), r.seq(), r.collectedAtMs(), r.intervalMs(), r.labels(), r.agentVersion(),
        r.host(), r.gpu(), List.of(failing));
  }

  private void post(AgentReport r) {
    assertThat(api.postReport(agent, r).statusCode()).isEqualTo(200);
  }

  private JsonNode host(String id) {
    HttpResponse<String> res = api.get("/api/v1/hosts/" + id, ADMIN);
    assertThat(res.statusCode()).isEqualTo(200);
    return tree(res.body());
  }

  private void awaitHealth(String id, String state) {
    await().atMost(WAIT).until(() -> host(id).get("health").get("state").asText().equals(state));
  }

  private JsonNode intervals(String id, String query) {
    HttpResponse<String> res = api.get("/api/v1/hosts/" + id + "/health" + query, ADMIN);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return tree(res.body()).get("intervals");
  }

  /** Posts a good report, then three hung ones 5 s apart; ends UNHEALTHY at T0 + 15 s. */
  private void hangAfterOneGoodReport(String id) {
    post(report(id, 1, 0.2, 50));
    awaitHealth(id, "HEALTHY");
    for (int seq = 2; seq <= 4; seq++) {
      clock.advance(Duration.ofSeconds(5));
      post(hung(id, seq));
    }
    awaitHealth(id, "UNHEALTHY");
  }

  @Test
  void threeFailedGenerationProbesMakeAHostUnhealthyWithExactIntervals() {
    hangAfterOneGoodReport("node-1");

    JsonNode listed = tree(api.get("/api/v1/hosts", ADMIN).body()).get(0).get("health");
    assertThat(listed.get("state").asText()).isEqualTo("UNHEALTHY");
    assertThat(listed.get("since").asLong()).isEqualTo(T0 + 15_000);
    assertThat(listed.get("rules").get(0).asText()).isEqualTo("generation-failures");
    assertThat(listed.get("reason").asText()).isNotBlank();

    JsonNode all = intervals("node-1", "?from=" + T0 + "&to=" + (T0 + 60_000));
    assertThat(all).hasSize(2);
    assertThat(all.get(0).get("state").asText()).isEqualTo("HEALTHY");
    assertThat(all.get(0).get("from").asLong()).isEqualTo(T0);
    assertThat(all.get(0).get("to").asLong()).isEqualTo(T0 + 15_000);
    assertThat(all.get(1).get("state").asText()).isEqualTo("UNHEALTHY");
    assertThat(all.get(1).get("from").asLong()).isEqualTo(T0 + 15_000);
    assertThat(all.get(1).get("to").isNull()).isTrue();
    assertThat(all.get(1).get("figures").has("generation-failures")).isTrue();

    // ISO-8601 works too, and the window is half-open: [T0 + 15 s, T0 + 16 s) holds only UNHEALTHY
    JsonNode later =
        intervals(
            "node-1",
            "?from=" + Instant.ofEpochMilli(T0 + 15_000) + "&to=" + Instant.ofEpochMilli(T0 + 16_000));
    assertThat(later).hasSize(1);
    assertThat(later.get(0).get("state").asText()).isEqualTo("UNHEALTHY");
  }

  @Test
  void aHostNeverJudgedShowsUnknown() throws Exception {
    // a host stored before this server judged anything: simulate with a fresh host and read at once
    JsonNode h = tree(api.get("/api/v1/hosts", ADMIN).body());
    assertThat(h).isEmpty();
    post(report("node-2", 1, 0.2, 50));
    awaitHealth("node-2", "HEALTHY");
    assertThat(host("node-2").get("health").get("since").asLong()).isEqualTo(T0);
  }

  @Test
  void sseClientReceivesTheHealthEvent() throws Exception {
    String viewer = server.createToken("viewer", "console");
    HttpResponse<Stream<String>> res =
        api.http.send(
            HttpRequest.newBuilder(URI.create(api.base + "/api/v1/events"))
                .header("Authorization", "Bearer " + viewer)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(res.statusCode()).isEqualTo(200);
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> res.body().forEach(lines::add), "sse-health-reader");
    reader.setDaemon(true);
    reader.start();
    await().atMost(WAIT).until(() -> lines.stream().anyMatch(l -> l.contains("connected")));

    hangAfterOneGoodReport("node-3");

    await().atMost(WAIT).until(() -> healthEvents(lines).size() >= 2);
    List<JsonNode> events = healthEvents(lines);
    assertThat(events.get(0).get("from").asText()).isEqualTo("UNKNOWN");
    assertThat(events.get(0).get("to").asText()).isEqualTo("HEALTHY");
    JsonNode down = events.get(1);
    assertThat(down.get("hostId").asText()).isEqualTo("node-3");
    assertThat(down.get("from").asText()).isEqualTo("HEALTHY");
    assertThat(down.get("to").asText()).isEqualTo("UNHEALTHY");
    assertThat(down.get("at").asLong()).isEqualTo(T0 + 15_000);
    assertThat(down.get("rules").get(0).asText()).isEqualTo("generation-failures");
    assertThat(down.get("reason").asText()).isNotBlank();
  }

  /** The data of every {@code health} event, in order. */
  private static List<JsonNode> healthEvents(List<String> lines) {
    List<JsonNode> out = new java.util.ArrayList<>();
    List<String> snapshot = List.copyOf(lines);
    for (int i = 0; i < snapshot.size(); i++) {
      if (snapshot.get(i).equals("event: health")) {
        for (int j = i + 1; j < snapshot.size() && !snapshot.get(j).isEmpty(); j++) {
          if (snapshot.get(j).startsWith("data:")) {
            out.add(tree(snapshot.get(j).substring(5).strip()));
          }
        }
      }
    }
    return out;
  }

  @Test
  void aSilentHostTurnsUnknownThenUnhealthyAfterTheGrace() {
    post(report("node-4", 1, 0.2, 50)); // received at T0, interval 5 s
    awaitHealth("node-4", "HEALTHY");

    server.health().runOnce(Instant.ofEpochMilli(T0 + 14_000));
    assertThat(host("node-4").get("health").get("state").asText()).isEqualTo("HEALTHY");

    server.health().runOnce(Instant.ofEpochMilli(T0 + 16_000));
    JsonNode unknown = host("node-4").get("health");
    assertThat(unknown.get("state").asText()).isEqualTo("UNKNOWN");
    assertThat(unknown.get("since").asLong()).isEqualTo(T0 + 16_000);
    assertThat(unknown.get("rules").get(0).asText()).isEqualTo("stale");

    server.health().runOnce(Instant.ofEpochMilli(T0 + 90_000)); // past 3 intervals + 60 s grace
    assertThat(host("node-4").get("health").get("state").asText()).isEqualTo("UNHEALTHY");

    JsonNode all = intervals("node-4", "?from=" + T0 + "&to=" + (T0 + 100_000));
    assertThat(all).extracting(i -> i.get("state").asText()).containsExactly("HEALTHY", "UNKNOWN", "UNHEALTHY");
    assertThat(all.get(1).get("to").asLong()).isEqualTo(T0 + 90_000);
  }

  @Test
  void duplicatesAndReplayedOldReportsChangeNothing() {
    post(report("node-5", 10, 0.2, 50));
    awaitHealth("node-5", "HEALTHY");
    clock.advance(Duration.ofSeconds(5));
    post(report("node-5", 10, 0.2, 50)); // duplicate
    for (int seq = 7; seq <= 9; seq++) { // replayed old reports of a hung engine
      post(hung("node-5", seq));
    }
    clock.advance(Duration.ofSeconds(5));
    post(report("node-5", 11, 0.2, 50)); // a new good report: once it is judged, all before it were too
    await().atMost(WAIT).until(() -> host("node-5").get("lastSeq").asLong() == 11);
    // the writer judges in commit order; a later, judged report proves the replays were skipped
    assertThat(server.health().health("node-5")).isEqualTo(Health.HEALTHY);
    assertThat(host("node-5").get("health").get("state").asText()).isEqualTo("HEALTHY");
    assertThat(intervals("node-5", "?from=" + T0 + "&to=" + (T0 + 60_000))).hasSize(1);
  }

  @Test
  void healthSurvivesARestart() {
    hangAfterOneGoodReport("node-6");
    server.close();
    clock.advance(Duration.ofSeconds(30));
    startServer();

    JsonNode h = host("node-6").get("health");
    assertThat(h.get("state").asText()).isEqualTo("UNHEALTHY");
    assertThat(h.get("since").asLong()).isEqualTo(T0 + 15_000);
    assertThat(server.health().health("node-6")).isEqualTo(Health.UNHEALTHY);
    assertThat(intervals("node-6", "?from=" + T0 + "&to=" + (T0 + 60_000))).hasSize(2);
  }

  @Test
  void badFromIsA400NamingTheParameter() {
    post(report("node-7", 1, 0.2, 50));
    HttpResponse<String> res = api.get("/api/v1/hosts/node-7/health?from=yesterday", ADMIN);
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(tree(res.body()).get("detail").asText()).startsWith("from:");
    HttpResponse<String> reversed =
        api.get("/api/v1/hosts/node-7/health?from=" + (T0 + 10) + "&to=" + T0, ADMIN);
    assertThat(reversed.statusCode()).isEqualTo(400);
    assertThat(api.get("/api/v1/hosts/nobody/health", ADMIN).statusCode()).isEqualTo(404);
  }
}

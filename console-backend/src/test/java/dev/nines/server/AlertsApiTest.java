package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.T0;
import static dev.nines.server.Fixtures.report;
import static dev.nines.server.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nines.server.health.Health;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alerts and silences API over real HTTP, on a server whose jobs the test runs by hand. */
class AlertsApiTest {
  @TempDir Path dir;
  final MovableClock clock = new MovableClock(T0);
  NinesServer server;
  Fixtures.Api api;
  String operator;
  String viewer;

  @BeforeEach
  void start() {
    server =
        NinesServer.start(
            new ServerSettings("127.0.0.1", 0, dir.resolve("nines.db").toString(), null, ADMIN), clock, null);
    api = new Fixtures.Api(server);
    operator = server.createToken("operator", "alice");
    viewer = server.createToken("viewer", "console");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** A host that reported once and then went silent: host-down fires. Returns its fingerprint. */
  private String hostDown() {
    assertThat(api.postReport(ADMIN, report("node-1", 1, 0.2, 50)).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> server.health().health("node-1") == Health.HEALTHY);
    clock.advance(Duration.ofSeconds(20));
    server.health().runOnce(clock.instant());
    server.alerts().runOnce(clock.instant());
    JsonNode page = tree(api.get("/api/v1/alerts?state=firing&alertname=host-down", viewer).body());
    assertThat(page.get("items")).hasSize(1);
    JsonNode a = page.get("items").get(0);
    assertThat(a.get("labels").get("alertname").asText()).isEqualTo("host-down");
    assertThat(a.get("labels").get("host").asText()).isEqualTo("node-1");
    assertThat(a.get("annotations").get("link").asText()).isEqualTo("/api/v1/hosts/node-1");
    return a.get("fingerprint").asText();
  }

  private HttpResponse<String> delete(String path, String token) {
    return api.send(
        HttpRequest.newBuilder(URI.create(api.base + path)).header("Authorization", "Bearer " + token).DELETE().build());
  }

  @Test
  void aFiringAlertIsListedFilteredAcknowledgedAndAudited() {
    String fp = hostDown();
    assertThat(tree(api.get("/api/v1/alerts?state=pending", viewer).body()).get("items")).isEmpty();
    assertThat(tree(api.get("/api/v1/alerts?host=node-2", viewer).body()).get("items")).isEmpty();
    assertThat(tree(api.get("/api/v1/alerts?alertname=host-down&severity=critical", viewer).body()).get("items")).hasSize(1);
    HttpResponse<String> ack = api.post("/api/v1/alerts/" + fp + "/ack", operator, "{\"comment\":\"rebooting\"}");
    assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
    JsonNode one = tree(api.get("/api/v1/alerts/" + fp, viewer).body());
    assertThat(one.get("ack").get("by").asText()).isEqualTo("alice");
    assertThat(one.get("ack").get("comment").asText()).isEqualTo("rebooting");
    JsonNode audit = tree(api.get("/api/v1/audit", ADMIN).body()).get("items");
    assertThat(audit.toString()).contains("alert.ack");
  }

  @Test
  void badRequestsAreRefusedAndChangeNothing() {
    String fp = hostDown();
    assertThat(api.get("/api/v1/alerts?state=burning", viewer).statusCode()).isEqualTo(400);
    assertThat(api.get("/api/v1/alerts?limit=0", viewer).statusCode()).isEqualTo(400);
    assertThat(api.get("/api/v1/alerts?cursor=nonsense!", viewer).statusCode()).isEqualTo(400);
    assertThat(api.get("/api/v1/alerts/nope", viewer).statusCode()).isEqualTo(404);
    assertThat(api.post("/api/v1/alerts/nope/ack", operator, "{}").statusCode()).isEqualTo(404);
    assertThat(api.post("/api/v1/alerts/" + fp + "/ack", operator, "{\"comment\": 5}").statusCode()).isEqualTo(400);
    for (String body :
        new String[] {
          "not json",
          "{\"comment\":\"x\",\"duration\":\"1h\"}",
          "{\"matchers\":[],\"comment\":\"x\",\"duration\":\"1h\"}",
          "{\"matchers\":[\"pool chat\"],\"comment\":\"x\",\"duration\":\"1h\"}",
          "{\"matchers\":[\"pool=~(\"],\"comment\":\"x\",\"duration\":\"1h\"}",
          "{\"matchers\":[\"pool=chat\"],\"comment\":\"  \",\"duration\":\"1h\"}",
          "{\"matchers\":[\"pool=chat\"],\"duration\":\"1h\"}",
          "{\"matchers\":[\"pool=chat\"],\"comment\":\"x\",\"duration\":\"31d\"}",
          "{\"matchers\":[\"pool=chat\"],\"comment\":\"x\"}",
          "{\"matchers\":[\"pool=chat\"],\"comment\":\"x\",\"startsAt\":\"" + Instant.ofEpochMilli(T0 + 7_200_000)
              + "\",\"endsAt\":\"" + Instant.ofEpochMilli(T0 + 3_600_000) + "\"}",
          "{\"matchers\":[\"pool=chat\"],\"comment\":\"x\",\"duration\":\"1h\",\"colour\":\"red\"}",
        }) {
      HttpResponse<String> res = api.post("/api/v1/silences", operator, body);
      assertThat(res.statusCode()).as(body + " -> " + res.body()).isEqualTo(400);
      assertThat(tree(res.body()).has("error")).isTrue();
    }
    assertThat(delete("/api/v1/silences/nope", operator).statusCode()).isEqualTo(404);
    assertThat(tree(api.get("/api/v1/silences", viewer).body()).get("items")).isEmpty();
    assertThat(tree(api.get("/api/v1/alerts/" + fp, viewer).body()).get("ack").isNull()).isTrue();
    // a resolved alert cannot be acknowledged
    assertThat(api.postReport(ADMIN, report("node-1", 2, 0.2, 50)).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> server.health().health("node-1") == Health.HEALTHY);
    server.alerts().runOnce(clock.instant());
    assertThat(tree(api.get("/api/v1/alerts/" + fp, viewer).body()).get("state").asText()).isEqualTo("resolved");
    assertThat(api.post("/api/v1/alerts/" + fp + "/ack", operator, "{}").statusCode()).isEqualTo(409);
  }

  @Test
  void aSilenceSuppressesTheAlertUntilItIsExpired() {
    String fp = hostDown();
    HttpResponse<String> made =
        api.post("/api/v1/silences", operator, "{\"matchers\":[\"host=node-1\"],\"comment\":\"reimaging\",\"duration\":\"2h\"}");
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    JsonNode s = tree(made.body());
    assertThat(s.get("author").asText()).isEqualTo("alice");
    assertThat(s.get("state").asText()).isEqualTo("active");
    assertThat(s.get("endsAt").asLong()).isEqualTo(clock.millis() + 7_200_000);
    server.alerts().runOnce(clock.instant());
    assertThat(tree(api.get("/api/v1/alerts/" + fp, viewer).body()).get("suppressedBy").get(0).asText())
        .isEqualTo(s.get("id").asText());
    HttpResponse<String> expired = delete("/api/v1/silences/" + s.get("id").asText(), operator);
    assertThat(expired.statusCode()).isEqualTo(200);
    assertThat(tree(expired.body()).get("state").asText()).isEqualTo("expired");
    server.alerts().runOnce(clock.instant());
    assertThat(tree(api.get("/api/v1/alerts/" + fp, viewer).body()).get("suppressedBy")).isEmpty();
    assertThat(tree(api.get("/api/v1/audit", ADMIN).body()).get("items").toString())
        .contains("silence.create").contains("silence.expire");
  }

  @Test
  void alertsArePagedNewestFirst() {
    for (int i = 1; i <= 3; i++) {
      assertThat(api.postReport(ADMIN, report("node-" + i, 1, 0.2, 50)).statusCode()).isEqualTo(200);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> server.health().health("node-3") == Health.HEALTHY);
    clock.advance(Duration.ofSeconds(20));
    server.health().runOnce(clock.instant());
    server.alerts().runOnce(clock.instant());
    JsonNode p1 = tree(api.get("/api/v1/alerts?alertname=host-down&limit=2", viewer).body());
    assertThat(p1.get("items")).hasSize(2);
    JsonNode p2 = tree(api.get("/api/v1/alerts?alertname=host-down&limit=2&cursor=" + p1.get("nextCursor").asText(), viewer).body());
    assertThat(p2.get("items")).hasSize(1);
    assertThat(p2.get("nextCursor").isNull()).isTrue();
    // below its capacity guard: the pool-level alert fires too, linked to the pool
    JsonNode pool = tree(api.get("/api/v1/alerts?alertname=pool-capacity", viewer).body()).get("items");
    assertThat(pool).hasSize(1);
    assertThat(pool.get(0).get("annotations").get("link").asText()).startsWith("/api/v1/pools/");
  }
}

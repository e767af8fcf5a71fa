package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.T0;
import static dev.nines.server.Fixtures.report;
import static dev.nines.server.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nines.protocol.AgentReport;
import dev.nines.server.incident.IncidentKind;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncidentsWiringTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  @TempDir Path dir;
  final MovableClock clock = new MovableClock(T0);
  final Map<String, Long> seqs = new HashMap<>();
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

  /** A report of {@code host} in {@code pool}, with the next seq. */
  private AgentReport next(String host, String pool, boolean hung) {
    long seq = seqs.merge(host, 1L, Long::sum);
    AgentReport r = hung ? HealthWiringTest.hung(host, seq) : report(host, seq, 0.2, 50);
    return new AgentReport(
        r.version(), r.agentId(), r.seq(), r.collectedAtMs(), r.intervalMs(), Map.of("pool", pool), r.agentVersion(),
        r.host(), r.gpu(), r.endpoints());
  }

  private String health(String id) {
    JsonNode h = tree(api.get("/api/v1/hosts/" + id, ADMIN).body()).get("health");
    return h == null || h.isNull() ? "NONE" : h.get("state").asText();
  }

  /** Posts reports 5 s apart until the host has this health. */
  private void drive(String host, String pool, boolean hung, String until) {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              clock.advance(Duration.ofSeconds(5));
              assertThat(api.postReport(agent, next(host, pool, hung)).statusCode()).isEqualTo(200);
              return health(host).equals(until);
            });
  }

  private JsonNode incidents(String query) {
    HttpResponse<String> r = api.get("/api/v1/incidents" + query, ADMIN);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return tree(r.body());
  }

  private static List<String> subjects(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("items").forEach(i -> out.add(i.get("kind").asText() + ":" + i.get("subject").asText() + ":" + i.get("state").asText()));
    return out;
  }

  @Test
  void hungHostOpensAnIncidentWithItsCauseAndRecoveryClosesItWithADuration() {
    drive("h1", "llama", false, "HEALTHY");
    drive("h2", "llama", false, "HEALTHY");
    drive("h1", "llama", true, "UNHEALTHY");

    JsonNode open = incidents("?state=open");
    // one of two members down, the guard (half) still met: no pool incident
    assertThat(subjects(open)).containsExactly("host:h1:open");
    JsonNode inc = open.get("items").get(0);
    assertThat(inc.get("severity").asText()).isEqualTo("UNHEALTHY");
    assertThat(inc.get("cause").get("rules").toString()).contains("generation");
    assertThat(inc.get("cause").get("figures").size()).isPositive();
    assertThat(inc.get("closedAt").isNull()).isTrue();
    assertThat(open.get("nextCursor").isNull()).isTrue();
    long openedAt = inc.get("openedAt").asLong();

    drive("h1", "llama", false, "HEALTHY");
    JsonNode closed = incidents("?state=closed&kind=host&subject=h1");
    assertThat(closed.get("items")).hasSize(1);
    JsonNode c = closed.get("items").get(0);
    assertThat(c.get("id").asLong()).isEqualTo(inc.get("id").asLong());
    assertThat(c.get("durationMs").asLong()).isEqualTo(c.get("closedAt").asLong() - openedAt).isPositive();
    assertThat(incidents("?state=open").get("items")).isEmpty();

    JsonNode one = tree(api.get("/api/v1/incidents/" + c.get("id").asLong(), ADMIN).body());
    List<String> types = new ArrayList<>();
    one.get("timeline").forEach(e -> types.add(e.get("type").asText()));
    assertThat(types.get(0)).isEqualTo("opened");
    assertThat(types.get(types.size() - 1)).isEqualTo("closed");
  }

  @Test
  void poolBelowItsGuardOpensAPoolIncidentNamingTheMembersDown() {
    drive("solo", "tiny", false, "HEALTHY");
    drive("solo", "tiny", true, "UNHEALTHY");

    JsonNode pool = incidents("?kind=pool").get("items").get(0);
    assertThat(pool.get("subject").asText()).isEqualTo("tiny");
    assertThat(pool.get("severity").asText()).isEqualTo("DOWN");
    assertThat(pool.get("cause").get("membersDown").toString()).isEqualTo("[\"solo\"]");

    drive("solo", "tiny", false, "HEALTHY");
    assertThat(subjects(incidents("?kind=pool"))).containsExactly("pool:tiny:closed");
  }

  @Test
  void openIncidentsSurviveARestartWithoutBeingDuplicated() {
    drive("h5", "llama", false, "HEALTHY");
    drive("h5", "llama", true, "UNHEALTHY");
    long id = incidents("?kind=host").get("items").get(0).get("id").asLong();
    server.close();
    clock.advance(Duration.ofSeconds(30));
    startServer();

    assertThat(subjects(incidents(""))).containsExactlyInAnyOrder("host:h5:open", "pool:llama:open");
    assertThat(server.incidents().openIncidentId(IncidentKind.HOST, "h5")).contains(id);
    drive("h5", "llama", false, "HEALTHY");
    JsonNode all = incidents("?kind=host");
    assertThat(all.get("items")).hasSize(1);
    assertThat(all.get("items").get(0).get("id").asLong()).isEqualTo(id);
    assertThat(all.get("items").get(0).get("state").asText()).isEqualTo("closed");
  }

  @Test
  void actionsAppendToTheOpenIncident() {
    drive("h3", "llama", false, "HEALTHY");
    drive("h3", "llama", true, "UNHEALTHY");
    assertThat(server.incidents().addAction(IncidentKind.HOST, "h3", "drained h3 by policy gray-failure", clock.instant()))
        .isPresent();
    assertThat(server.incidents().addAction(IncidentKind.HOST, "nobody", "nothing", clock.instant())).isEmpty();
    JsonNode inc = incidents("?kind=host&subject=h3").get("items").get(0);
    assertThat(inc.get("actions").get(0).get("text").asText()).isEqualTo("drained h3 by policy gray-failure");
  }

  @Test
  void listsPageNewestFirstWithACursor() {
    for (String h : List.of("p1", "p2", "p3")) {
      drive(h, "pool-" + h, false, "HEALTHY");
      drive(h, "pool-" + h, true, "UNHEALTHY");
    }
    // each host is alone in its pool: a host and a pool incident each, six in all
    List<Long> ids = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < 10; page++) {
      JsonNode p = incidents("?limit=4" + (cursor == null ? "" : "&cursor=" + cursor));
      p.get("items").forEach(i -> ids.add(i.get("id").asLong()));
      cursor = p.get("nextCursor").isNull() ? null : p.get("nextCursor").asText();
      if (cursor == null) {
        break;
      }
    }
    assertThat(ids).hasSize(6).doesNotHaveDuplicates();
    assertThat(incidents("?limit=1000").get("items")).hasSize(6);
    JsonNode first = incidents("?limit=1").get("items").get(0);
    assertThat(first.get("subject").asText()).isIn("p3", "pool-p3");
    assertThat(incidents("?to=" + Instant.ofEpochMilli(T0)).get("items")).isEmpty();
  }

  @Test
  void badParametersAre400AndUnknownIdsAre404() {
    for (String q : List.of("?limit=0", "?limit=1001", "?limit=x", "?state=maybe", "?kind=gpu", "?cursor=nonsense", "?from=yesterday")) {
      HttpResponse<String> r = api.get("/api/v1/incidents" + q, ADMIN);
      assertThat(r.statusCode()).as(q).isEqualTo(400);
      assertThat(tree(r.body()).get("error").asText()).isEqualTo("invalid parameter");
    }
    assertThat(api.get("/api/v1/incidents/99", ADMIN).statusCode()).isEqualTo(404);
    assertThat(api.get("/api/v1/incidents/abc", ADMIN).statusCode()).isEqualTo(400);
    assertThat(api.get("/api/v1/incidents", null).statusCode()).isEqualTo(401);
  }
}

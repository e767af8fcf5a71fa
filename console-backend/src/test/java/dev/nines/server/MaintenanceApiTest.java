package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.T0;
import static dev.nines.server.Fixtures.report;
import static dev.nines.server.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The maintenance-window routes over real HTTP, with a clock moved by hand. */
class MaintenanceApiTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String PATH = "/api/v1/maintenance-windows";
  static final long MIN = 60_000L;

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
    viewer = server.createToken("viewer", "watcher");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static String iso(long ms) {
    return Instant.ofEpochMilli(ms).toString();
  }

  private HttpResponse<String> delete(String id, String token) {
    return api.send(
        HttpRequest.newBuilder(URI.create(api.base + PATH + "/" + id))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .DELETE()
            .build());
  }

  private JsonNode create(String body) {
    HttpResponse<String> res = api.post(PATH, operator, body.replace('\'', '"'));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
    return tree(res.body());
  }

  private JsonNode list(String query) {
    HttpResponse<String> res = api.get(PATH + query, viewer);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return tree(res.body());
  }

  private static List<String> ids(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("items").forEach(i -> out.add(i.get("id").asText()));
    return out;
  }

  @Test
  void anOperatorCreatesWindowsThatViewersReadWithTheirCurrentAndNextOccurrence() {
    JsonNode oneOff =
        create("{'hosts': ['node-1'], 'startsAt': '" + iso(T0 + 10 * MIN) + "', 'endsAt': " + (T0 + 40 * MIN)
            + ", 'comment': 'swap a PSU'}");
    assertThat(oneOff.get("kind").asText()).isEqualTo("one-off");
    assertThat(oneOff.get("author").asText()).isEqualTo("alice");
    assertThat(oneOff.get("createdAt").asLong()).isEqualTo(T0);
    assertThat(oneOff.get("active").asBoolean()).isTrue();
    assertThat(oneOff.get("current").isNull()).isTrue();
    assertThat(oneOff.get("next").get("start").asLong()).isEqualTo(T0 + 10 * MIN);
    assertThat(oneOff.get("next").get("end").asLong()).isEqualTo(T0 + 40 * MIN);
    clock.advance(Duration.ofMillis(1));
    JsonNode weekly =
        create("{'pool': 'llama', 'every': 'weekly', 'days': ['TUE', 'SAT'], 'at': '02:30', 'duration': '2h',"
            + " 'zone': 'Europe/Berlin', 'comment': 'kernel updates'}");
    assertThat(weekly.get("kind").asText()).isEqualTo("recurring");
    assertThat(weekly.get("days").toString()).isEqualTo("[\"TUE\",\"SAT\"]");
    assertThat(weekly.get("duration").asText()).isEqualTo("2h");
    // T0 is Tuesday 2023-11-14 22:13:20Z; the next 02:30 Berlin (CET) on a TUE or SAT: Sat 18th 01:30Z
    assertThat(weekly.get("next").get("start").asLong()).isEqualTo(Instant.parse("2023-11-18T01:30:00Z").toEpochMilli());

    clock.setMillis(T0 + 20 * MIN);
    JsonNode one = tree(api.get(PATH + "/" + oneOff.get("id").asText(), viewer).body());
    assertThat(one.get("current").get("start").asLong()).isEqualTo(T0 + 10 * MIN);
    assertThat(one.get("next").isNull()).isTrue();
    assertThat(ids(list(""))).containsExactly(weekly.get("id").asText(), oneOff.get("id").asText());
    assertThat(ids(list("?pool=llama"))).containsExactly(weekly.get("id").asText());
    assertThat(ids(list("?host=node-1"))).containsExactly(oneOff.get("id").asText());
    assertThat(list("?limit=1").get("nextCursor").isNull()).isFalse();
    String cursor = list("?limit=1").get("nextCursor").asText();
    assertThat(ids(list("?limit=1&cursor=" + cursor))).containsExactly(oneOff.get("id").asText());
    assertThat(list("?limit=1&cursor=" + cursor).get("nextCursor").isNull()).isTrue();

    clock.setMillis(T0 + 41 * MIN);
    assertThat(ids(list("?active=true"))).containsExactly(weekly.get("id").asText());
    assertThat(ids(list("?active=false"))).containsExactly(oneOff.get("id").asText());
    assertThat(Fixtures.rows(dir, "maintenance_windows")).isEqualTo(2);
  }

  @Test
  void badBodiesAre400NamingTheFieldAndStoreNothing() {
    String start = "'startsAt': '" + iso(T0) + "'";
    Map<String, String> bodies =
        Map.ofEntries(
            Map.entry("pool or hosts", "{" + start + ", 'endsAt': '" + iso(T0 + MIN) + "', 'comment': 'c'}"),
            Map.entry("endsAt", "{'pool': 'p', " + start + ", 'endsAt': '" + iso(T0 - MIN) + "', 'comment': 'c'}"),
            Map.entry("endsAt: a one-off window may last at most 30 days",
                "{'pool': 'p', " + start + ", 'endsAt': '" + iso(T0 + 31L * 24 * 60 * MIN) + "', 'comment': 'c'}"),
            Map.entry("duration must be above zero",
                "{'pool': 'p', 'every': 'daily', 'at': '01:00', 'duration': '0s', 'comment': 'c'}"),
            Map.entry("duration must be at most 7 days",
                "{'pool': 'p', 'every': 'daily', 'at': '01:00', 'duration': '8d', 'comment': 'c'}"),
            Map.entry("days", "{'pool': 'p', 'every': 'weekly', 'days': ['XYZ'], 'at': '01:00', 'duration': '1h', 'comment': 'c'}"),
            Map.entry("zone", "{'pool': 'p', 'every': 'daily', 'at': '01:00', 'duration': '1h', 'zone': 'Nowhere/Town', 'comment': 'c'}"),
            Map.entry("at", "{'pool': 'p', 'every': 'daily', 'at': '1am', 'duration': '1h', 'comment': 'c'}"),
            Map.entry("comment", "{'pool': 'p', " + start + ", 'endsAt': '" + iso(T0 + MIN) + "', 'comment': ''}"),
            Map.entry("not valid JSON", "{'pool': "));
    for (Map.Entry<String, String> e : bodies.entrySet()) {
      HttpResponse<String> res = api.post(PATH, operator, e.getValue().replace('\'', '"'));
      assertThat(res.statusCode()).as(e.getValue() + " -> " + res.body()).isEqualTo(400);
      assertThat(tree(res.body()).get("detail").asText()).as(e.getValue()).startsWith(e.getKey());
    }
    assertThat(api.get(PATH + "?active=maybe", viewer).statusCode()).isEqualTo(400);
    assertThat(api.get(PATH + "?limit=0", viewer).statusCode()).isEqualTo(400);
    assertThat(api.get(PATH + "?cursor=garbage", viewer).statusCode()).isEqualTo(400);
    assertThat(Fixtures.rows(dir, "maintenance_windows")).isZero();
  }

  @Test
  void deleteCancelsTheWindowFromNowOnAndIsAudited() {
    JsonNode w =
        create("{'pool': 'llama', 'startsAt': '" + iso(T0) + "', 'endsAt': '" + iso(T0 + 60 * MIN) + "', 'comment': 'c'}");
    String id = w.get("id").asText();
    clock.setMillis(T0 + 15 * MIN);
    assertThat(delete(id, viewer).statusCode()).isEqualTo(403);
    HttpResponse<String> res = delete(id, operator);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    JsonNode cancelled = tree(res.body());
    assertThat(cancelled.get("cancelledAt").asLong()).isEqualTo(T0 + 15 * MIN);
    assertThat(cancelled.get("cancelledBy").asText()).isEqualTo("alice");
    assertThat(cancelled.get("active").asBoolean()).isFalse();
    assertThat(cancelled.get("current").isNull()).isTrue();
    assertThat(delete(id, operator).statusCode()).isEqualTo(200);
    assertThat(delete("mw_nope", operator).statusCode()).isEqualTo(404);
    assertThat(api.get(PATH + "/mw_nope", viewer).statusCode()).isEqualTo(404);
    JsonNode audit = tree(api.get("/api/v1/audit?action=maintenance.cancel", ADMIN).body());
    assertThat(audit.get("items")).hasSize(1);
    assertThat(tree(api.get("/api/v1/audit?action=maintenance.create", ADMIN).body()).get("items")).hasSize(1);
  }

  @Test
  void aPoolWindowPutsThePoolInMaintenanceAndOutOfItsAvailability() {
    String agent = server.createToken("agent", "agents");
    assertThat(api.postReport(agent, report("node-1", 1, 0.2, 50)).statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(
        () -> "HEALTHY".equals(tree(api.get("/api/v1/hosts/node-1", viewer).body()).path("health").path("state").asText()));
    create("{'pool': 'llama', 'startsAt': '" + iso(T0 - 60 * MIN) + "', 'endsAt': '" + iso(T0 + 60 * MIN) + "', 'comment': 'c'}");
    clock.setMillis(T0 + 10 * MIN);
    JsonNode pool = tree(api.get("/api/v1/pools/llama", viewer).body());
    assertThat(pool.get("state").asText()).as(pool.toString()).isEqualTo("MAINTENANCE");
    JsonNode availability =
        tree(api.get("/api/v1/availability?host=node-1&from=" + (T0 - 60 * MIN) + "&to=" + (T0 + 10 * MIN), viewer).body());
    // judged from T0, in maintenance until T0 + 60 min: nothing counted yet
    assertThat(availability.get("countedMs").asLong()).as(availability.toString()).isZero();
    assertThat(availability.get("excludedMs").asLong()).isEqualTo(70 * MIN);
    assertThat(availability.get("availability").isNull()).isTrue();
    clock.setMillis(T0 + 70 * MIN);
    availability =
        tree(api.get("/api/v1/availability?host=node-1&from=" + (T0 - 60 * MIN) + "&to=" + (T0 + 70 * MIN), viewer).body());
    assertThat(availability.get("countedMs").asLong()).as(availability.toString()).isEqualTo(10 * MIN);
    assertThat(availability.get("upMs").asLong()).isEqualTo(10 * MIN);
    assertThat(availability.get("excludedMs").asLong()).isEqualTo(120 * MIN);
    assertThat(tree(api.get("/api/v1/pools/llama", viewer).body()).get("state").asText()).isEqualTo("UP");
  }
}

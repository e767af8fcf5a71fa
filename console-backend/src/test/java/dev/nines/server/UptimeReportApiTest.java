package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.T0;
import static dev.nines.server.Fixtures.report;
import static dev.nines.server.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The uptime report over real HTTP (JSON and CSV) against a timeline moved by hand: node-1 hung for
 * exactly two minutes of a ten-minute period. Its figures are the availability route's, its
 * incident is listed, and bad parameters get a 400 or 404.
 */
class UptimeReportApiTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  @TempDir Path dir;
  final MovableClock clock = new MovableClock(T0);
  NinesServer server;
  Fixtures.Api api;
  String agent;
  String viewer;
  long seq;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void post(dev.nines.protocol.AgentReport r) {
    assertThat(api.postReport(agent, r).statusCode()).isEqualTo(200);
  }

  private String health(String id) {
    return tree(api.get("/api/v1/hosts/" + id, ADMIN).body()).path("health").path("state").asText();
  }

  /** Three hosts from T0; node-1 hung from T0 + 2 min to T0 + 4 min; the period is T0 .. T0 + 10 min. */
  private void timeline() throws Exception {
    Path config = dir.resolve("nines.yaml");
    Files.writeString(config, "pools:\n  llama:\n    minActive: 1\n    rules: {generationFailures: 1, failAfter: 1, recoverAfter: 1}\n");
    server =
        NinesServer.start(
            new ServerSettings("127.0.0.1", 0, dir.resolve("nines.db").toString(), config, ADMIN), clock, null);
    api = new Fixtures.Api(server);
    agent = server.createToken("agent", "agents");
    viewer = server.createToken("viewer", "manager");
    for (String h : List.of("node-1", "node-2", "node-3")) {
      post(report(h, ++seq, 0.2, 50));
    }
    await().atMost(WAIT).until(() -> health("node-3").equals("HEALTHY"));
    clock.advance(Duration.ofMinutes(2));
    post(HealthWiringTest.hung("node-1", ++seq));
    await().atMost(WAIT).until(() -> health("node-1").equals("UNHEALTHY"));
    clock.advance(Duration.ofMinutes(2));
    post(report("node-1", ++seq, 0.2, 50));
    await().atMost(WAIT).until(() -> health("node-1").equals("HEALTHY"));
    clock.advance(Duration.ofMinutes(6));
    for (String h : List.of("node-1", "node-2", "node-3")) {
      post(report(h, ++seq, 0.2, 50));
    }
    server.incidents().runOnce(clock.instant());
  }

  private JsonNode row(JsonNode rows, String id) {
    for (JsonNode r : rows) {
      if (r.path("id").asText().equals(id)) {
        return r;
      }
    }
    throw new AssertionError("no row " + id + " in " + rows);
  }

  @Test
  void theReportGivesEachPoolAndHostItsFiguresAndTheIncidentsAsJsonAndCsv() throws Exception {
    timeline();
    String period = "from=" + T0 + "&to=" + (T0 + 600_000);
    HttpResponse<String> res = api.get("/api/v1/reports/uptime?" + period, viewer);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    JsonNode report = tree(res.body());
    JsonNode node1 = row(report.path("hosts"), "node-1");
    assertThat(node1.path("downtimeMinutes").asDouble()).isCloseTo(2.0, within(0.01));
    assertThat(node1.path("availability").asDouble()).isCloseTo(0.8, within(0.001));
    assertThat(node1.path("incidents").asInt()).isEqualTo(1);
    assertThat(node1.path("sloTarget").asDouble()).isEqualTo(0.999);
    assertThat(node1.path("sloMet").asBoolean()).isFalse();
    assertThat(node1.path("errorBudgetUsed").asDouble()).isCloseTo(200.0, within(0.5));
    assertThat(row(report.path("hosts"), "node-2").path("availability").asDouble()).isEqualTo(1.0);
    JsonNode pool = row(report.path("pools"), "llama");
    assertThat(pool.path("availability").asDouble()).isEqualTo(1.0); // 2 of 3 serving, guard 1
    assertThat(report.path("accounting").asText()).contains("maintenance windows are not counted");
    // The same figures as the availability route.
    JsonNode same = tree(api.get("/api/v1/availability?host=node-1&" + period, viewer).body());
    assertThat(node1.path("availability").asDouble()).isEqualTo(same.path("availability").asDouble());
    assertThat(report.path("incidents").toString()).contains("\"subject\":\"node-1\"");

    HttpResponse<String> csv = api.get("/api/v1/reports/uptime?format=csv&" + period, viewer);
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    String[] sections = csv.body().split("\r\n\r\n", 2);
    List<CSVRecord> rows =
        CSVFormat.RFC4180.builder().setHeader().setCommentMarker('#').get().parse(new StringReader(sections[0])).getRecords();
    assertThat(rows).extracting(r -> r.get("id")).containsExactly("llama", "node-1", "node-2", "node-3");
    CSVRecord csv1 = rows.get(1);
    assertThat(Double.parseDouble(csv1.get("downtime_minutes"))).isCloseTo(2.0, within(0.01));
    assertThat(csv1.get("slo_met")).isEqualTo("false");
    assertThat(csv1.get("from")).isEqualTo("2023-11-14T22:13:20Z");
    List<CSVRecord> incidents =
        CSVFormat.RFC4180.builder().setHeader().setCommentMarker('#').get().parse(new StringReader(sections[1])).getRecords();
    assertThat(incidents).extracting(r -> r.get("subject")).contains("node-1");
    assertThat(csv.body()).contains("# Time-based availability");

    HttpResponse<String> html = api.get("/api/v1/reports/uptime?format=html&" + period, viewer);
    assertThat(html.statusCode()).isEqualTo(200);
    assertThat(html.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(html.body())
        .startsWith("<!DOCTYPE html>")
        .contains("<h1>Uptime report</h1>", "2023-11-14T22:13:20Z", "<td>node-1</td>", "80.000 %", "class=\"miss\">no<",
            "<h2>Incidents</h2>", "How this was counted")
        .doesNotContain("<script", "src=", "href=", "url(", "@import");

    JsonNode one = tree(api.get("/api/v1/reports/uptime?host=node-2&" + period, viewer).body());
    assertThat(one.path("pools")).isEmpty();
    assertThat(one.path("hosts")).hasSize(1);
    assertThat(one.path("incidents")).isEmpty();
    assertThat(tree(api.get("/api/v1/reports/uptime?pool=llama&" + period, viewer).body()).path("hosts")).hasSize(3);
  }

  @Test
  void badParametersGetA4xx() throws Exception {
    timeline();
    assertThat(api.get("/api/v1/reports/uptime?format=xml", viewer).statusCode()).isEqualTo(400);
    assertThat(api.get("/api/v1/reports/uptime?pool=nope", viewer).statusCode()).isEqualTo(404);
    assertThat(api.get("/api/v1/reports/uptime?host=nope", viewer).statusCode()).isEqualTo(404);
    assertThat(api.get("/api/v1/reports/uptime?pool=llama&host=node-1", viewer).statusCode()).isEqualTo(400);
    assertThat(api.get("/api/v1/reports/uptime?from=" + (T0 + 5) + "&to=" + T0, viewer).statusCode()).isEqualTo(400);
    assertThat(api.get("/api/v1/reports/uptime?from=yesterday", viewer).statusCode()).isEqualTo(400);
    assertThat(api.get("/api/v1/reports/uptime?from=0&to=" + T0, viewer).statusCode()).isEqualTo(400);
    assertThat(api.get("/api/v1/reports/uptime", null).statusCode()).isEqualTo(401);
    assertThat(api.get("/api/v1/reports/uptime", agent).statusCode()).isEqualTo(403);
  }
}

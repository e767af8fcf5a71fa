package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.T0;
import static dev.nines.server.Fixtures.report;
import static dev.nines.server.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics range route over real HTTP, and the rollup and retention jobs with a moved clock. */
class MetricsApiTest {
  @TempDir Path dir;
  /** Fixture reports are collected at T0 + seq * 5 s; the clock starts just after the tenth. */
  final MovableClock clock = new MovableClock(T0 + 51_000);
  NinesServer server;
  Fixtures.Api api;
  String agent;
  String viewer;

  @BeforeEach
  void start() {
    server =
        NinesServer.start(
            new ServerSettings("127.0.0.1", 0, dir.resolve("nines.db").toString(), null, ADMIN), clock, null);
    api = new Fixtures.Api(server);
    agent = server.createToken("agent", "agents");
    viewer = server.createToken("viewer", "people");
    for (int seq = 1; seq <= 10; seq++) {
      assertThat(api.postReport(agent, report("h1", seq, 0.1 * seq, 40 + seq)).statusCode()).isEqualTo(200);
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  JsonNode ok(String query) {
    HttpResponse<String> res = api.get("/api/v1/hosts/h1/metrics" + query, viewer);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return tree(res.body());
  }

  JsonNode series(JsonNode body, String metric, String label, String value) {
    for (JsonNode s : body.get("series")) {
      if (s.get("metric").asText().equals(metric) && (label == null || s.get("labels").get(label).asText().equals(value))) {
        return s;
      }
    }
    throw new AssertionError("no series " + metric + " in " + body);
  }

  @Test
  void theLastHourComesFromRawSamplesWithAboutThreeHundredPoints() {
    JsonNode body = ok("");
    assertThat(body.get("source").asText()).isEqualTo("raw");
    assertThat(body.get("to").asLong()).isEqualTo(clock.millis());
    assertThat(body.get("from").asLong()).isEqualTo(clock.millis() - 3_600_000);
    assertThat(body.get("step").asLong()).isEqualTo(15_000);
    JsonNode temp = series(body, "gpu_temperature_celsius", "gpu", "0");
    assertThat(temp.get("kind").asText()).isEqualTo("gauge");
    // GPU 0 reported 41..50 °C every 5 s: each 15-s step holds three reports.
    long total = 0;
    for (JsonNode p : temp.get("points")) {
      assertThat(p.size()).isEqualTo(4);
      assertThat(p.get(2).asDouble()).isLessThanOrEqualTo(p.get(1).asDouble());
      assertThat(p.get(3).asDouble()).isGreaterThanOrEqualTo(p.get(1).asDouble());
      total++;
    }
    assertThat(total).isBetween(4L, 5L);
    JsonNode requests = series(body, "endpoint_requests", "endpoint", "http://127.0.0.1:8000");
    long sum = 0;
    for (JsonNode p : requests.get("points")) {
      assertThat(p.size()).isEqualTo(2);
      sum += p.get(1).asLong();
    }
    assertThat(sum).isEqualTo(10 * 120);
  }

  @Test
  void aStepReBucketsRawSamplesExactly() {
    JsonNode body = ok("?from=" + T0 + "&to=" + (T0 + 60_000) + "&step=10s&metric=host_cpu_util_ratio");
    assertThat(body.get("series")).hasSize(1);
    JsonNode points = body.get("series").get(0).get("points");
    // [T0+10s, T0+20s) holds seq 2 and 3 (cpu 0.2 and 0.3)
    JsonNode second = points.get(1);
    assertThat(second.get(0).asLong()).isEqualTo(T0 + 10_000);
    assertThat(second.get(1).asDouble()).isCloseTo(0.25, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(second.get(2).asDouble()).isCloseTo(0.2, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(second.get(3).asDouble()).isCloseTo(0.3, org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void theSourceFollowsTheStepAndWhatRetentionStillHolds() {
    assertThat(ok("?step=5m").get("source").asText()).isEqualTo("1m");
    assertThat(ok("?step=1h&from=" + T0).get("source").asText()).isEqualTo("1h");
    clock.advance(Duration.ofHours(49));
    assertThat(ok("?step=10s&from=" + T0 + "&to=" + (T0 + 3_600_000)).get("source").asText()).isEqualTo("1m");
    clock.advance(Duration.ofDays(31));
    assertThat(ok("?step=10m&from=" + T0 + "&to=" + (T0 + 3_600_000)).get("source").asText()).isEqualTo("1h");
  }

  @Test
  void rolledUpMinutesAnswerOnceRawSamplesArePruned() {
    clock.advance(Duration.ofMinutes(2));
    assertThat(server.rollups().runOnce(clock.instant()).minuteBuckets()).isEqualTo(2);
    clock.advance(Duration.ofHours(49));
    var pruned = server.retention().runOnce(clock.instant());
    assertThat(pruned.reports()).isEqualTo(9); // the host's newest report stays: it is its last report
    assertThat(pruned.rawSamples()).isEqualTo(10 * (1 + 2 + 1));
    assertThat(Fixtures.rows(dir, "reports")).isEqualTo(1);
    assertThat(Fixtures.rows(dir, "host_samples")).isZero();
    JsonNode body = ok("?from=" + T0 + "&to=" + (T0 + 120_000) + "&step=1m&metric=endpoint_requests,gpu_power_watts");
    assertThat(body.get("source").asText()).isEqualTo("1m");
    assertThat(body.get("from").asLong()).isEqualTo(T0 - 20_000); // the minute that holds T0
    assertThat(body.get("segments").get(0).get("source").asText()).isEqualTo("1m");
    JsonNode requests = series(body, "endpoint_requests", null, null).get("points");
    assertThat(requests.get(0).get(1).asLong() + (requests.size() > 1 ? requests.get(1).get(1).asLong() : 0))
        .isEqualTo(1200);
    assertThat(body.get("series")).hasSize(3); // requests for one endpoint, power for two GPUs
    // A replay of a pruned report is still a duplicate: nothing is stored again.
    HttpResponse<String> replay = api.postReport(agent, report("h1", 3, 0.3, 43));
    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(tree(replay.body()).get("duplicate").asBoolean()).isTrue();
    assertThat(Fixtures.rows(dir, "reports")).isEqualTo(1); // still only the host's newest
    assertThat(Fixtures.rows(dir, "host_samples")).isZero();
  }

  @Test
  void theServersP50P95AndP99LatencyAreStoredAsSeriesRawAndRolledUp() {
    String metrics = "&metric=endpoint_latency_p50_ms,endpoint_latency_p95_ms,endpoint_latency_p99_ms";
    JsonNode raw = ok("?from=" + T0 + "&to=" + (T0 + 60_000) + "&step=10s" + metrics);
    assertThat(raw.get("source").asText()).isEqualTo("raw");
    // Every report's scrape says p50 80, p95 210, p99 400 ms (Fixtures.report).
    assertThat(series(raw, "endpoint_latency_p50_ms", "endpoint", "http://127.0.0.1:8000").get("points").get(0).get(1).asDouble())
        .isEqualTo(80.0);
    assertThat(series(raw, "endpoint_latency_p95_ms", "endpoint", "http://127.0.0.1:8000").get("points").get(0).get(1).asDouble())
        .isEqualTo(210.0);
    assertThat(series(raw, "endpoint_latency_p99_ms", "endpoint", "http://127.0.0.1:8000").get("points").get(0).get(1).asDouble())
        .isEqualTo(400.0);
    clock.advance(Duration.ofMinutes(2));
    server.rollups().runOnce(clock.instant());
    clock.advance(Duration.ofHours(49));
    server.retention().runOnce(clock.instant());
    JsonNode rolled = ok("?from=" + T0 + "&to=" + (T0 + 60_000) + "&step=1m" + metrics);
    assertThat(rolled.get("source").asText()).isEqualTo("1m");
    JsonNode p99 = series(rolled, "endpoint_latency_p99_ms", "endpoint", "http://127.0.0.1:8000").get("points").get(0);
    assertThat(p99.get(1).asDouble()).isEqualTo(400.0);
    assertThat(p99.get(2).asDouble()).isEqualTo(400.0); // min
    assertThat(p99.get(3).asDouble()).isEqualTo(400.0); // max
    assertThat(series(rolled, "endpoint_latency_p50_ms", "endpoint", "http://127.0.0.1:8000").get("points").get(0).get(1).asDouble())
        .isEqualTo(80.0);
  }

  @Test
  void aSecondRunOfTheJobsChangesNothing() {
    clock.advance(Duration.ofHours(2));
    server.rollups().runOnce(clock.instant());
    long minutes = Fixtures.rows(dir, "gpu_samples_1m");
    long hours = Fixtures.rows(dir, "gpu_samples_1h");
    assertThat(minutes).isEqualTo(4); // two GPUs, two minutes
    assertThat(hours).isEqualTo(2);
    var again = server.rollups().runOnce(clock.instant());
    assertThat(again.minuteBuckets() + again.hourBuckets()).isZero();
    assertThat(server.retention().runOnce(clock.instant()).total()).isZero();
    assertThat(Fixtures.rows(dir, "gpu_samples_1m")).isEqualTo(minutes);
    assertThat(Fixtures.rows(dir, "reports")).isEqualTo(10);
  }

  @Test
  void badQueriesGetA4xxNamingTheProblem() {
    assertError("?from=" + T0 + "&to=" + T0, 400, "before");
    assertError("?step=500", 400, "at least 1s");
    assertError("?step=0", 400, "at least 1s");
    assertError("?step=fast", 400, "step");
    assertError("?from=" + (clock.millis() - 86_400_000L) + "&step=1s", 400, "at most 11000");
    assertError("?metric=host_cpu_util_ratio,nonsense", 400, "nonsense");
    assertError("?from=yesterday", 400, "from");
    HttpResponse<String> unknown = api.get("/api/v1/hosts/nobody/metrics", viewer);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(api.get("/api/v1/hosts/h1/metrics", null).statusCode()).isEqualTo(401);
    assertThat(api.get("/api/v1/hosts/h1/metrics", agent).statusCode()).isEqualTo(403);
  }

  private void assertError(String query, int status, String detail) {
    HttpResponse<String> res = api.get("/api/v1/hosts/h1/metrics" + query, viewer);
    assertThat(res.statusCode()).as(query + " -> " + res.body()).isEqualTo(status);
    assertThat(tree(res.body()).get("detail").asText()).contains(detail);
  }
}

package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.T0;
import static dev.nines.server.Fixtures.report;
import static dev.nines.server.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The pool and availability routes over real HTTP, with a config file and a clock moved by hand. */
class PoolsApiTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  @TempDir Path dir;
  final MovableClock clock = new MovableClock(T0);
  NinesServer server;
  Fixtures.Api api;
  String agent;

  private void start(String yaml) throws Exception {
    Path config = dir.resolve("nines.yaml");
    Files.writeString(config, yaml);
    server =
        NinesServer.start(
            new ServerSettings("127.0.0.1", 0, dir.resolve("nines.db").toString(), config, ADMIN), clock, null);
    api = new Fixtures.Api(server);
    agent = server.createToken("agent", "agents");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void post(dev.nines.protocol.AgentReport r) {
    assertThat(api.postReport(agent, r).statusCode()).isEqualTo(200);
  }

  private JsonNode get(String path) {
    HttpResponse<String> res = api.get(path, ADMIN);
    assertThat(res.statusCode()).as(path + " " + res.body()).isEqualTo(200);
    return tree(res.body());
  }

  private int status(String path) {
    return api.get(path, ADMIN).statusCode();
  }

  private void awaitHealth(String id, String state) {
    await().atMost(WAIT).until(() -> state.equals(get("/api/v1/hosts/" + id).path("health").path("state").asText()));
  }

  /** node-1 healthy at T0, hung from T0 + 5 s; one failed generation probe is enough in this pool. */
  private void nodeOneFailsAtFiveSeconds() {
    post(report("node-1", 1, 0.2, 50));
    post(report("node-2", 1, 0.2, 50));
    awaitHealth("node-1", "HEALTHY");
    awaitHealth("node-2", "HEALTHY");
    clock.advance(Duration.ofSeconds(5));
    post(HealthWiringTest.hung("node-1", 2));
    awaitHealth("node-1", "UNHEALTHY");
  }

  @Test
  void poolsShowMembersStateSloAndBurnRates() throws Exception {
    start("pools:\n  llama:\n    minActive: 2\n    slo: {target: 0.99, period: 7d}\n    rules: {generationFailures: 1}\n"
        + "  spare: {}\n");
    nodeOneFailsAtFiveSeconds();
    clock.setMillis(T0 + 10_000);

    JsonNode list = get("/api/v1/pools");
    assertThat(list).hasSize(2);
    JsonNode llama = list.get(0);
    assertThat(llama.get("name").asText()).isEqualTo("llama");
    assertThat(llama.get("state").asText()).isEqualTo("DOWN"); // 1 of the 2 required
    assertThat(llama.get("memberCount").asInt()).isEqualTo(2);
    assertThat(llama.get("membersUp").asInt()).isEqualTo(1);
    assertThat(llama.get("guard").get("minActive").asInt()).isEqualTo(2);
    assertThat(llama.get("guard").get("required").asInt()).isEqualTo(2);
    assertThat(llama.get("availability").get("1h").asDouble()).isEqualTo(0.5); // 5 s of 10 s
    assertThat(llama.get("slo").get("target").asDouble()).isEqualTo(0.99);
    assertThat(llama.get("slo").get("period").asText()).isEqualTo("7d");
    assertThat(llama.get("slo").get("budgetRemaining").asDouble()).isCloseTo(1 - 0.5 / 0.01, within(1e-9));
    assertThat(llama.has("members")).isTrue();
    assertThat(llama.get("members").isNull()).isTrue();
    JsonNode spare = list.get(1);
    assertThat(spare.get("name").asText()).isEqualTo("spare");
    assertThat(spare.get("state").asText()).isEqualTo("UNKNOWN");
    assertThat(spare.get("availability").get("30d").isNull()).isTrue();
    assertThat(spare.get("guard").get("minActiveFraction").asDouble()).isEqualTo(0.5);

    JsonNode one = get("/api/v1/pools/llama");
    JsonNode members = one.get("members");
    assertThat(members).hasSize(2);
    assertThat(members.get(0).get("id").asText()).isEqualTo("node-1");
    assertThat(members.get(0).get("health").asText()).isEqualTo("UNHEALTHY");
    assertThat(members.get(0).get("routing").asText()).isEqualTo("ACTIVE");
    assertThat(members.get(0).get("serving").asBoolean()).isFalse();
    assertThat(members.get(1).get("serving").asBoolean()).isTrue();
    JsonNode slo = one.get("slo");
    List<String> windows = new ArrayList<>();
    slo.get("burnRates").fieldNames().forEachRemaining(windows::add);
    assertThat(windows).containsExactly("5m", "30m", "1h", "6h", "1d", "3d");
    assertThat(slo.get("burnRates").get("5m").asDouble()).isCloseTo(50.0, within(1e-9)); // 0.5 / 0.01
    assertThat(slo.get("conditions")).hasSize(3);
    JsonNode fast = slo.get("conditions").get(0);
    assertThat(fast.get("name").asText()).isEqualTo("page-14.4x-1h-5m");
    assertThat(fast.get("firing").asBoolean()).isTrue();
    assertThat(slo.get("errorBudget").asDouble()).isCloseTo(0.01, within(1e-12));
    // Requests count at the time they were collected, in [from, to): node-1's first report and
    // node-2's (120 requests, 3 errors each); node-1's second was collected at 10 s, the window's
    // exclusive end.
    assertThat(slo.get("requests").get("total").asLong()).isEqualTo(240);
    assertThat(slo.get("requests").get("good").asLong()).isEqualTo(234);
    assertThat(one.get("degraded").get("counts").asText()).isEqualTo("up");

    assertThat(status("/api/v1/pools/nope")).isEqualTo(404);
    assertThat(api.get("/api/v1/pools", null).statusCode()).isEqualTo(401);
  }

  @Test
  void availabilityOfAHostAndAPoolOverAnyWindow() throws Exception {
    start("pools:\n  llama:\n    minActive: 1\n    rules: {generationFailures: 1}\n");
    nodeOneFailsAtFiveSeconds();
    clock.setMillis(T0 + 60_000);

    JsonNode host = get("/api/v1/availability?host=node-1&from=" + T0 + "&to=" + (T0 + 60_000));
    assertThat(host.get("kind").asText()).isEqualTo("host");
    assertThat(host.get("upMs").asLong()).isEqualTo(5_000);
    assertThat(host.get("downMs").asLong()).isEqualTo(55_000);
    assertThat(host.get("downtimeMs").asLong()).isEqualTo(55_000);
    assertThat(host.get("availability").asDouble()).isCloseTo(5.0 / 60, within(1e-12));
    assertThat(host.get("incidents").asInt()).isEqualTo(1);
    assertThat(host.get("longestOutageMs").asLong()).isEqualTo(55_000);
    assertThat(host.get("mttrMs").isNull()).isTrue(); // still down
    assertThat(host.get("outages").get(0).get("ended").asBoolean()).isFalse();
    assertThat(host.get("requests").get("total").asLong()).isEqualTo(240);

    // the default window is the last 24 h, ending now; time before the first report is excluded
    JsonNode byDefault = get("/api/v1/availability?host=node-1");
    assertThat(byDefault.get("to").asLong()).isEqualTo(T0 + 60_000);
    assertThat(byDefault.get("from").asLong()).isEqualTo(T0 + 60_000 - 86_400_000L);
    assertThat(byDefault.get("countedMs").asLong()).isEqualTo(60_000);

    // a window reaching into the future ends now
    JsonNode pool =
        get("/api/v1/availability?pool=llama&from=" + java.time.Instant.ofEpochMilli(T0) + "&to=" + (T0 + 3_600_000));
    assertThat(pool.get("to").asLong()).isEqualTo(T0 + 60_000);
    assertThat(pool.get("availability").asDouble()).isEqualTo(1.0); // node-2 alone meets minActive 1
    assertThat(pool.get("incidents").asInt()).isZero();
    assertThat(pool.get("mtbfMs").isNull()).isTrue();

    // a host that never reported in the window: no figure, not a silent 0 or 1
    JsonNode before = get("/api/v1/availability?host=node-1&from=" + (T0 - 60_000) + "&to=" + T0);
    assertThat(before.get("availability").isNull()).isTrue();
    assertThat(before.get("excludedMs").asLong()).isEqualTo(60_000);
  }

  @Test
  void badAvailabilityQueriesAre4xx() throws Exception {
    start("");
    post(report("node-1", 1, 0.2, 50));
    awaitHealth("node-1", "HEALTHY");
    clock.setMillis(T0 + 60_000);
    assertThat(status("/api/v1/availability")).isEqualTo(400);
    assertThat(status("/api/v1/availability?pool=llama&host=node-1")).isEqualTo(400);
    assertThat(status("/api/v1/availability?host=node-1&from=" + T0 + "&to=" + T0)).isEqualTo(400);
    assertThat(status("/api/v1/availability?host=node-1&from=yesterday")).isEqualTo(400);
    assertThat(status("/api/v1/availability?host=node-1&from=" + (T0 + 120_000) + "&to=" + (T0 + 180_000)))
        .isEqualTo(400);
    assertThat(status("/api/v1/availability?host=node-1&from=0&to=" + T0)).isEqualTo(400); // > 400 days
    assertThat(status("/api/v1/availability?host=ghost")).isEqualTo(404);
    assertThat(status("/api/v1/availability?pool=ghost")).isEqualTo(404);
    HttpResponse<String> res = api.get("/api/v1/availability?pool=ghost", ADMIN);
    assertThat(tree(res.body()).get("error").asText()).isEqualTo("unknown pool");
    assertThat(status("/api/v1/availability?pool=llama")).isEqualTo(200);
  }

  @Test
  void aBadConfigStopsTheServerCommandWithExitCode2AndThePath() throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, "pools:\n  chat:\n    slo: {target: 1.5}\n");
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new ServerCommand());
    cmd.setErr(new PrintWriter(err));
    int code =
        cmd.execute(
            "--port", "0", "--db", dir.resolve("n.db").toString(), "--config", config.toString(),
            "--admin-token", "long-enough-token");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("pools.chat.slo.target must be in (0, 1)");
    assertThat(Files.exists(dir.resolve("n.db"))).isFalse(); // refused before anything was opened
  }

  @Test
  void anotherPoolsRuleOverrideDoesNotApply() throws Exception {
    start("pools:\n  other:\n    rules: {generationFailures: 1}\n");
    post(report("node-1", 1, 0.2, 50));
    awaitHealth("node-1", "HEALTHY");
    for (int seq = 2; seq <= 4; seq++) {
      clock.advance(Duration.ofSeconds(5));
      post(HealthWiringTest.hung("node-1", seq));
    }
    awaitHealth("node-1", "UNHEALTHY");
    // llama keeps the default of 3 failures: UNHEALTHY from the third hung report, not the first
    assertThat(get("/api/v1/hosts/node-1").get("health").get("since").asLong()).isEqualTo(T0 + 15_000);
  }
}

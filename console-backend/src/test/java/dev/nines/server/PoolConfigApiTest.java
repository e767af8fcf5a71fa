package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.T0;
import static dev.nines.server.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nines.protocol.AgentReport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admins edit a pool's settings over the API (same keys as the config file): validated as a whole,
 * stored, audited, in force at once (guard, membership) and after a restart; reverted to the file.
 */
class PoolConfigApiTest {
  @TempDir Path dir;
  final MovableClock clock = new MovableClock(T0);
  NinesServer server;
  Fixtures.Api api;
  String agent;
  String operator;
  long seq;

  private void start() throws Exception {
    Path config = dir.resolve("nines.yaml");
    Files.writeString(config, "pools:\n  llama:\n    minActive: 1\n  embed:\n    members: [e-1]\n");
    server =
        NinesServer.start(
            new ServerSettings("127.0.0.1", 0, dir.resolve("nines.db").toString(), config, ADMIN), clock, null);
    api = new Fixtures.Api(server);
    agent = server.createToken("agent", "agents-" + clock.millis());
    operator = server.createToken("operator", "ops-" + clock.millis());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private HttpResponse<String> put(String pool, String token, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(api.base + "/api/v1/pools/" + pool + "/config"))
            .timeout(Duration.ofSeconds(30))
            .PUT(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return api.send(b.build());
  }

  private HttpResponse<String> delete(String pool, String token) {
    return api.send(
        HttpRequest.newBuilder(URI.create(api.base + "/api/v1/pools/" + pool + "/config"))
            .header("Authorization", "Bearer " + token)
            .DELETE()
            .build());
  }

  private JsonNode config(String pool) {
    HttpResponse<String> res = api.get("/api/v1/pools/" + pool + "/config", operator);
    assertThat(res.statusCode()).isEqualTo(200);
    return tree(res.body());
  }

  private void report(String host) {
    AgentReport r = Fixtures.report(host, ++seq, 0.2, 50);
    assertThat(api.postReport(agent, r).statusCode()).isEqualTo(200);
  }

  @Test
  void anAdminReplacesAPoolsSettingsWhichTakeEffectAtOnceAndSurviveARestart() throws Exception {
    start();
    for (String h : List.of("n1", "n2", "n3")) {
      report(h);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> tree(api.get("/api/v1/hosts", ADMIN).body()).size() == 3);
    assertThat(config("llama").path("source").asText()).isEqualTo("file");
    assertThat(config("llama").path("settings").path("minActive").asInt()).isEqualTo(1);
    assertThat(config("other").path("source").asText()).isEqualTo("defaults");

    HttpResponse<String> res = put("llama", ADMIN, "{\"minActive\": 3, \"autoDrain\": false, \"hysteresis\": \"5s\"}");
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    JsonNode view = tree(res.body());
    assertThat(view.path("source").asText()).isEqualTo("api");
    assertThat(view.path("settings").path("minActive").asInt()).isEqualTo(3);
    assertThat(view.path("settings").path("autoDrain").asBoolean()).isFalse();
    assertThat(view.path("settings").path("hysteresis").asText()).isEqualTo("5s");

    // In force at once: the guard now refuses a drain it allowed before.
    HttpResponse<String> dry = api.post("/api/v1/hosts/n1/drain", operator, "{\"reason\": \"r\", \"dryRun\": true}");
    assertThat(tree(dry.body()).path("guard").path("required").asInt()).isEqualTo(3);
    assertThat(tree(dry.body()).path("guard").path("allowed").asBoolean()).isFalse();
    assertThat(tree(api.get("/api/v1/pools/llama", ADMIN).body()).path("guard").path("minActive").asInt()).isEqualTo(3);
    assertThat(tree(api.get("/api/v1/audit", ADMIN).body()).toString()).contains("pool.config.replace");

    // Membership: a host claimed by id moves to that pool with its next report.
    assertThat(put("embed", ADMIN, "members: [e-1, n3]\n").statusCode()).isEqualTo(200);
    report("n3");
    await().atMost(Duration.ofSeconds(10))
        .until(() -> tree(api.get("/api/v1/hosts/n3", ADMIN).body()).path("pool").asText().equals("embed"));

    server.close();
    start();
    assertThat(config("llama").path("source").asText()).isEqualTo("api");
    assertThat(config("llama").path("settings").path("minActive").asInt()).isEqualTo(3);

    assertThat(delete("llama", ADMIN).statusCode()).isEqualTo(200);
    assertThat(config("llama").path("source").asText()).isEqualTo("file");
    assertThat(config("llama").path("settings").path("minActive").asInt()).isEqualTo(1);
    assertThat(delete("llama", ADMIN).statusCode()).isEqualTo(404);
    server.close();
    start();
    assertThat(config("llama").path("source").asText()).isEqualTo("file");
  }

  @Test
  void invalidSettingsGetA400NamingTheKeyAndChangeNothing() throws Exception {
    start();
    record Case(String pool, String token, String body, int status, String says) {}
    List<Case> cases =
        List.of(
            new Case("llama", operator, "{\"minActive\": 2}", 403, "forbidden"),
            new Case("llama", null, "{\"minActive\": 2}", 401, ""),
            new Case("llama", ADMIN, "", 400, "expected the pool's settings"),
            new Case("llama", ADMIN, "{\"minActiv\": 2}", 400, "pools.llama.minActiv is not a known key"),
            new Case("llama", ADMIN, "{\"minActive\": \"two\"}", 400, "pools.llama.minActive must be a whole number"),
            new Case("llama", ADMIN, "{\"minActive\": 0}", 400, "pools.llama.minActive must be in 1..100000"),
            new Case("llama", ADMIN, "{\"cooldown\": \"soon\"}", 400, "pools.llama.cooldown"),
            new Case("llama", ADMIN, "{\"sides\": {\"blue\": [\"a\"]}}", 400, "sides must be primary and standby"),
            new Case("llama", ADMIN, "{\"members\": [\"e-1\"]}", 400, "host e-1 is already a member of pool embed"),
            new Case("llama", ADMIN, "[1, 2]", 400, "pools.llama must be a mapping"),
            new Case("llama", ADMIN, "{\"minActive\": 2", 400, "not valid YAML or JSON"),
            new Case("llama", ADMIN, "{\"webhook\": {\"url\": \"http://x\", \"secret\": \"short\"}}", 400, "secret"),
            new Case("llama", ADMIN, "x".repeat(70_000), 413, "at most"));
    for (Case c : cases) {
      HttpResponse<String> res = put(c.pool(), c.token(), c.body());
      assertThat(res.statusCode()).as(c.body() + " -> " + res.body()).isEqualTo(c.status());
      assertThat(res.body()).as(c.body()).contains(c.says());
    }
    assertThat(config("llama").path("source").asText()).isEqualTo("file");
    assertThat(config("llama").path("settings").path("minActive").asInt()).isEqualTo(1);
    assertThat(Fixtures.rows(dir, "pool_overrides")).isZero();
    assertThat(tree(api.get("/api/v1/audit", ADMIN).body()).toString()).doesNotContain("pool.config");
  }
}

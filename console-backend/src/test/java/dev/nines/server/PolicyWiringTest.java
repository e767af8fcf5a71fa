package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.T0;
import static dev.nines.server.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nines.protocol.AgentReport;
import dev.nines.protocol.GpuMetrics;
import dev.nines.protocol.GpuSection;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The automatic policy wired into a real server (HTTP, SQLite, the routing tick called by hand with
 * a moved clock): a host that stays UNHEALTHY is drained after the hysteresis and undrained after
 * the recovery time; a second drain inside the cooldown and one below the guard are refused and
 * visible; a restarted backend drains nothing in its startup grace; a fatal XID quarantines a host
 * until an operator releases it; the policy's memory survives a restart.
 */
class PolicyWiringTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String CONFIG =
      """
      pools:
        llama:
          minActive: 2
          hysteresis: 10s
          cooldown: 60s
          recovery: 30s
          startupGrace: 20s
          rules: {generationFailures: 1, failAfter: 1, recoverAfter: 1}
      """;

  @TempDir Path dir;
  final MovableClock clock = new MovableClock(T0);
  final Map<String, Long> seqs = new HashMap<>();
  NinesServer server;
  Fixtures.Api api;
  String agent;

  private void start() throws Exception {
    Path config = dir.resolve("nines.yaml");
    Files.writeString(config, CONFIG);
    server =
        NinesServer.start(
            new ServerSettings("127.0.0.1", 0, dir.resolve("nines.db").toString(), config, ADMIN), clock, null);
    api = new Fixtures.Api(server);
    agent = server.createToken("agent", "agents-" + seqs.size() + "-" + clock.millis());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private AgentReport next(String host) {
    long seq = seqs.merge(host, 1L, Long::sum);
    AgentReport r = Fixtures.report(host, seq, 0.2, 50);
    return new AgentReport(
        r.version(), host, seq, clock.millis(), r.intervalMs(), r.labels(), r.agentVersion(), r.host(), r.gpu(),
        r.endpoints());
  }

  private void post(AgentReport r) {
    HttpResponse<String> res = api.postReport(agent, r);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
  }

  private void healthy(String host) {
    post(next(host));
  }

  private void hung(String host) {
    AgentReport r = next(host);
    post(HealthWiringTest.hung(host, r.seq()));
  }

  private void xid(String host, long code) {
    AgentReport r = next(host);
    GpuMetrics g = r.gpu().gpus().get(0);
    GpuMetrics faulty =
        new GpuMetrics(
            g.index(), g.uuid(), g.name(), g.utilGpuRatio(), g.utilMemoryRatio(), g.memoryTotalBytes(),
            g.memoryUsedBytes(), g.temperatureC(), g.powerDrawWatts(), g.powerLimitWatts(), g.eccUncorrectedVolatile(),
            g.throttleReasons(), g.throttleReasonNames(), List.of(new GpuMetrics.XidEvent(code, clock.millis())));
    List<GpuMetrics> gpus = new ArrayList<>(r.gpu().gpus());
    gpus.set(0, faulty);
    GpuSection section = new GpuSection(true, null, r.gpu().source(), r.gpu().driverVersion(), gpus);
    post(
        new AgentReport(
            r.version(), host, r.seq(), r.collectedAtMs(), r.intervalMs(), r.labels(), r.agentVersion(), r.host(),
            section, r.endpoints()));
  }

  private JsonNode host(String id) {
    return tree(api.get("/api/v1/hosts/" + id, ADMIN).body());
  }

  private String routing(String id) {
    return host(id).path("routing").path("state").asText();
  }

  /** Four hosts healthy past the grace, then n3 reports a fatal XID (79) beside the others: judged UNHEALTHY. */
  private void fatalXidOnN3() throws Exception {
    fourHealthyPastTheGrace();
    clock.advance(Duration.ofSeconds(1));
    xid("n3", 79);
    for (String h : List.of("n1", "n2", "n4")) {
      healthy(h);
    }
    awaitHealth("n3", "UNHEALTHY");
  }

  private void awaitHealth(String id, String state) {
    await().atMost(WAIT).until(() -> host(id).path("health").path("state").asText().equals(state));
  }

  /** Every host reports (the faulty ones hung), then the clock moves and the routing tick runs. */
  private void step(Duration d, List<String> hungHosts, String... hosts) {
    clock.advance(d);
    for (String h : hosts) {
      if (hungHosts.contains(h)) {
        hung(h);
      } else {
        healthy(h);
      }
    }
    for (String h : hosts) {
      awaitHealth(h, hungHosts.contains(h) ? "UNHEALTHY" : "HEALTHY");
    }
    server.routing().runOnce(clock.instant());
  }

  private JsonNode poolRouting() {
    return tree(api.get("/api/v1/pools/llama/routing", ADMIN).body());
  }

  private void fourHealthyPastTheGrace() throws Exception {
    start();
    for (String h : List.of("n1", "n2", "n3", "n4")) {
      healthy(h);
      awaitHealth(h, "HEALTHY");
    }
    step(Duration.ofSeconds(21), List.of(), "n1", "n2", "n3", "n4");
  }

  @Test
  void aHostThatStaysUnhealthyIsDrainedAfterTheHysteresisAndUndrainedAfterTheRecoveryTime() throws Exception {
    fourHealthyPastTheGrace();
    List<String> sick = List.of("n1");
    step(Duration.ofSeconds(1), sick, "n1", "n2", "n3", "n4");
    step(Duration.ofSeconds(5), sick, "n1", "n2", "n3", "n4");
    assertThat(routing("n1")).isEqualTo("ACTIVE");
    step(Duration.ofSeconds(5), sick, "n1", "n2", "n3", "n4");
    assertThat(routing("n1")).isEqualTo("DRAINING");
    assertThat(host("n1").path("routing").path("changedBy").asText()).isEqualTo("policy");
    assertThat(poolRouting().path("policyEvents").toString()).contains("policy.decision").contains("auto-drain");

    // Recovered: healthy for less than the recovery time keeps it out; then it comes back.
    step(Duration.ofSeconds(5), List.of(), "n1", "n2", "n3", "n4");
    step(Duration.ofSeconds(20), List.of(), "n1", "n2", "n3", "n4");
    assertThat(routing("n1")).isNotEqualTo("ACTIVE");
    step(Duration.ofSeconds(11), List.of(), "n1", "n2", "n3", "n4");
    assertThat(routing("n1")).isEqualTo("ACTIVE");
    assertThat(poolRouting().path("policyEvents").toString()).contains("auto-undrain");
    JsonNode audit = tree(api.get("/api/v1/audit?limit=1000", ADMIN).body());
    assertThat(audit.toString()).contains("routing.draining").contains("routing.active");
  }

  @Test
  void theCooldownAndTheGuardRefuseFurtherDrainsAndTheRefusalsAreVisible() throws Exception {
    fourHealthyPastTheGrace();
    List<String> sick = List.of("n1", "n2", "n3");
    step(Duration.ofSeconds(1), sick, "n1", "n2", "n3", "n4");
    step(Duration.ofSeconds(11), sick, "n1", "n2", "n3", "n4");
    long drained = List.of("n1", "n2", "n3").stream().filter(h -> !routing(h).equals("ACTIVE")).count();
    assertThat(drained).isEqualTo(1);
    assertThat(poolRouting().path("policyEvents").toString()).contains("policy.refused").contains("cooldown");

    // After the cooldown, the second one; never a third (minActive 2 of 4).
    for (int i = 0; i < 5; i++) {
      step(Duration.ofSeconds(61), sick, "n1", "n2", "n3", "n4");
    }
    drained = List.of("n1", "n2", "n3").stream().filter(h -> !routing(h).equals("ACTIVE")).count();
    assertThat(drained).isEqualTo(2);
    assertThat(routing("n4")).isEqualTo("ACTIVE");
    JsonNode view = poolRouting();
    assertThat(view.path("policyEvents").toString()).contains("\"reason\":\"guard\"");
    assertThat(view.path("nPlusOne").path("ok").asBoolean()).isFalse();
    assertThat(Fixtures.rows(dir, "events")).isGreaterThan(0);
    String metrics = api.get("/metrics", null).body();
    assertThat(metrics).contains("nines_pool_n_plus_one{pool=\"llama\"} 0.0");
    assertThat(metrics).contains("nines_policy_events_total{action=\"drain\",kind=\"policy.refused\",pool=\"llama\"}");
  }

  @Test
  void aRestartedBackendDrainsNothingInItsStartupGraceAndKeepsTheCooldown() throws Exception {
    fourHealthyPastTheGrace();
    List<String> sick = List.of("n1", "n2");
    step(Duration.ofSeconds(1), sick, "n1", "n2", "n3", "n4");
    step(Duration.ofSeconds(11), sick, "n1", "n2", "n3", "n4");
    assertThat(List.of("n1", "n2").stream().filter(h -> routing(h).equals("DRAINING")).count()).isEqualTo(1);

    // The backend is down for 10 minutes; the hosts go on (they cannot report).
    server.close();
    clock.advance(Duration.ofMinutes(10));
    start();
    // Nobody reported yet: silent hosts are not acted on within the startup grace ...
    server.health().runOnce(clock.instant());
    server.routing().runOnce(clock.instant());
    // ... nor after it while most of the pool is silent at once (the backend's own network is the
    // likelier cause): a minute of silence, past staleness and the hysteresis.
    for (int i = 0; i < 12; i++) {
      clock.advance(Duration.ofSeconds(5));
      server.health().runOnce(clock.instant());
      server.routing().runOnce(clock.instant());
    }
    assertThat(host("n3").path("health").path("state").asText()).isIn("UNKNOWN", "UNHEALTHY");
    assertThat(poolRouting().path("policyEvents").toString()).contains("startup-grace").contains("mass-silence");
    assertThat(List.of("n1", "n2", "n3", "n4").stream().filter(h -> routing(h).equals("ACTIVE")).count()).isEqualTo(3);
    // ... and the restart does not reset the cooldown of the drain before it.
    JsonNode audit = tree(api.get("/api/v1/audit?limit=1000", ADMIN).body());
    long policyDrains = 0;
    for (JsonNode item : audit.path("items")) {
      if (item.path("action").asText().equals("routing.draining")) {
        policyDrains++;
      }
    }
    assertThat(policyDrains).isEqualTo(1);
    assertThat(Fixtures.rows(dir, "policy_memory")).isEqualTo(1);
  }

  @Test
  void aFatalXidQuarantinesTheHostUntilAnOperatorReleasesIt() throws Exception {
    fatalXidOnN3();
    // The next report carries no XID any more; the latch still quarantines.
    clock.advance(Duration.ofSeconds(1));
    healthy("n3");
    server.routing().runOnce(clock.instant());
    assertThat(routing("n3")).isEqualTo("MAINTENANCE");
    assertThat(host("n3").path("routing").path("changedBy").asText()).isEqualTo("policy:quarantine");
    assertThat(host("n3").path("routing").path("reason").asText()).containsIgnoringCase("xid");

    for (int i = 0; i < 5; i++) {
      step(Duration.ofMinutes(1), List.of(), "n1", "n2", "n3", "n4");
    }
    assertThat(routing("n3")).isEqualTo("MAINTENANCE");
    String operator = server.createToken("operator", "bob");
    HttpResponse<String> res = api.post("/api/v1/hosts/n3/undrain", operator, "{\"reason\": \"GPU replaced\"}");
    assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    step(Duration.ofSeconds(1), List.of(), "n1", "n2", "n3", "n4");
    assertThat(routing("n3")).isEqualTo("ACTIVE");
  }

  // Found by the replicas drill: the latch lived only in the brain's memory, so a leader killed
  // between the XID report and its next routing tick left a successor (or its own restart) that
  // drained the host as merely UNHEALTHY and put it back in rotation seconds later.
  @Test
  void aFatalXidNotYetActedOnWhenTheBackendStopsStillQuarantinesTheHostAfterTheRestart() throws Exception {
    fatalXidOnN3();
    // The alert engine runs on the hard fault (the routing tick does not run here).
    server.alerts().runOnce(clock.instant());
    assertThat(tree(api.get("/api/v1/alerts", ADMIN).body()).toString()).contains("gpu-fault");
    assertThat(routing("n3")).isEqualTo("ACTIVE");

    server.close();
    clock.advance(Duration.ofSeconds(2));
    start();
    for (String h : List.of("n1", "n2", "n3", "n4")) {
      healthy(h); // n3's reports carry no XID any more
    }
    awaitHealth("n3", "HEALTHY");
    server.routing().runOnce(clock.instant());
    assertThat(routing("n3")).isEqualTo("MAINTENANCE");
    assertThat(host("n3").path("routing").path("changedBy").asText()).isEqualTo("policy:quarantine");

    // Once carried out it is not latched again: an operator's release holds across a restart.
    String operator = server.createToken("operator", "bob");
    HttpResponse<String> res = api.post("/api/v1/hosts/n3/undrain", operator, "{\"reason\": \"GPU replaced\"}");
    assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    server.close();
    clock.advance(Duration.ofSeconds(1));
    start();
    step(Duration.ofSeconds(1), List.of(), "n1", "n2", "n3", "n4");
    assertThat(routing("n3")).isEqualTo("ACTIVE");
  }

  @Test
  void aPoolWhoseActiveSideFallsBelowItsGuardFailsOverToAHealthyStandbyByItself() throws Exception {
    Path config = dir.resolve("sides.yaml");
    Files.writeString(
        config,
        """
        pools:
          chat:
            minActive: 2
            sides: {blue: [b1, b2], green: [g1, g2]}
            hysteresis: 5s
            cooldown: 60s
            startupGrace: 0s
            failoverTimeout: 30s
            rules: {generationFailures: 1, failAfter: 1, recoverAfter: 1}
        """);
    server =
        NinesServer.start(
            new ServerSettings("127.0.0.1", 0, dir.resolve("nines.db").toString(), config, ADMIN), clock, null);
    api = new Fixtures.Api(server);
    agent = server.createToken("agent", "agents");
    List<String> all = List.of("b1", "b2", "g1", "g2");
    for (String h : all) {
      healthy(h);
      awaitHealth(h, "HEALTHY");
    }
    server.routing().runOnce(clock.instant());
    assertThat(routing("g1")).isEqualTo("DRAINED"); // the standby side, at first sight

    // b1 hangs: blue keeps 1 serving host of the 2 its guard requires; green is healthy.
    step(Duration.ofSeconds(1), List.of("b1"), "b1", "b2", "g1", "g2");
    step(Duration.ofSeconds(6), List.of("b1"), "b1", "b2", "g1", "g2");
    assertThat(routing("g1")).isEqualTo("ACTIVE");
    assertThat(routing("g2")).isEqualTo("ACTIVE");
    JsonNode view = tree(api.get("/api/v1/pools/chat/routing", ADMIN).body());
    assertThat(view.path("failover").path("to").asText()).isEqualTo("green");
    assertThat(view.path("failover").path("by").asText()).isEqualTo("policy");

    // Once green has reported twice since it was told, blue is drained and green is the active side.
    step(Duration.ofSeconds(3), List.of("b1"), "b1", "b2", "g1", "g2");
    step(Duration.ofSeconds(1), List.of("b1"), "b1", "b2", "g1", "g2");
    view = tree(api.get("/api/v1/pools/chat/routing", ADMIN).body());
    assertThat(view.path("activeSide").asText()).isEqualTo("green");
    assertThat(routing("b2")).isIn("DRAINING", "DRAINED");
    assertThat(view.path("policyEvents").toString()).contains("auto-failover");
  }
}

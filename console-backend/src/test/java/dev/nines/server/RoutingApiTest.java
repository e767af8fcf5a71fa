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
import dev.nines.protocol.ServerStats;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operator routing actions over real HTTP with a clock moved by hand: graceful drain to DRAINED,
 * the capacity guard (refusal, dry run, force), drain timeout, undrain, maintenance windows,
 * failover between sides (completed and aborted), and bad input that changes nothing.
 */
class RoutingApiTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  @TempDir Path dir;
  final MovableClock clock = new MovableClock(T0);
  final Map<String, Long> seqs = new HashMap<>();
  NinesServer server;
  Fixtures.Api api;
  String agent;
  String operator;
  String viewer;

  private void start(String yaml) throws Exception {
    Path config = null;
    if (yaml != null) {
      config = dir.resolve("nines.yaml");
      Files.writeString(config, yaml);
    }
    server =
        NinesServer.start(
            new ServerSettings("127.0.0.1", 0, dir.resolve("nines.db").toString(), config, ADMIN), clock, null);
    api = new Fixtures.Api(server);
    agent = server.createToken("agent", "agents");
    operator = server.createToken("operator", "alice");
    viewer = server.createToken("viewer", "grafana");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** A report of {@code host} with the model server's running + waiting requests = inFlight. */
  private JsonNode report(String host, double inFlight) {
    long seq = seqs.merge(host, 1L, Long::sum);
    AgentReport r = Fixtures.report(host, seq, 0.2, 50);
    EndpointReport e = r.endpoints().get(0);
    ServerStats s = e.scrape();
    ServerStats busy =
        new ServerStats(
            s.ok(), s.error(), s.format(), s.requests(), s.errors(), s.latencyMeanMs(), s.latencyP50Ms(), s.latencyP95Ms(),
            s.latencyP99Ms(), inFlight, 0.0, s.malformedLines());
    AgentReport out =
        new AgentReport(
            r.version(), host, seq, clock.millis(), r.intervalMs(), r.labels(), r.agentVersion(), r.host(), r.gpu(),
            List.of(new EndpointReport(e.url(), e.kind(), e.health(), e.generation(), busy)));
    HttpResponse<String> res = api.postReport(agent, out);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return tree(res.body());
  }

  private HttpResponse<String> post(String path, String token, String body) {
    return api.post(path, token, body);
  }

  private JsonNode host(String id) {
    HttpResponse<String> res = api.get("/api/v1/hosts/" + id, ADMIN);
    assertThat(res.statusCode()).isEqualTo(200);
    return tree(res.body());
  }

  private String routing(String id) {
    return host(id).path("routing").path("state").asText();
  }

  private void awaitHealth(String id, String state) {
    await().atMost(WAIT).until(() -> host(id).path("health").path("state").asText().equals(state));
  }

  private void tick() {
    server.routing().runOnce(clock.instant());
  }

  private void threeHealthyHosts() throws Exception {
    start(null);
    for (String h : List.of("node-1", "node-2", "node-3")) {
      report(h, 0);
      awaitHealth(h, "HEALTHY");
    }
  }

  @Test
  void aGracefulDrainWaitsForInFlightRequestsThenIsDrainedAndTheAgentIsToldInItsReply() throws Exception {
    threeHealthyHosts();
    HttpResponse<String> res =
        post("/api/v1/hosts/node-1/drain", operator, "{\"reason\": \"kernel upgrade\"}");
    assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    JsonNode plan = tree(res.body());
    assertThat(plan.path("from").asText()).isEqualTo("ACTIVE");
    assertThat(plan.path("to").asText()).isEqualTo("DRAINING");
    assertThat(plan.path("guard").path("allowed").asBoolean()).isTrue();
    assertThat(plan.path("guard").path("activeNow").asInt()).isEqualTo(3);
    assertThat(plan.path("guard").path("activeAfter").asInt()).isEqualTo(2);
    assertThat(plan.path("guard").path("required").asInt()).isEqualTo(2);
    assertThat(plan.path("steps").toString()).contains("wait until in-flight requests reach 0");
    assertThat(routing("node-1")).isEqualTo("DRAINING");
    assertThat(host("node-1").path("routing").path("changedBy").asText()).isEqualTo("operator:alice");

    // The agent learns it from the reply to its next report; its server still has 5 in flight.
    clock.advance(Duration.ofSeconds(3));
    JsonNode reply = report("node-1", 5);
    assertThat(reply.path("desired").asText()).isEqualTo("DRAINING");
    assertThat(reply.path("reason").asText()).isEqualTo("kernel upgrade");
    tick();
    assertThat(routing("node-1")).isEqualTo("DRAINING");

    clock.advance(Duration.ofSeconds(2));
    report("node-1", 0);
    tick();
    assertThat(routing("node-1")).isEqualTo("DRAINED");
    assertThat(host("node-1").path("routing").path("reason").asText()).contains("in-flight requests reached 0");
    // Whoever drained it stays the changer (the policy must never undrain an operator's drain).
    assertThat(host("node-1").path("routing").path("changedBy").asText()).isEqualTo("operator:alice");
    assertThat(report("node-1", 0).path("desired").asText()).isEqualTo("DRAINED");

    JsonNode audit = tree(api.get("/api/v1/audit", ADMIN).body());
    assertThat(audit.path("items").toString()).contains("routing.draining").contains("routing.drained");
    assertThat(Fixtures.rows(dir, "events")).isGreaterThanOrEqualTo(2);
    // Both transitions are on the event stream (replayed from the start with Last-Event-ID: 0).
    List<String> lines = sse("0");
    await().atMost(WAIT).until(() -> lines.stream().filter(l -> l.startsWith("data:") && l.contains("\"host\":\"node-1\"")
        && l.contains("\"changedBy\":\"operator:alice\"")).count() >= 2);
    assertThat(lines).anyMatch(l -> l.replace(" ", "").equals("event:routing"));
    assertThat(lines).anyMatch(l -> l.contains("\"to\":\"DRAINING\"") && l.contains("kernel upgrade"));
    assertThat(lines).anyMatch(l -> l.contains("\"to\":\"DRAINED\""));
  }

  /** The event stream's lines, collected by a background reader until the test ends. */
  private List<String> sse(String lastEventId) throws Exception {
    java.net.http.HttpRequest request =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base + "/api/v1/events"))
            .header("Authorization", "Bearer " + viewer)
            .header("Accept", "text/event-stream")
            .header("Last-Event-ID", lastEventId)
            .GET()
            .build();
    HttpResponse<java.util.stream.Stream<String>> res =
        api.http.send(request, HttpResponse.BodyHandlers.ofLines());
    assertThat(res.statusCode()).isEqualTo(200);
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread t =
        new Thread(
            () -> {
              try {
                res.body().forEach(lines::add);
              } catch (java.io.UncheckedIOException closed) {
                // the server stopped at the end of the test
              }
            },
            "routing-sse-reader");
    t.setDaemon(true);
    t.start();
    return lines;
  }

  // Found by the replicas drill (drills' ReplicasDrillTest): a replica elected while a drain waited
  // for the model server's requests completed it at its first routing tick, on HAProxy's 0 alone,
  // because it had not judged a report of the host yet; a restarted backend did the same.
  @Test
  void aRestartedBackendWithALoadBalancerFigureKeepsWaitingForTheModelServersInFlightRequests() throws Exception {
    try (dev.nines.server.actuate.HaproxyProcess haproxy =
        dev.nines.server.actuate.HaproxyProcess.start(dir, List.of(
            dev.nines.server.actuate.HaproxyProcess.freePort(), dev.nines.server.actuate.HaproxyProcess.freePort(),
            dev.nines.server.actuate.HaproxyProcess.freePort()))) {
      String yaml = "pools:\n  llama:\n    minActive: 1\n    haproxy:\n      runtime: \"" + haproxy.unixAddress()
          + "\"\n      backend: " + dev.nines.server.actuate.HaproxyProcess.BACKEND
          + "\n      servers: {node-1: s1, node-2: s2, node-3: s3}\n";
      start(yaml);
      for (String h : List.of("node-1", "node-2", "node-3")) {
        report(h, 0);
        awaitHealth(h, "HEALTHY");
      }
      HttpResponse<String> res =
          post("/api/v1/hosts/node-2/drain", operator, "{\"reason\": \"swap a DIMM\", \"timeout\": \"10m\"}");
      assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
      // HAProxy sends it nothing (0 in flight there); its model server is still busy.
      for (int i = 0; i < 2; i++) {
        clock.advance(Duration.ofSeconds(3));
        report("node-2", 5);
      }
      tick();
      assertThat(routing("node-2")).isEqualTo("DRAINING");

      server.close();
      clock.advance(Duration.ofSeconds(5));
      server =
          NinesServer.start(
              new ServerSettings("127.0.0.1", 0, dir.resolve("nines.db").toString(), dir.resolve("nines.yaml"), ADMIN),
              clock, null);
      api = new Fixtures.Api(server);
      tick(); // no report of node-2 judged since the restart: nothing is known of its model server
      assertThat(routing("node-2")).as("%s", host("node-2").path("routing")).isEqualTo("DRAINING");
      for (int i = 0; i < 2; i++) {
        clock.advance(Duration.ofSeconds(3));
        report("node-2", 5);
        tick();
        assertThat(routing("node-2")).isEqualTo("DRAINING");
      }
      clock.advance(Duration.ofSeconds(3));
      report("node-2", 0);
      tick();
      assertThat(routing("node-2")).isEqualTo("DRAINED");
      assertThat(host("node-2").path("routing").path("reason").asText())
          .contains("in-flight requests reached 0").contains("model server 0").contains("load balancer 0");
    }
  }

  @Test
  void aDrainThatWouldBreakTheGuardIsRefusedUnlessForcedAndTheDryRunShowsIt() throws Exception {
    threeHealthyHosts();
    assertThat(post("/api/v1/hosts/node-1/drain", operator, "{\"reason\": \"r1\"}").statusCode()).isEqualTo(202);

    HttpResponse<String> dry =
        post("/api/v1/hosts/node-2/drain", operator, "{\"reason\": \"r2\", \"dryRun\": true}");
    assertThat(dry.statusCode()).isEqualTo(200);
    assertThat(tree(dry.body()).path("guard").path("allowed").asBoolean()).isFalse();
    assertThat(tree(dry.body()).path("changed").asBoolean()).isFalse();

    HttpResponse<String> refused = post("/api/v1/hosts/node-2/drain", operator, "{\"reason\": \"r2\"}");
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(tree(refused.body()).path("detail").path("guard").path("activeAfter").asInt()).isEqualTo(1);
    assertThat(tree(refused.body()).path("detail").path("guard").path("reason").asText()).contains("below the guard");
    assertThat(routing("node-2")).isEqualTo("ACTIVE");

    HttpResponse<String> forced =
        post("/api/v1/hosts/node-2/drain", operator, "{\"reason\": \"r2\", \"force\": true}");
    assertThat(forced.statusCode()).isEqualTo(202);
    assertThat(tree(forced.body()).path("forced").asBoolean()).isTrue();
    assertThat(routing("node-2")).isEqualTo("DRAINING");
    JsonNode audit = tree(api.get("/api/v1/audit", ADMIN).body());
    assertThat(audit.path("items").toString()).contains("\"forced\":true");
  }

  @Test
  void aDrainThatNeverEmptiesIsDrainedAtItsTimeoutAndUndrainBringsItBack() throws Exception {
    threeHealthyHosts();
    assertThat(post("/api/v1/hosts/node-3/drain", operator, "{\"reason\": \"r\", \"timeout\": \"5s\"}").statusCode())
        .isEqualTo(202);
    clock.advance(Duration.ofSeconds(3));
    report("node-3", 7);
    tick();
    assertThat(routing("node-3")).isEqualTo("DRAINING");
    clock.advance(Duration.ofSeconds(2));
    tick();
    assertThat(routing("node-3")).isEqualTo("DRAINED");
    assertThat(host("node-3").path("routing").path("reason").asText()).contains("drain timeout of 5 s").contains("7 in flight");

    HttpResponse<String> back = post("/api/v1/hosts/node-3/undrain", operator, "");
    assertThat(back.statusCode()).as(back.body()).isEqualTo(202);
    assertThat(routing("node-3")).isEqualTo("ACTIVE");
    assertThat(report("node-3", 0).path("desired").asText()).isEqualTo("ACTIVE");
    HttpResponse<String> again = post("/api/v1/hosts/node-3/undrain", operator, "{}");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(tree(again.body()).path("changed").asBoolean()).isFalse();

    // The whole story, with who and why, is readable by a viewer (the console's host history).
    clock.advance(Duration.ofSeconds(1));
    HttpResponse<String> history = api.get("/api/v1/hosts/node-3/routing", viewer);
    assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
    List<String> states = new java.util.ArrayList<>();
    for (JsonNode i : tree(history.body()).path("intervals")) {
      states.add(i.path("state").asText());
    }
    assertThat(states).containsExactly("ACTIVE", "DRAINING", "DRAINED", "ACTIVE");
    JsonNode draining = tree(history.body()).path("intervals").get(1);
    assertThat(draining.path("reason").asText()).isEqualTo("r");
    assertThat(draining.path("changedBy").asText()).isNotEqualTo("system");
    assertThat(draining.path("to").asLong()).isEqualTo(tree(history.body()).path("intervals").get(2).path("from").asLong());
    assertThat(tree(history.body()).path("intervals").get(3).path("to").isNull()).isTrue();
    assertThat(api.get("/api/v1/hosts/nope/routing", viewer).statusCode()).isEqualTo(404);
    assertThat(api.get("/api/v1/hosts/node-3/routing?from=soon", viewer).statusCode()).isEqualTo(400);
  }

  @Test
  void maintenanceWithAnEndTimeEndsByItself() throws Exception {
    threeHealthyHosts();
    long until = T0 + 60_000;
    HttpResponse<String> res =
        post("/api/v1/hosts/node-2/maintenance", operator, "{\"reason\": \"swap GPU 3\", \"until\": " + until + "}");
    assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    assertThat(routing("node-2")).isEqualTo("MAINTENANCE");
    assertThat(report("node-2", 0).path("desired").asText()).isEqualTo("MAINTENANCE");
    clock.advance(Duration.ofSeconds(59));
    tick();
    assertThat(routing("node-2")).isEqualTo("MAINTENANCE");
    clock.advance(Duration.ofSeconds(1));
    tick();
    assertThat(routing("node-2")).isEqualTo("ACTIVE");
    assertThat(host("node-2").path("routing").path("reason").asText()).isEqualTo("maintenance window ended");
  }

  @Test
  void badRequestsGetAClear4xxAndChangeNothing() throws Exception {
    threeHealthyHosts();
    record Case(String path, String token, String body, int status) {}
    List<Case> cases =
        List.of(
            new Case("/api/v1/hosts/nope/drain", operator, "{\"reason\": \"r\"}", 404),
            new Case("/api/v1/hosts/node-1/drain", operator, "{}", 400),
            new Case("/api/v1/hosts/node-1/drain", operator, "", 400),
            new Case("/api/v1/hosts/node-1/drain", operator, "{\"reason\": 5}", 400),
            new Case("/api/v1/hosts/node-1/drain", operator, "{\"reason\": \"r\", \"timeout\": \"soon\"}", 400),
            new Case("/api/v1/hosts/node-1/drain", operator, "{\"reason\": \"r\", \"timeout\": -5}", 400),
            new Case("/api/v1/hosts/node-1/drain", operator, "{\"reason\": \"r\", \"force\": \"yes\"}", 400),
            new Case("/api/v1/hosts/node-1/drain", operator, "{\"reason\": \"r\", \"colour\": 1}", 400),
            new Case("/api/v1/hosts/node-1/drain", operator, "[1]", 400),
            new Case("/api/v1/hosts/node-1/drain", operator, "{\"reason\": \"r\"", 400),
            new Case("/api/v1/hosts/node-1/drain?dryRun=maybe", operator, "{\"reason\": \"r\"}", 400),
            new Case("/api/v1/hosts/node-1/maintenance", operator, "{\"reason\": \"r\", \"until\": 5}", 400),
            new Case("/api/v1/hosts/node-1/maintenance", operator, "{\"reason\": \"r\", \"until\": \"tomorrow\"}", 400),
            new Case("/api/v1/hosts/node-1/drain", viewer, "{\"reason\": \"r\"}", 403),
            new Case("/api/v1/hosts/node-1/drain", agent, "{\"reason\": \"r\"}", 403),
            new Case("/api/v1/hosts/node-1/drain", null, "{\"reason\": \"r\"}", 401),
            new Case("/api/v1/hosts/node-1/drain", "wrong", "{\"reason\": \"r\"}", 401),
            new Case("/api/v1/pools/llama/failover", operator, "{}", 409),
            new Case("/api/v1/pools/none/failover", operator, "{}", 404),
            new Case("/api/v1/pools/llama/failover", viewer, "{}", 403));
    long auditBefore = Fixtures.rows(dir, "audit");
    for (Case c : cases) {
      HttpResponse<String> res = post(c.path(), c.token(), c.body());
      assertThat(res.statusCode()).as(c + " -> " + res.body()).isEqualTo(c.status());
      assertThat(tree(res.body()).path("error").asText()).as(c.toString()).isNotBlank();
    }
    for (String h : List.of("node-1", "node-2", "node-3")) {
      assertThat(routing(h)).isEqualTo("ACTIVE");
    }
    assertThat(Fixtures.rows(dir, "audit")).isEqualTo(auditBefore);
    assertThat(api.get("/api/v1/pools/nope/routing", ADMIN).statusCode()).isEqualTo(404);
  }

  private static final String SIDES =
      """
      pools:
        chat:
          minActive: 1
          sides:
            blue: [blue-1, blue-2]
            green: [green-1, green-2]
          activeSide: blue
          failoverTimeout: 30s
          autoDrain: false
          autoFailover: false
      """;

  @Test
  void failoverBringsTheStandbySideUpWaitsUntilItIsHealthyThenDrainsTheActiveSide() throws Exception {
    start(SIDES);
    for (String h : List.of("blue-1", "blue-2", "green-1", "green-2")) {
      report(h, 0);
      awaitHealth(h, "HEALTHY");
    }
    tick();
    assertThat(routing("green-1")).isEqualTo("DRAINED");
    assertThat(routing("green-2")).isEqualTo("DRAINED");
    assertThat(routing("blue-1")).isEqualTo("ACTIVE");
    assertThat(host("green-1").path("pool").asText()).isEqualTo("chat"); // by the config's sides, not a label

    HttpResponse<String> dry = post("/api/v1/pools/chat/failover", operator, "{\"dryRun\": true}");
    assertThat(dry.statusCode()).isEqualTo(200);
    assertThat(tree(dry.body()).path("to").asText()).isEqualTo("green");
    assertThat(routing("green-1")).isEqualTo("DRAINED");

    HttpResponse<String> res = post("/api/v1/pools/chat/failover", operator, "");
    assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    assertThat(routing("green-1")).isEqualTo("ACTIVE");
    assertThat(routing("blue-1")).isEqualTo("ACTIVE");
    assertThat(post("/api/v1/pools/chat/failover", operator, "").statusCode()).isEqualTo(409); // under way
    tick();
    // The green hosts have not reported since they were told: the blue side stays up.
    assertThat(routing("blue-1")).isEqualTo("ACTIVE");
    JsonNode view = tree(api.get("/api/v1/pools/chat/routing", viewer).body());
    assertThat(view.path("failover").path("to").asText()).isEqualTo("green");

    clock.advance(Duration.ofSeconds(3));
    report("green-1", 0);
    report("green-2", 0);
    tick();
    // The reply to that report told the agents; the next shows them back in rotation.
    assertThat(routing("blue-1")).isEqualTo("ACTIVE");
    clock.advance(Duration.ofSeconds(1));
    report("green-1", 0);
    report("green-2", 0);
    tick();
    assertThat(routing("blue-1")).isEqualTo("DRAINING");
    assertThat(routing("blue-2")).isEqualTo("DRAINING");
    view = tree(api.get("/api/v1/pools/chat/routing", viewer).body());
    assertThat(view.path("activeSide").asText()).isEqualTo("green");
    assertThat(view.path("failover").isNull()).isTrue();

    // A restart keeps the active side.
    server.close();
    start(SIDES);
    assertThat(tree(api.get("/api/v1/pools/chat/routing", ADMIN).body()).path("activeSide").asText()).isEqualTo("green");
  }

  @Test
  void aFailoverToAnUnhealthyStandbyIsAbortedAndTheActiveSideKept() throws Exception {
    start(SIDES);
    for (String h : List.of("blue-1", "blue-2", "green-1", "green-2")) {
      report(h, 0);
      awaitHealth(h, "HEALTHY");
    }
    tick();
    // green goes silent: UNKNOWN, then UNHEALTHY.
    clock.advance(Duration.ofMinutes(5));
    report("blue-1", 0);
    report("blue-2", 0);
    server.health().runOnce(clock.instant());
    awaitHealth("green-1", "UNHEALTHY");
    assertThat(post("/api/v1/pools/chat/failover", operator, "{}").statusCode()).isEqualTo(202);
    clock.advance(Duration.ofSeconds(29));
    tick();
    assertThat(routing("green-1")).isEqualTo("ACTIVE");
    clock.advance(Duration.ofSeconds(1));
    tick();
    assertThat(routing("green-1")).isEqualTo("DRAINED");
    assertThat(routing("blue-1")).isEqualTo("ACTIVE");
    JsonNode view = tree(api.get("/api/v1/pools/chat/routing", viewer).body());
    assertThat(view.path("activeSide").asText()).isEqualTo("blue");
    assertThat(view.path("lastFailover").asText()).contains("aborted").contains("green-1 (UNHEALTHY");
  }

  @Test
  void aPoolsWebhookReceivesEverySignedTransitionAndIsRetriedUntilItAnswers() throws Exception {
    java.util.List<String[]> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger answer = new java.util.concurrent.atomic.AtomicInteger(503);
    com.sun.net.httpserver.HttpServer hook =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext(
        "/nines",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
          received.add(
              new String[] {
                body, ex.getRequestHeaders().getFirst("X-Nines-Timestamp"), ex.getRequestHeaders().getFirst("X-Nines-Signature")
              });
          ex.sendResponseHeaders(answer.get(), -1);
          ex.close();
        });
    hook.start();
    try {
      String secret = "0123456789abcdef-secret";
      start(
          "pools:\n  llama:\n    webhook: {url: \"http://127.0.0.1:" + hook.getAddress().getPort() + "/nines\", secret: " + secret + "}\n");
      for (String h : List.of("node-1", "node-2", "node-3")) {
        report(h, 0);
        awaitHealth(h, "HEALTHY");
      }
      assertThat(post("/api/v1/hosts/node-1/drain", operator, "{\"reason\": \"disk swap\"}").statusCode()).isEqualTo(202);
      // The receiver answers 503 at first: the reconciler retries with backoff until it answers 2xx.
      await().atMost(WAIT).until(() -> received.stream().anyMatch(r -> r[0].contains("DRAINING")));
      int before = received.size();
      answer.set(200);
      clock.advance(Duration.ofSeconds(2));
      tick();
      await().atMost(WAIT).until(() -> received.size() > before);
      String[] last = received.get(received.size() - 1);
      JsonNode body = tree(last[0]);
      assertThat(body.path("host").asText()).isEqualTo("node-1");
      assertThat(body.path("pool").asText()).isEqualTo("llama");
      assertThat(body.path("state").asText()).isEqualTo("DRAINING");
      assertThat(body.path("reason").asText()).isEqualTo("disk swap");
      assertThat(dev.nines.server.actuate.WebhookActuator.verify(secret, last[1], last[0], last[2])).isTrue();
      assertThat(dev.nines.server.actuate.WebhookActuator.verify("another-secret-xxxxx", last[1], last[0], last[2])).isFalse();
      JsonNode view = tree(api.get("/api/v1/pools/llama/routing", viewer).body());
      assertThat(view.path("actuators").toString()).contains("webhook:llama").contains("\"inSync\":true");
      // Delivered once: later ticks do not send it again.
      int delivered = received.size();
      clock.advance(Duration.ofSeconds(60));
      tick();
      assertThat(received).hasSize(delivered);
    } finally {
      hook.stop(0);
    }
  }
}

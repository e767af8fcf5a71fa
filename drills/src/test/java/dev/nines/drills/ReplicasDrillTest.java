package dev.nines.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nines.agent.local.AgentCheckResponder;
import dev.nines.server.store.PostgresServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's drill: three real server processes on one real PostgreSQL, three simulated model servers
 * behind a real HAProxy driven by the leader's actuator, a real agent per server configured with all
 * three replicas (each in another order), one webhook receiver. An operator drains host-2 through a
 * follower; while the drain waits for host-2's in-flight requests, a fatal XID on host-1 fires an
 * alert and the leader is killed with SIGKILL. Another replica must lead within 10 s, the drain
 * must complete once, every alert must reach the receiver once (after its de-duplication by event
 * id), and every report any replica acknowledged must be in the database.
 */
class ReplicasDrillTest {
  private static final String TOKEN = "replicas-drill-admin-token-0123456789";
  private static final String SECRET = "replicas-drill-webhook-secret";
  private static final String POOL = NinesRig.POOL;
  private static final int HOSTS = 3;
  /** host-2 is the simulator's server 1 and HAProxy's {@code s2}. */
  private static final int HOST2_INDEX = 1;

  /** Pool knobs as the other drills; the operator's drain below asks for a longer timeout. */
  private static final String POOL_KEYS = """
          minActive: 1
          hysteresis: 1s
          cooldown: 5s
          recovery: 3s
          drainTimeout: 30s
      """;

  /**
   * How long the requests held on host-2's model server take: the drain waits for them (the model
   * server's in-flight figure), so it is still DRAINING when the leader is killed and completes on
   * the next leader.
   */
  private static final long HELD_MS = 15_000;

  private static final int HELD_REQUESTS = 3;
  private static final Duration NEW_LEADER_WITHIN = Duration.ofSeconds(10);
  private static final Pattern SAMPLE = Pattern.compile("^(\\w+)(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);

  @TempDir Path dir;

  @BeforeEach
  void haproxy() {
    HaproxyInstalled.require();
  }

  @Test
  @Timeout(240)
  void leaderKilledDuringADrainAndAnAlertIsReplacedWithinTenSecondsAndNothingIsDoneTwiceOrLost() throws Exception {
    PostgresServer.Database database = PostgresServer.get().newDatabase();
    Path socket = dir.resolve("admin.sock");
    Path cfg = dir.resolve("nines.yaml");
    Files.writeString(cfg, NinesRig.config(HOSTS, socket, POOL_KEYS));
    long drillStartMs = System.currentTimeMillis();
    List<BackendProcess> replicas = startReplicas(database.urlWithCredentials(), cfg);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try (SimServers sims = SimServers.start(HOSTS);
        WebhookReceiver hook = WebhookReceiver.start(SECRET)) {
      BackendProcess leader = awaitOneLeader(replicas, Duration.ofSeconds(30));
      List<BackendProcess> followers = new ArrayList<>(replicas);
      followers.remove(leader);
      BackendProcess follower = followers.get(0);
      long firstToken = leader.get("/api/v1/cluster").path("token").asLong();

      // The receiver and an operator's token, both made through a follower (forwarded to the leader).
      BackendProcess.Answer created = follower.post("/api/v1/webhooks",
          "{\"id\": \"oncall\", \"kind\": \"webhook\", \"url\": \"" + hook.url() + "\", \"secret\": \"" + SECRET + "\"}");
      assertThat(created.status()).as("POST /webhooks on a follower: %s", created.body()).isEqualTo(201);
      BackendProcess.Answer op = follower.post("/api/v1/tokens", "{\"role\": \"operator\", \"name\": \"alice\"}");
      assertThat(op.status()).as("POST /tokens on a follower: %s", op.body()).isEqualTo(201);
      String operator = op.body().path("token").asText();

      List<String> urls = replicas.stream().map(BackendProcess::url).toList();
      try (Agents agents = Agents.startReplicated(sims.servers(), urls, TOKEN, POOL, dir);
          Haproxy haproxy = Haproxy.start(
              Haproxy.Settings.of(agents.haproxyServers()).withCheck(Haproxy.HealthCheck.debianDefaults())
                  .withRetries(0).withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30)),
              dir)) {
        long firstAgentCheck = System.nanoTime(); // HAProxy is up: its agent checks begin now at the latest
        awaitSettled(follower, haproxy);
        // An agent answers HAProxy's agent-check 'ready up' for READY_WINDOW after its first check,
        // which cancels a drain the actuator set until the agent hears of it from its next report (a
        // flap seen in this drill); operators drain hosts whose agents are past it.
        Duration pastWindow = AgentCheckResponder.READY_WINDOW.plusSeconds(1);
        await("the agents past their ready window").atMost(pastWindow.plusSeconds(5)).pollInterval(Duration.ofMillis(200))
            .until(() -> System.nanoTime() - firstAgentCheck > pastWindow.toNanos());
        try (StatusWatch s2 = StatusWatch.start(haproxy, "s2", System::nanoTime)) {
          // Requests that keep host-2's model server busy for HELD_MS (sent to it directly, past HAProxy).
          List<CompletableFuture<Long>> held = holdRequests(sims, http);

          long drainAt = System.nanoTime();
          java.time.Instant drainCalledAt = java.time.Instant.now();
          BackendProcess.Answer drain = follower.post("/api/v1/hosts/host-2/drain",
              "{\"reason\": \"drill: replace a PSU\", \"timeout\": \"60s\"}", operator);
          assertThat(drain.status()).as("drain through a follower: %s", drain.body()).isEqualTo(202);

          // The receiver processes the alert's first message but answers it only after the kill: the
          // leader dies with that message in flight, as it would in a real crash.
          hook.holdAnswers(body -> WebhookReceiver.carriesFiring(body, "gpu-fault", "host-1"));
          sims.fault(0, "{\"mode\": \"gpu-xid\", \"xid\": 79}");
          await("the gpu-fault message of host-1 at the receiver").atMost(Duration.ofSeconds(20))
              .pollInterval(Duration.ofMillis(50))
              .until(() -> hook.firstFiring("gpu-fault", "host-1") != null);
          String heldEvent = hook.firstFiring("gpu-fault", "host-1").eventId();
          String stateAtKill = follower.get("/api/v1/hosts/host-2").path("routing").path("state").asText();
          assertThat(stateAtKill).as("host-2 when the leader is killed (the drill needs a drain in progress)")
              .isEqualTo("DRAINING");
          int deliveredBeforeKill = hook.deliveries().size();

          long killedAt = System.nanoTime();
          leader.kill();
          hook.release();
          BackendProcess next = awaitOneLeader(followers, Duration.ofSeconds(30));
          double newLeaderSeconds = seconds(System.nanoTime() - killedAt);
          long nextToken = next.get("/api/v1/cluster").path("token").asLong();
          BackendProcess other = followers.get(followers.get(0) == next ? 1 : 0);

          await("host-2 DRAINED").atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200))
              .ignoreExceptions()
              .until(() -> "DRAINED".equals(other.get("/api/v1/hosts/host-2").path("routing").path("state").asText()));
          double drainSeenSeconds = seconds(System.nanoTime() - drainAt);
          await("s2 out of HAProxy's rotation").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
              .until(() -> !haproxy.inRotation().contains("s2"));
          List<String> heldAnswered = new ArrayList<>();
          for (CompletableFuture<Long> f : held) {
            heldAnswered.add(String.format(Locale.ROOT, "%+.1fs", seconds(f.get(30, TimeUnit.SECONDS) - drainAt)));
          }

          // Alerts: the outbox empties into the receiver (the message held at the kill included).
          try {
            // Every alert fired so far received as firing, and nothing left to send.
            await("every fired alert received, no message pending").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> notReceived(alerts(other), byEvent(hook.deliveries())).isEmpty()
                    && outbox(other, "pending").isEmpty());
          } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\nreceived: " + hook.deliveries().stream()
                .map(d -> d.eventId() + " token " + d.fencingToken() + " " + d.body()).toList()
                + "\noutbox: " + other.get("/api/v1/deliveries?limit=500").path("items")
                + "\nalerts: " + other.get("/api/v1/alerts?limit=500").path("items")
                + "\nkilled leader's log:\n" + tail(leader.log(), 5000)
                + "\nnew leader's log:\n" + tail(next.log(), 8000), e);
          }
          List<JsonNode> delivered = outbox(other, "delivered");
          List<JsonNode> dead = outbox(other, "dead");
          List<WebhookReceiver.Delivery> raw = hook.deliveries();
          Map<String, List<WebhookReceiver.Delivery>> byEvent = byEvent(raw);
          Set<String> outboxIds = new HashSet<>();
          delivered.forEach(m -> outboxIds.add(m.path("eventId").asText()));
          List<String> duplicates = new ArrayList<>();
          byEvent.forEach((id, ds) -> {
            if (ds.size() > 1) {
              duplicates.add(id + " x" + ds.size() + " tokens " + ds.stream().map(WebhookReceiver.Delivery::fencingToken).toList());
            }
          });
          List<JsonNode> fired = alerts(other);
          List<String> notReceived = notReceived(fired, byEvent);

          // Routing: one drain, one completion, no undrain, no flap in HAProxy.
          List<JsonNode> audit = routingAudit(other);
          List<JsonNode> host2Audit = audit.stream().filter(a -> a.path("target").asText().equals("host-2")).toList();
          List<JsonNode> host1Audit = audit.stream().filter(a -> a.path("target").asText().equals("host-1")).toList();
          List<String> host2Intervals = new ArrayList<>();
          JsonNode drainedInterval = null;
          JsonNode drainingInterval = null;
          for (JsonNode i : other.get("/api/v1/hosts/host-2/routing?from=" + drillStartMs).path("intervals")) {
            host2Intervals.add(i.path("state").asText());
            if (i.path("state").asText().equals("DRAINING")) {
              drainingInterval = i;
            }
            if (i.path("state").asText().equals("DRAINED")) {
              drainedInterval = i;
            }
          }
          double drainSeconds = drainingInterval == null || drainingInterval.path("to").isNull() ? Double.NaN
              : (drainingInterval.path("to").asLong() - drainingInterval.path("from").asLong()) / 1000.0;
          // "DRAIN (agent)" when the agent-check said drain too: the first word is the state
          List<String> s2States = s2.changes().stream().map(c -> c.status().split(" ")[0]).distinct().toList();
          List<String> s2Changes = s2.changes().stream()
              .map(c -> String.format(Locale.ROOT, "%s@%+.2fs", c.status(), seconds(c.nanos() - drainAt))).toList();

          // Reports: every seq an agent got a 2xx for is stored.
          Map<String, Long> acked = new TreeMap<>();
          Map<String, String> lost = new TreeMap<>();
          Map<String, Long> lastSeq = new TreeMap<>();
          long droppedByAgents = 0;
          for (var agent : agents.agents()) {
            String page = get(http, "http://127.0.0.1:" + agent.localPort() + "/metrics");
            long sent = (long) sample(page, "nines_agent_reports_sent_total");
            droppedByAgents += (long) sample(page, "nines_agent_reports_dropped_total");
            acked.put(agent.id(), sent);
            Set<Long> stored = storedSeqs(database, agent.id());
            List<Long> missing = new ArrayList<>();
            for (long seq = 1; seq <= sent; seq++) {
              if (!stored.contains(seq)) {
                missing.add(seq);
              }
            }
            if (!missing.isEmpty()) {
              lost.put(agent.id(), missing.toString());
            }
            lastSeq.put(agent.id(), other.get("/api/v1/hosts/" + agent.id()).path("lastSeq").asLong());
          }

          String line = String.format(Locale.ROOT,
              "DRILL replicas: new leader in %.2f s (token %d -> %d), drain %.1f s (DRAINED seen %.1f s after the call; "
                  + "intervals %s, reason '%s', held requests answered at %s, HAProxy s2 %s, times from the drain call), routing audit host-2 %s host-1 %s, alerts fired %d, messages %d "
                  + "delivered %d dead %d, raw POSTs %d unique events %d duplicates %d %s, %d before the kill, "
                  + "reports acked %s stored lastSeq %s lost %s dropped %d (drain called at %s)",
              newLeaderSeconds, firstToken, nextToken, drainSeconds, drainSeenSeconds, host2Intervals,
              drainedInterval == null ? "" : drainedInterval.path("reason").asText(), heldAnswered, s2Changes,
              host2Audit.stream().map(a -> a.path("action").asText() + " by " + who(a)).toList(),
              host1Audit.stream().map(a -> a.path("action").asText() + " by " + who(a)).toList(),
              fired.size(), byEvent.size(), delivered.size(), dead.size(), raw.size(), byEvent.size(),
              raw.size() - byEvent.size(), duplicates, deliveredBeforeKill, acked, lastSeq, lost, droppedByAgents,
              drainCalledAt);
          System.out.println(line);
          Files.writeString(DrillReport.FIGURES, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);

          String logs = "\nnew leader's log:\n" + tail(next.log(), 4000);
          // 1. another replica leads within 10 s, with the next fencing token
          assertThat(newLeaderSeconds).as("seconds from the SIGKILL to a new leader").isLessThan(NEW_LEADER_WITHIN.toSeconds());
          assertThat(nextToken).as("the new leader's fencing token").isGreaterThan(firstToken);
          // 2. the drain completed, and HAProxy has host-2 out
          assertThat(drainedInterval).as("host-2's DRAINED interval: %s%s", host2Intervals, logs).isNotNull();
          assertThat(drainedInterval.path("reason").asText()).as("why the drain completed")
              .startsWith("in-flight requests reached 0").contains("model server 0");
          // 3. no action twice: one drain request, one completion, no undrain, no flap of s2
          assertThat(host2Audit.stream().filter(a -> a.path("action").asText().equals("routing.draining")).toList())
              .as("drain requests of host-2 in the audit log").hasSize(1)
              .allSatisfy(a -> assertThat(a.path("actor").asText() + " " + a.path("actorName").asText()).contains("alice"));
          assertThat(host2Audit.stream().filter(a -> a.path("action").asText().equals("routing.drained")).count())
              .as("completions of host-2's drain in the audit log").isEqualTo(1);
          assertThat(audit.stream().filter(a -> a.path("action").asText().equals("routing.active")).toList())
              .as("undrains").isEmpty();
          assertThat(host2Intervals).as("host-2's routing intervals").endsWith("DRAINING", "DRAINED")
              .containsOnlyOnce("DRAINING", "DRAINED");
          assertThat(s2States).as("HAProxy's status of s2 over the drill (read errors %s)", s2.errors())
              .containsExactly("UP", "DRAIN");
          // the fatal XID quarantines host-1 once (on whichever leader saw it first), and it stays out
          assertThat(host1Audit.stream().map(a -> a.path("action").asText()).toList())
              .as("host-1's routing changes (new leader's log:\n%s)", logs).containsExactly("routing.maintenance");
          assertThat(other.get("/api/v1/hosts/host-1").path("routing").path("changedBy").asText()).isEqualTo("policy:quarantine");
          // 4. every alert delivered, each event processed once by the de-duplicating receiver
          assertThat(dead).as("dead letters").isEmpty();
          assertThat(byEvent.keySet()).as("event ids at the receiver vs the outbox").containsExactlyInAnyOrderElementsOf(outboxIds);
          assertThat(notReceived).as("alerts fired but never received firing").isEmpty();
          assertThat(raw).as("signatures").allMatch(WebhookReceiver.Delivery::signatureOk);
          // the message in flight at the kill came again from the new leader, with its newer token
          assertThat(byEvent.get(heldEvent).stream().map(WebhookReceiver.Delivery::fencingToken).toList())
              .as("fencing tokens of the POSTs of event %s (in flight at the kill)", heldEvent)
              .containsExactly(Long.toString(firstToken), Long.toString(nextToken));
          // a message comes again only from a newer term (a leader never sends one message twice)
          byEvent.forEach((id, ds) -> assertThat(ds.stream().map(WebhookReceiver.Delivery::fencingToken).distinct().count())
              .as("POSTs of event %s: %s", id, ds.stream().map(WebhookReceiver.Delivery::fencingToken).toList())
              .isEqualTo(ds.size()));
          // 5. no acknowledged report lost
          assertThat(lost).as("acknowledged reports missing from the database").isEmpty();
          assertThat(droppedByAgents).as("reports the agents gave up on").isZero();
          acked.forEach((id, sent) -> assertThat(sent).as("reports acknowledged to %s", id).isPositive());
          acked.forEach((id, sent) -> assertThat(lastSeq.get(id)).as("lastSeq of %s", id).isGreaterThanOrEqualTo(sent));
        }
      }
    } finally {
      for (BackendProcess r : replicas) {
        r.close();
      }
    }
  }

  /** Starts the three replicas at once (JVM starts overlap) on {@code db} with {@code cfg}. */
  private List<BackendProcess> startReplicas(String db, Path cfg) throws Exception {
    ExecutorService starter = Executors.newFixedThreadPool(HOSTS);
    List<Future<BackendProcess>> starting = new ArrayList<>();
    List<BackendProcess> started = new ArrayList<>();
    try {
      for (int i = 0; i < HOSTS; i++) {
        Path own = Files.createDirectories(dir.resolve("replica-" + (i + 1)));
        starting.add(starter.submit(() -> BackendProcess.start(new BackendProcess.Launch(own, db, cfg, TOKEN, 0))));
      }
      Exception first = null;
      for (Future<BackendProcess> f : starting) {
        try {
          started.add(f.get(BackendProcess.START_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS));
        } catch (Exception e) {
          first = first == null ? e : first;
        }
      }
      if (first != null) {
        started.forEach(BackendProcess::close);
        throw first;
      }
      return started;
    } finally {
      starter.shutdownNow();
    }
  }

  /** Waits until exactly one of {@code replicas} says it leads, and returns it (never two at a look). */
  private static BackendProcess awaitOneLeader(List<BackendProcess> replicas, Duration within) {
    BackendProcess[] found = new BackendProcess[1];
    await("one leader").atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> {
      List<BackendProcess> leaders = new ArrayList<>();
      for (BackendProcess r : replicas) {
        try {
          if ("leader".equals(r.get("/api/v1/cluster").path("role").asText())) {
            leaders.add(r);
          }
        } catch (IllegalStateException e) {
          // not answering: not a leader
        }
      }
      assertThat(leaders).as("leaders at one look").hasSizeLessThanOrEqualTo(1);
      found[0] = leaders.isEmpty() ? null : leaders.get(0);
      return found[0] != null;
    });
    return found[0];
  }

  private static void awaitSettled(BackendProcess replica, Haproxy haproxy) {
    Map<String, String> healthy = new TreeMap<>();
    Map<String, String> active = new TreeMap<>();
    for (int i = 1; i <= HOSTS; i++) {
      healthy.put("host-" + i, "HEALTHY");
      active.put("host-" + i, "ACTIVE");
    }
    await("every host HEALTHY and ACTIVE").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .untilAsserted(() -> {
          assertThat(replica.hostHealth()).isEqualTo(healthy);
          assertThat(replica.hostRouting()).isEqualTo(active);
        });
    await("HAProxy has every server in rotation").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(haproxy.inRotation()).containsExactlyInAnyOrder("s1", "s2", "s3"));
  }

  /**
   * Sends {@link #HELD_REQUESTS} completions straight to host-2's model server while it adds {@link
   * #HELD_MS} to every request, and clears the fault once they are in (the agent's own probes then
   * answer at once again). Each future gives when its answer (a 200) arrived ({@link System#nanoTime}).
   */
  private static List<CompletableFuture<Long>> holdRequests(SimServers sims, HttpClient http) {
    int before = sims.server(HOST2_INDEX).state().running();
    sims.slow(HOST2_INDEX, HELD_MS);
    List<CompletableFuture<Long>> held = new ArrayList<>();
    try {
      for (int i = 0; i < HELD_REQUESTS; i++) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(sims.server(HOST2_INDEX).baseUrl() + "/v1/completions"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"model\": \"sim-llama-3-8b\", \"prompt\": \"held\", \"max_tokens\": 1}"))
            .build();
        held.add(http.sendAsync(r, HttpResponse.BodyHandlers.ofString()).thenApply(res -> {
          if (res.statusCode() != 200) {
            throw new IllegalStateException("a request held on host-2 got HTTP " + res.statusCode());
          }
          return System.nanoTime();
        }));
      }
      await("the held requests running on host-2's server").atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> sims.server(HOST2_INDEX).state().running() >= before + HELD_REQUESTS);
    } finally {
      sims.clear(HOST2_INDEX);
    }
    return held;
  }

  /** Who an audit line names: the token's name, else the actor ({@code system}, {@code policy}). */
  private static String who(JsonNode auditLine) {
    String name = auditLine.path("actorName").asText("");
    return name.isBlank() ? auditLine.path("actor").asText() : name;
  }

  /** Every alert the engine knows (any state), up to 500. */
  private static List<JsonNode> alerts(BackendProcess replica) {
    List<JsonNode> out = new ArrayList<>();
    replica.get("/api/v1/alerts?limit=500").path("items").forEach(out::add);
    return out;
  }

  /** The outbox's messages in {@code state}, up to 500. */
  private static List<JsonNode> outbox(BackendProcess replica, String state) {
    List<JsonNode> out = new ArrayList<>();
    replica.get("/api/v1/deliveries?state=" + state + "&limit=500").path("items").forEach(out::add);
    return out;
  }

  private static List<JsonNode> routingAudit(BackendProcess replica) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode a : replica.get("/api/v1/audit?limit=1000").path("items")) {
      if (a.path("action").asText("").startsWith("routing.")) {
        out.add(a);
      }
    }
    return out;
  }

  /** The requests the receiver got, by {@code X-Nines-Event-Id} (its de-duplication key), in arrival order. */
  private static Map<String, List<WebhookReceiver.Delivery>> byEvent(List<WebhookReceiver.Delivery> raw) {
    Map<String, List<WebhookReceiver.Delivery>> out = new LinkedHashMap<>();
    raw.forEach(d -> out.computeIfAbsent(d.eventId(), k -> new ArrayList<>()).add(d));
    return out;
  }

  /** The labels of each alert that fired (not suppressed) but never reached the receiver as firing. */
  private static List<String> notReceived(List<JsonNode> alerts, Map<String, List<WebhookReceiver.Delivery>> byEvent) {
    List<String> out = new ArrayList<>();
    for (JsonNode a : alerts) {
      if (!a.path("startsAt").isNull() && !a.path("startsAt").isMissingNode()
          && a.path("suppressedBy").isEmpty() && !receivedFiring(byEvent, a.path("fingerprint").asText())) {
        out.add(a.path("labels").toString());
      }
    }
    return out;
  }

  /** Whether some received message carried the alert with {@code fingerprint} as firing. */
  private static boolean receivedFiring(Map<String, List<WebhookReceiver.Delivery>> byEvent, String fingerprint) {
    for (List<WebhookReceiver.Delivery> ds : byEvent.values()) {
      JsonNode body = ds.get(0).body();
      if (body == null) {
        continue;
      }
      for (JsonNode a : body.path("alerts")) {
        if (fingerprint.equals(a.path("fingerprint").asText()) && "firing".equals(a.path("status").asText())) {
          return true;
        }
      }
    }
    return false;
  }

  private static Set<Long> storedSeqs(PostgresServer.Database db, String agentId) throws SQLException {
    Set<Long> out = new HashSet<>();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement st = c.prepareStatement("SELECT seq FROM reports WHERE agent_id = ?")) {
      st.setString(1, agentId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    }
    return out;
  }

  /** The sum of every sample of {@code name} on a Prometheus text page (0 when absent). */
  static double sample(String page, String name) {
    double sum = 0;
    Matcher m = SAMPLE.matcher(page);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        sum += Double.parseDouble(m.group(3));
      }
    }
    return sum;
  }

  private static String get(HttpClient http, String url) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s", url).isEqualTo(200);
    return r.body();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static String tail(String s, int chars) {
    return s.length() <= chars ? s : s.substring(s.length() - chars);
  }
}

package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nines.server.store.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several replicas on one PostgreSQL database: exactly one leads (runs the brain), the others
 * follow; the role is visible in /api/v1/cluster, /readyz and /metrics; when the leader goes,
 * another leads within 10 s with the next fencing token.
 */
class ReplicasTest {
  @TempDir Path dir;

  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static JsonNode get(String base, String path) throws Exception {
    HttpResponse<String> res =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + ADMIN)
                .timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(path + ": " + res.body()).isEqualTo(200);
    return tree(res.body());
  }

  static String metrics(String base) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void oneOfTwoReplicasLeadsTheOtherFollowsAndTakesOverWhenTheLeaderStops() throws Exception {
    String db = PostgresServer.get().newDatabase().urlWithCredentials();
    // a is stopped within the test too: closing it again at the end does nothing
    try (NinesServer a = replica(db);
        NinesServer b = replica(db)) {
      assertThat(a.leads()).isTrue();
      assertThat(b.leads()).isFalse();
      JsonNode ca = get(a.url(), "/api/v1/cluster");
      JsonNode cb = get(b.url(), "/api/v1/cluster");
      assertThat(ca.get("mode").asText()).isEqualTo("replicated");
      assertThat(ca.get("role").asText()).isEqualTo("leader");
      assertThat(ca.get("token").asLong()).isEqualTo(1);
      assertThat(cb.get("role").asText()).isEqualTo("follower");
      assertThat(cb.get("leader").asText()).isEqualTo(ca.get("replica").asText());
      assertThat(cb.get("leaderUrl").asText()).isEqualTo(a.url());
      assertThat(get(b.url(), "/readyz").get("role").asText()).isEqualTo("follower");
      assertThat(get(a.url(), "/readyz").get("role").asText()).isEqualTo("leader");
      assertThat(metrics(a.url())).contains("nines_leader 1.0").contains("nines_leader_fencing_token 1.0");
      assertThat(metrics(b.url())).contains("nines_leader 0.0");

      // A clean stop gives the lease up: b leads at its next renewal, with the next token.
      long stopped = System.nanoTime();
      a.close();
      await().atMost(Duration.ofSeconds(10)).until(b::leads);
      assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofSeconds(10));
      assertThat(get(b.url(), "/api/v1/cluster").get("token").asLong()).isEqualTo(2);
      assertThat(metrics(b.url())).contains("nines_leader 1.0");
    }
  }

  @Test
  void aFollowersReportsAreJudgedByTheLeaderAndAnOperatorsDrainOnTheFollowerIsRunByTheLeader() throws Exception {
    String db = PostgresServer.get().newDatabase().urlWithCredentials();
    try (NinesServer a = replica(db);
        NinesServer b = replica(db)) {
      assertThat(a.leads()).isTrue();
      Fixtures.Api onB = new Fixtures.Api(b);
      String agent = b.createToken("agent", "agents"); // made on the follower: tokens are in the database
      String operator = b.createToken("operator", "alice");
      long t = System.currentTimeMillis();
      for (String host : List.of("h1", "h2", "h3")) {
        HttpResponse<String> res = onB.postReport(agent, Fixtures.report(host, 1, 0.2, 50));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      }
      // The leader's tail reads the follower's reports: a host's first report makes it HEALTHY,
      // a change the leader stores; both replicas answer with it.
      for (String host : List.of("h1", "h2", "h3")) {
        await().atMost(Duration.ofSeconds(10))
            .until(() -> get(b.url(), "/api/v1/hosts/" + host).path("health").path("state").asText().equals("HEALTHY"));
        assertThat(get(a.url(), "/api/v1/hosts/" + host).path("health").path("state").asText()).isEqualTo("HEALTHY");
      }

      // An operator's drain sent to the follower is forwarded to the leader and run there.
      HttpResponse<String> drain = onB.post("/api/v1/hosts/h1/drain", operator, "{\"reason\": \"replace a fan\"}");
      assertThat(drain.statusCode()).as(drain.body()).isEqualTo(202);
      assertThat(drain.headers().firstValue("X-Nines-Leader")).contains(a.url());
      assertThat(get(b.url(), "/api/v1/hosts/h1").path("routing").path("state").asText()).isIn("DRAINING", "DRAINED");
      // The agent that reports to the follower is told to drain (the follower's routing cache
      // re-reads the database within a second).
      long[] seq = {1};
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        HttpResponse<String> res = onB.postReport(agent, Fixtures.report("h1", ++seq[0], 0.2, 50));
        return tree(res.body()).path("desired").asText().matches("DRAINING|DRAINED");
      });
      assertThat(System.currentTimeMillis() - t).isLessThan(30_000);
    }
  }

  @Test
  void aConsoleOnEitherReplicaSeesEveryReplicasReportsLiveEachOnce() throws Exception {
    String db = PostgresServer.get().newDatabase().urlWithCredentials();
    try (NinesServer a = replica(db);
        NinesServer b = replica(db)) {
      assertThat(a.leads()).isTrue();
      String agent = b.createToken("agent", "agents");
      String viewer = b.createToken("viewer", "wall");
      try (SseClient onA = new SseClient(HTTP, URI.create(a.url() + "/api/v1/events"), viewer, null);
          SseClient onB = new SseClient(HTTP, URI.create(b.url() + "/api/v1/events"), viewer, null)) {
        Fixtures.Api apiA = new Fixtures.Api(a);
        Fixtures.Api apiB = new Fixtures.Api(b);
        for (int seq = 1; seq <= 3; seq++) {
          assertThat(apiA.postReport(agent, Fixtures.report("on-a", seq, 0.2, 50)).statusCode()).isEqualTo(200);
          assertThat(apiB.postReport(agent, Fixtures.report("on-b", seq, 0.2, 50)).statusCode()).isEqualTo(200);
        }
        List<String> all = List.of("on-a/1", "on-a/2", "on-a/3", "on-b/1", "on-b/2", "on-b/3");
        // the follower announces the leader's reports from the keys (its own as it stores them); the
        // leader announces the follower's through its brain's tail
        for (SseClient c : List.of(onA, onB)) {
          await().atMost(Duration.ofSeconds(10)).until(() -> reportsSeen(c).containsAll(all));
        }
        // later passes of the tails (which read the last 5 s again) announce nothing twice: each
        // marker seen on both replicas means another pass over a window that holds the first ones
        for (int marker = 4; marker <= 6; marker++) {
          String m = "on-a/" + marker;
          assertThat(apiA.postReport(agent, Fixtures.report("on-a", marker, 0.2, 50)).statusCode()).isEqualTo(200);
          for (SseClient c : List.of(onA, onB)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> reportsSeen(c).contains(m));
          }
        }
        for (SseClient c : List.of(onA, onB)) {
          assertThat(reportsSeen(c)).as("report events on %s", c == onA ? "the leader" : "the follower")
              .doesNotHaveDuplicates().containsAll(all);
        }
        JsonNode one = tree(onB.events().stream().filter(e -> e.type().equals("report"))
            .filter(e -> e.data().contains("\"on-a\"")).findFirst().orElseThrow().data());
        assertThat(one.path("collectedAtMs").asLong()).as("the agent's collection time, from the key").isPositive();
      }
    }
  }

  /** host/seq of every {@code report} event a client got, in order. */
  static List<String> reportsSeen(SseClient c) {
    return c.events().stream().filter(e -> e.type().equals("report"))
        .map(e -> tree(e.data()).path("hostId").asText() + "/" + tree(e.data()).path("seq").asLong()).toList();
  }

  /** A replica in this process on {@code db}, on an ephemeral port, with the test's admin token. */
  static NinesServer replica(String db) {
    return NinesServer.start(new ServerSettings("127.0.0.1", 0, db, null, ADMIN), Clock.systemUTC());
  }

  static HttpResponse<String> put(String base, String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + ADMIN)
            .timeout(Duration.ofSeconds(10)).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  // Found by the replicas drill (drills' ReplicasDrillTest): a follower's receiver cache was read at
  // its start, so once elected its brain sent no alert to a receiver made on the previous leader.
  @Test
  void aNewLeaderUsesTheReceiversMaintenanceWindowsAndPoolSettingsThePreviousLeaderStored() throws Exception {
    String db = PostgresServer.get().newDatabase().urlWithCredentials();
    // a is stopped within the test too: closing it again at the end does nothing
    try (NinesServer a = replica(db);
        NinesServer b = replica(db)) {
      assertThat(a.leads()).isTrue();
      Fixtures.Api onA = new Fixtures.Api(a);
      // Made on the leader after the follower started: the follower's caches never saw them.
      HttpResponse<String> hook = onA.post("/api/v1/webhooks", ADMIN,
          "{\"id\": \"oncall\", \"kind\": \"webhook\", \"url\": \"http://127.0.0.1:9/hook\"}");
      assertThat(hook.statusCode()).as(hook.body()).isEqualTo(201);
      long now = System.currentTimeMillis();
      HttpResponse<String> window = onA.post("/api/v1/maintenance-windows", ADMIN,
          "{\"pool\": \"llama\", \"startsAt\": " + (now + 3_600_000) + ", \"endsAt\": " + (now + 7_200_000)
              + ", \"comment\": \"firmware\"}");
      assertThat(window.statusCode()).as(window.body()).isEqualTo(201);
      HttpResponse<String> pool = put(a.url(), "/api/v1/pools/llama/config", "{\"minActive\": 2}");
      assertThat(pool.statusCode()).as(pool.body()).isEqualTo(200);

      a.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> b.leads() && b.receivers() != null);
      // b leads: it answers these from its own memory now, no longer forwarding to a.
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(get(b.url(), "/api/v1/webhooks").toString()).contains("oncall");
        assertThat(get(b.url(), "/api/v1/maintenance-windows").toString()).contains("firmware");
        JsonNode config = get(b.url(), "/api/v1/pools/llama/config");
        assertThat(config.path("source").asText()).isEqualTo("api");
        assertThat(config.path("settings").path("minActive").asInt()).isEqualTo(2);
      });
    }
  }

  @Test
  void whenTheLeaderProcessIsKilledAnotherOfThreeLeadsWithinTenSeconds() throws Exception {
    String db = PostgresServer.get().newDatabase().urlWithCredentials();
    List<ServerProcess> replicas = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        replicas.add(ServerProcess.start(dir, db, ADMIN, List.of("-Xmx256m")));
      }
      ServerProcess leader = null;
      for (ServerProcess r : replicas) {
        if (get(r.url(), "/api/v1/cluster").get("role").asText().equals("leader")) {
          assertThat(leader).as("only one leader").isNull();
          leader = r;
        }
      }
      assertThat(leader).isNotNull();
      long token = get(leader.url(), "/api/v1/cluster").get("token").asLong();
      long killedAt = System.nanoTime();
      assertThat(leader.kill()).isEqualTo(137);
      List<ServerProcess> rest = new ArrayList<>(replicas);
      rest.remove(leader);
      String[] next = new String[1];
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
        int leaders = 0;
        for (ServerProcess r : rest) {
          if (get(r.url(), "/api/v1/cluster").get("role").asText().equals("leader")) {
            leaders++;
            next[0] = r.url();
          }
        }
        assertThat(leaders).as("never two leaders").isLessThanOrEqualTo(1);
        return leaders == 1;
      });
      Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
      System.out.printf("another replica led %d ms after the leader was killed%n", took.toMillis());
      assertThat(took).isLessThan(Duration.ofSeconds(10));
      JsonNode now = get(next[0], "/api/v1/cluster");
      assertThat(now.get("token").asLong()).isEqualTo(token + 1);
      for (ServerProcess r : rest) {
        assertThat(get(r.url(), "/api/v1/cluster").get("leaderToken").asLong()).isIn(token, token + 1);
      }
    } finally {
      replicas.forEach(ServerProcess::close);
    }
  }
}

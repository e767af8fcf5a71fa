package dev.nines.server;

import static dev.nines.server.Fixtures.json;
import static dev.nines.server.Fixtures.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server process under report load is killed with SIGKILL; after a restart on the same
 * database file every report it had acknowledged (a 2xx) is stored, exactly once, including the
 * ones the agents send again after the crash.
 */
class CrashTest {
  static final int POSTERS = 6;
  static final int AGENTS_PER_POSTER = 3;
  static final int ACKS_BEFORE_KILL = 400;

  @TempDir Path dir;

  /** What one posting thread did: acknowledged seqs per agent, and the reports it was sending when the server died. */
  record Posted(Map<String, Set<Long>> acked, Map<String, Long> unacknowledged) {}

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void everyAcknowledgedReportSurvivesSigkillAndNoneIsStoredTwice() throws Exception {
    Path db = dir.resolve("nines.db");
    Map<String, Set<Long>> acked = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Future<Posted>> posters = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(POSTERS);
    int exit;
    try (ServerProcess server = ServerProcess.start(dir, db, Fixtures.ADMIN, List.of("-Xmx256m"))) {
      for (int t = 0; t < POSTERS; t++) {
        List<String> agents = new ArrayList<>();
        for (int a = 0; a < AGENTS_PER_POSTER; a++) {
          agents.add("crash-" + t + "-" + a);
        }
        posters.add(pool.submit(() -> post(server.url(), agents, acked, stop)));
      }
      await("acknowledged reports before the kill")
          .atMost(Duration.ofSeconds(60))
          .until(() -> count(acked) >= ACKS_BEFORE_KILL || posters.stream().anyMatch(Future::isDone));
      assertThat(posters).noneMatch(Future::isDone); // the load still runs when the process dies
      exit = server.kill();
      stop.set(true);
    }
    Map<String, Long> unacknowledged = new HashMap<>();
    for (Future<Posted> f : posters) {
      unacknowledged.putAll(f.get(30, TimeUnit.SECONDS).unacknowledged());
    }
    pool.shutdownNow();
    assertThat(exit).as("exit status of a process killed by SIGKILL (128 + 9)").isEqualTo(137);
    Map<String, Set<Long>> acknowledged = Map.copyOf(acked);
    assertThat(count(acknowledged)).isGreaterThanOrEqualTo(ACKS_BEFORE_KILL);

    try (ServerProcess again = ServerProcess.start(dir, db, Fixtures.ADMIN, List.of("-Xmx256m"))) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      assertThat(send(http, get(again.url() + "/readyz")).statusCode()).isEqualTo(200);
      // The agents send again what was never acknowledged, and one report that was: both are
      // accepted; the acknowledged one is answered as a duplicate.
      for (Map.Entry<String, Long> u : unacknowledged.entrySet()) {
        assertThat(send(http, postReport(again.url(), u.getKey(), u.getValue())).statusCode()).isEqualTo(200);
      }
      Map.Entry<String, Set<Long>> one = acknowledged.entrySet().iterator().next();
      long replayed = one.getValue().iterator().next();
      HttpResponse<String> dup = send(http, postReport(again.url(), one.getKey(), replayed));
      assertThat(dup.statusCode()).isEqualTo(200);
      assertThat(Fixtures.tree(dup.body()).get("duplicate").asBoolean()).isTrue();
    }

    Map<String, Map<Long, Integer>> stored = storedReports(db);
    for (Map.Entry<String, Set<Long>> e : acknowledged.entrySet()) {
      assertThat(stored.getOrDefault(e.getKey(), Map.of()).keySet())
          .as("stored seqs of %s", e.getKey())
          .containsAll(e.getValue());
    }
    for (Map.Entry<String, Long> u : unacknowledged.entrySet()) {
      assertThat(stored.getOrDefault(u.getKey(), Map.of())).containsKey(u.getValue());
    }
    stored.forEach(
        (agent, seqs) ->
            seqs.forEach((seq, n) -> assertThat(n).as("copies of %s #%d", agent, seq).isEqualTo(1)));
  }

  /** Posts each agent's reports in turn, seq 1, 2, ...; stops at the first failure (the kill). */
  private static Posted post(String url, List<String> agents, Map<String, Set<Long>> acked, AtomicBoolean stop) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Map<String, Long> unacknowledged = new HashMap<>();
    for (long seq = 1; !stop.get(); seq++) {
      for (String agent : agents) {
        HttpResponse<String> r;
        try {
          r = http.send(postReport(url, agent, seq), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
          unacknowledged.put(agent, seq);
          return new Posted(acked, unacknowledged);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return new Posted(acked, unacknowledged);
        }
        if (r.statusCode() / 100 == 2) {
          acked.computeIfAbsent(agent, k -> ConcurrentHashMap.newKeySet()).add(seq);
        } else {
          throw new IllegalStateException("status " + r.statusCode() + ": " + r.body());
        }
      }
    }
    return new Posted(acked, unacknowledged);
  }

  private static HttpRequest postReport(String url, String agent, long seq) {
    return HttpRequest.newBuilder(URI.create(url + "/api/v1/reports"))
        .timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + Fixtures.ADMIN)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json(report(agent, seq, 0.5, 60))))
        .build();
  }

  private static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build();
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static long count(Map<String, Set<Long>> acked) {
    return acked.values().stream().mapToLong(Set::size).sum();
  }

  /** Every stored (agent, seq) with how many rows it has, read from the file after the server stopped. */
  private static Map<String, Map<Long, Integer>> storedReports(Path db) throws SQLException {
    Map<String, Map<Long, Integer>> out = new HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT agent_id, seq, COUNT(*) FROM reports GROUP BY agent_id, seq")) {
      while (rs.next()) {
        out.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getLong(2), rs.getInt(3));
      }
    }
    assertThat(out).isNotEmpty();
    return out;
  }
}

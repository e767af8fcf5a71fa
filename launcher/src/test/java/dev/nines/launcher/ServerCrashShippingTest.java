package dev.nines.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.sim.SimConfig;
import dev.nines.sim.SimFleet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real agent processes ship to a real server process; the server is killed with SIGKILL in the
 * middle and started again on the same database. Afterwards every sequence number of every agent
 * is stored exactly once, with no gap.
 */
class ServerCrashShippingTest {
  private static final String TOKEN = "test-admin-token-0123456789abcdef";
  private static final int AGENTS = 3;
  private static final Pattern SPOOL_DEPTH = Pattern.compile("(?m)^nines_agent_spool_depth\\S*\\s+(\\S+)");

  @TempDir Path dir;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void everyReportOfEveryAgentIsStoredExactlyOnceAcrossAServerCrash() throws Exception {
    Path db = dir.resolve("nines.db");
    int serverPort = Processes.freePort();
    String server = "http://127.0.0.1:" + serverPort;
    try (SimFleet fleet =
            SimFleet.start(new SimConfig("127.0.0.1", 0, AGENTS, -1, 5, 1, "sim-model", 7L), Clock.systemUTC());
        Processes procs = new Processes(dir)) {
      Process first = procs.java("server-1", "dev.nines.launcher.Nines", serverArgs(serverPort, db));
      awaitUp(server + "/healthz");

      List<Process> agents = new ArrayList<>();
      List<Integer> agentPorts = new ArrayList<>();
      for (int i = 0; i < AGENTS; i++) {
        int port = Processes.freePort();
        agentPorts.add(port);
        String sim = fleet.servers().get(i).baseUrl();
        agents.add(
            procs.java(
                "agent-" + i,
                "dev.nines.agent.AgentMain",
                List.of(
                    "--server", server, "--token", TOKEN, "--id", "agent-" + i, "--pool", "pool-a",
                    "--endpoint", sim, "--gpu", "sim:" + sim, "--interval", "1s",
                    "--bind", "127.0.0.1", "--port", String.valueOf(port), "--agent-check-port", "-1",
                    "--spool-dir", dir.resolve("spool-" + i).toString())));
      }
      for (int i = 0; i < AGENTS; i++) {
        String id = "agent-" + i;
        await("first reports of " + id).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
            .until(() -> lastSeq(server, id) >= 3);
      }

      Processes.kill(first);
      for (int i = 0; i < AGENTS; i++) {
        int port = agentPorts.get(i);
        await("agent-" + i + " spools while the server is down").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> spoolDepth(port) >= 3);
      }

      Process second = procs.java("server-2", "dev.nines.launcher.Nines", serverArgs(serverPort, db));
      awaitUp(server + "/healthz");
      for (int i = 0; i < AGENTS; i++) {
        int port = agentPorts.get(i);
        await("agent-" + i + " replays its spool").atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> spoolDepth(port) == 0);
      }

      for (Process a : agents) {
        assertThat(Processes.stop(a)).as("agent exit code after SIGTERM").isIn(0, 143);
      }
      for (int i = 0; i < AGENTS; i++) {
        assertThat(spooledFiles(dir.resolve("spool-" + i))).as("reports left in agent-%d's spool", i).isZero();
      }
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
        for (int i = 0; i < AGENTS; i++) {
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT COUNT(*), COUNT(DISTINCT seq), MIN(seq), MAX(seq) FROM reports WHERE agent_id = ?")) {
            st.setString(1, "agent-" + i);
            try (ResultSet rs = st.executeQuery()) {
              rs.next();
              long count = rs.getLong(1);
              System.out.printf("agent-%d: %d reports stored, seq %d..%d%n", i, count, rs.getLong(3), rs.getLong(4));
              assertThat(count).as("reports of agent-%d", i).isGreaterThanOrEqualTo(6);
              assertThat(rs.getLong(2)).as("distinct seqs of agent-%d", i).isEqualTo(count);
              assertThat(rs.getLong(3)).as("first seq of agent-%d", i).isEqualTo(1);
              assertThat(rs.getLong(4)).as("last seq of agent-%d (no gap)", i).isEqualTo(count);
            }
          }
        }
      }
      assertThat(Processes.stop(second)).as("server exit code after SIGTERM").isIn(0, 143);
    }
  }

  private static List<String> serverArgs(int port, Path db) {
    return List.of("server", "--bind", "127.0.0.1", "--port", String.valueOf(port), "--db", db.toString(),
        "--admin-token", TOKEN);
  }

  private void awaitUp(String url) {
    await("server up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> get(url, null).statusCode() == 200);
  }

  private long lastSeq(String server, String id) {
    try {
      HttpResponse<String> r = get(server + "/api/v1/hosts/" + id, TOKEN);
      if (r.statusCode() != 200) {
        return 0;
      }
      JsonNode n = json.readTree(r.body());
      return n.path("lastSeq").asLong();
    } catch (IOException e) {
      return 0;
    }
  }

  private double spoolDepth(int agentPort) throws IOException {
    Matcher m = SPOOL_DEPTH.matcher(get("http://127.0.0.1:" + agentPort + "/metrics", null).body());
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  private static long spooledFiles(Path spoolDir) throws IOException {
    Path reports = spoolDir.resolve("reports");
    if (!Files.isDirectory(reports)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(reports)) {
      return s.filter(p -> p.getFileName().toString().startsWith("report-")).count();
    }
  }

  private HttpResponse<String> get(String url, String token) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}

package dev.nines.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server, a simulated model server with GPUs and a real agent: both /metrics pages pass
 * {@code promtool check metrics}, and every metric name in every dashboard and rule is on one of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class LiveMetricsTest {
  /** Series Prometheus makes itself for every target, never on a page. */
  static final Set<String> PROMETHEUS_SYNTHETIC = Set.of("up");

  static final Duration WAIT = Duration.ofSeconds(90);

  Path dir;
  LiveFleet fleet;
  HttpServer receiver;

  @BeforeAll
  void startFleetAndRaiseGpuFaults(@TempDir Path tmp) {
    dir = tmp;
    fleet = LiveFleet.start(dir);
    await("the server has the host").atMost(WAIT).pollInterval(Duration.ofMillis(250))
        .until(() -> fleet.get(fleet.serverUrl() + "/api/v1/hosts").contains("\"" + LiveFleet.HOST + "\""));
    // an uncorrectable ECC error: the policy quarantines the host or, a single host being the whole
    // pool's guard, refuses to; either way nines_policy_events_total{action="quarantine"} appears
    fleet.fault("{\"mode\":\"gpu-ecc\",\"gpu\":0,\"count\":2}");
    // a fatal XID on every simulated GPU: nines_gpu_xid_errors_total gets its series
    fleet.fault("{\"mode\":\"gpu-xid\",\"xid\":79}");
    // a receiver and one test message, so that the delivery series exist
    try {
      receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    receiver.createContext("/hook", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    receiver.start();
    fleet.post("/api/v1/webhooks", "{\"id\": \"oncall\", \"kind\": \"webhook\", \"url\": \"http://127.0.0.1:"
        + receiver.getAddress().getPort() + "/hook\"}", 201);
    fleet.post("/api/v1/webhooks/oncall/test", "{}", 202);
  }

  @AfterAll
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  private Set<String> missingNames(MetricsPage server, MetricsPage agent) {
    Set<String> recorded = Artifacts.recordedNames();
    List<Artifacts.Query> queries = new ArrayList<>(Artifacts.dashboardQueries());
    queries.addAll(Artifacts.ruleQueries());
    Set<String> missing = new TreeSet<>();
    for (Artifacts.Query q : queries) {
      for (String name : PromQl.metricNames(q.expr())) {
        boolean known = server.has(name) || agent.has(name) || recorded.contains(name) || PROMETHEUS_SYNTHETIC.contains(name);
        if (!known) {
          missing.add(name + " (" + q.where() + ")");
        }
      }
    }
    return missing;
  }

  @Test
  void everyMetricNameInEveryDashboardAndRuleIsOnTheServersOrTheAgentsPage() {
    // bounded wait: pool figures refresh every 15 s, the policy reacts to the ECC report
    await("every name on a page").atMost(WAIT).pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(missingNames(MetricsPage.parse(fleet.serverPage()),
            MetricsPage.parse(fleet.agentPage()))).isEmpty());
    String server = fleet.serverPage();
    // the labels the rules select on are the server's own
    assertThat(server)
        .containsPattern("nines_policy_events_total\\{action=\"quarantine\",kind=\"policy\\.(decision|refused)\",pool=\"llm\"}")
        .contains("nines_pool_state{pool=\"llm\",state=\"DOWN\"}")
        .contains("nines_pool_error_budget_burn_rate{pool=\"llm\",window=\"5m\"}")
        .contains("nines_pool_error_budget_burn_rate{pool=\"llm\",window=\"3d\"}")
        .contains("nines_gpu_ecc_uncorrectable_errors{gpu=\"0\",host=\"host-1\",pool=\"llm\"} 2.0")
        .contains("nines_gpu_xid_errors_total{gpu=\"0\",host=\"host-1\",pool=\"llm\",xid=\"79\"} 1.0")
        .contains("nines_gpu_xid_errors_total{gpu=\"1\",host=\"host-1\",pool=\"llm\",xid=\"79\"} 1.0")
        .contains("nines_pool_slo_target_ratio{pool=\"llm\"} 0.999")
        .contains("nines_host_health_state{host=\"host-1\",pool=\"llm\",state=\"UNHEALTHY\"}");
  }

  @Test
  void theCheckFindsANameThatIsOnNeitherPage() {
    MetricsPage server = MetricsPage.parse(fleet.serverPage());
    assertThat(server.has("nines_gpu_temperature_celsius")).isTrue();
    assertThat(server.has("nines_ingest_reports")).isTrue(); // family of nines_ingest_reports_total
    assertThat(server.has("nines_ingest_commit_seconds_count")).isTrue();
    assertThat(server.has("nines_gpu_temperature_kelvin")).isFalse();
    assertThat(server.has("nines_gpu_temperature")).isFalse();
  }

  @Test
  void promtoolFindsNoProblemOnTheServersPage() {
    Promtool promtool = Promtool.require();
    String page = fleet.serverPage();
    assertThat(page).contains("nines_host_health_state");
    Promtool.Result r = promtool.run(dir, page, "check", "metrics");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).isBlank();
  }

  @Test
  void promtoolFindsNoProblemOnTheAgentsPage() {
    Promtool promtool = Promtool.require();
    await("the agent has a GPU reading").atMost(WAIT).pollInterval(Duration.ofMillis(250))
        .until(() -> fleet.agentPage().contains("nines_gpu_temperature_celsius{"));
    String page = fleet.agentPage();
    Promtool.Result r = promtool.run(dir, page, "check", "metrics");
    assertThat(r.exitCode()).as("promtool check metrics on the agent's page: %s", r.output()).isZero();
  }
}

package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.T0;
import static dev.nines.server.Fixtures.report;
import static dev.nines.server.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.nines.protocol.AgentReport;
import dev.nines.protocol.GpuMetrics;
import dev.nines.protocol.GpuSection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet part of {@code /metrics} on a real server: exact series for a known state, removal of
 * a forgotten host, and {@code promtool check metrics} on the whole page.
 */
class MetricsPageTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  @TempDir Path dir;
  final MovableClock clock = new MovableClock(T0);
  NinesServer server;
  Fixtures.Api api;
  String agent;

  @BeforeEach
  void start() {
    server =
        NinesServer.start(
            new ServerSettings("127.0.0.1", 0, dir.resolve("nines.db").toString(), null, ADMIN), clock, null);
    api = new Fixtures.Api(server);
    agent = server.createToken("agent", "agents");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static AgentReport inPool(AgentReport r, String pool) {
    Map<String, String> labels = new HashMap<>(r.labels());
    labels.put("pool", pool);
    return new AgentReport(
        r.version(), r.agentId(), r.seq(), r.collectedAtMs(), r.intervalMs(), labels, r.agentVersion(), r.host(),
        r.gpu(), r.endpoints());
  }

  /** {@code r} with XID events of the given codes on GPU {@code gpu} (one event per code given). */
  static AgentReport withXids(AgentReport r, int gpu, long... codes) {
    List<GpuMetrics> gpus = new ArrayList<>();
    for (GpuMetrics g : r.gpu().gpus()) {
      if (g.index() == gpu) {
        List<GpuMetrics.XidEvent> events = new ArrayList<>(g.xidEvents());
        for (long code : codes) {
          events.add(new GpuMetrics.XidEvent(code, r.collectedAtMs()));
        }
        g = new GpuMetrics(
            g.index(), g.uuid(), g.name(), g.utilGpuRatio(), g.utilMemoryRatio(), g.memoryTotalBytes(),
            g.memoryUsedBytes(), g.temperatureC(), g.powerDrawWatts(), g.powerLimitWatts(),
            g.eccUncorrectedVolatile(), g.throttleReasons(), g.throttleReasonNames(), events);
      }
      gpus.add(g);
    }
    GpuSection s = r.gpu();
    return new AgentReport(
        r.version(), r.agentId(), r.seq(), r.collectedAtMs(), r.intervalMs(), r.labels(), r.agentVersion(), r.host(),
        new GpuSection(s.available(), s.unavailableReason(), s.source(), s.driverVersion(), gpus), r.endpoints());
  }

  private void post(AgentReport r) {
    assertThat(api.postReport(agent, r).statusCode()).isEqualTo(200);
  }

  private void awaitHealth(String id, String state) {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var res = api.get("/api/v1/hosts/" + id, ADMIN);
              return res.statusCode() == 200 && tree(res.body()).get("health").get("state").asText().equals(state);
            });
  }

  /**
   * llama: h1 HEALTHY from T0 (reports at T0 and T0 + 5 s). mistral: h2 HEALTHY at T0, UNHEALTHY
   * from T0 + 15 s after three hung generation probes. The clock ends at T0 + 30 s.
   */
  private void knownFleet() {
    post(report("h1", 1, 0.2, 61));
    post(inPool(report("h2", 1, 0.2, 50), "mistral"));
    awaitHealth("h1", "HEALTHY");
    awaitHealth("h2", "HEALTHY");
    clock.advance(Duration.ofSeconds(5));
    post(report("h1", 2, 0.2, 62));
    for (int seq = 2; seq <= 4; seq++) {
      if (seq > 2) {
        clock.advance(Duration.ofSeconds(5));
      }
      post(inPool(HealthWiringTest.hung("h2", seq), "mistral"));
    }
    awaitHealth("h2", "UNHEALTHY");
    // the counters follow the writer's callback, which runs after the commit the API already saw
    await().atMost(WAIT).until(() -> page().contains("nines_endpoint_requests_total{endpoint=\"http://127.0.0.1:8000\",host=\"h1\",pool=\"llama\"} 240.0"));
    clock.setMillis(T0 + 30_000);
  }

  private String page() {
    var res = api.get("/metrics", null);
    assertThat(res.statusCode()).isEqualTo(200);
    return res.body();
  }

  @Test
  void pageShowsExactSeriesOfAKnownFleet() {
    knownFleet();
    post(report("h1", 2, 0.2, 62)); // a duplicate counts nothing
    clock.setMillis(T0 + 30_000);
    String page = page();

    assertThat(page)
        .contains("nines_host_health_state{host=\"h1\",pool=\"llama\",state=\"HEALTHY\"} 1.0")
        .contains("nines_host_health_state{host=\"h1\",pool=\"llama\",state=\"UNHEALTHY\"} 0.0")
        .contains("nines_host_health_state{host=\"h2\",pool=\"mistral\",state=\"UNHEALTHY\"} 1.0")
        .contains("nines_host_health_state{host=\"h2\",pool=\"mistral\",state=\"HEALTHY\"} 0.0")
        .contains("nines_host_routing_state{host=\"h1\",pool=\"llama\",state=\"ACTIVE\"} 1.0")
        .contains("nines_host_routing_state{host=\"h1\",pool=\"llama\",state=\"DRAINED\"} 0.0")
        .contains("nines_host_last_report_age_seconds{host=\"h1\",pool=\"llama\"} 25.0")
        .contains("nines_host_last_report_age_seconds{host=\"h2\",pool=\"mistral\"} 15.0")
        .contains("nines_gpu_temperature_celsius{gpu=\"0\",host=\"h1\",pool=\"llama\"} 62.0")
        .contains("nines_gpu_utilization_ratio{gpu=\"1\",host=\"h1\",pool=\"llama\"} 0.5")
        .contains("nines_gpu_memory_used_bytes{gpu=\"0\",host=\"h1\",pool=\"llama\"} 6.0E10")
        .contains("nines_gpu_memory_total_bytes{gpu=\"0\",host=\"h1\",pool=\"llama\"} 8.0E10")
        .contains("nines_gpu_power_watts{gpu=\"0\",host=\"h1\",pool=\"llama\"} 600.0")
        .contains("nines_gpu_ecc_uncorrectable_errors{gpu=\"1\",host=\"h1\",pool=\"llama\"} 2.0");
    String ep = "endpoint=\"http://127.0.0.1:8000\",";
    assertThat(page)
        .contains("nines_endpoint_probe_latency_seconds{" + ep + "host=\"h1\",pool=\"llama\",probe=\"generation\"} 0.0455")
        .contains("nines_endpoint_probe_success{" + ep + "host=\"h2\",pool=\"mistral\",probe=\"generation\"} 0.0")
        .contains("nines_endpoint_request_latency_seconds{" + ep + "host=\"h1\",percentile=\"p95\",pool=\"llama\"} 0.21")
        .contains("nines_endpoint_requests_total{" + ep + "host=\"h1\",pool=\"llama\"} 240.0")
        .contains("nines_endpoint_request_errors_total{" + ep + "host=\"h1\",pool=\"llama\"} 6.0")
        .contains("nines_endpoint_requests_total{" + ep + "host=\"h2\",pool=\"mistral\"} 480.0");
    // mistral: up [T0, T0 + 15 s), down [T0 + 15 s, T0 + 30 s); burn (1 - 0.5) / 0.001
    assertThat(page)
        .contains("nines_pool_availability_ratio{pool=\"llama\",window=\"1h\"} 1.0")
        .contains("nines_pool_availability_ratio{pool=\"mistral\",window=\"1h\"} 0.5")
        .contains("nines_pool_availability_ratio{pool=\"mistral\",window=\"30d\"} 0.5")
        .contains("nines_pool_state{pool=\"llama\",state=\"UP\"} 1.0")
        .contains("nines_pool_state{pool=\"mistral\",state=\"DOWN\"} 1.0")
        .contains("nines_pool_state{pool=\"mistral\",state=\"UP\"} 0.0")
        .contains("nines_pool_members{pool=\"mistral\"} 1.0")
        .contains("nines_pool_members_up{pool=\"mistral\"} 0.0")
        .contains("nines_pool_members_up{pool=\"llama\"} 1.0")
        .contains("nines_pool_error_budget_remaining_ratio{pool=\"llama\"} 1.0")
        // burn 500x over every window that holds data: both paging conditions fire for mistral
        .contains("nines_pool_burn_rate_alert{condition=\"page-14.4x-1h-5m\",pool=\"mistral\"} 1.0")
        .contains("nines_pool_burn_rate_alert{condition=\"page-6x-6h-30m\",pool=\"mistral\"} 1.0")
        .contains("nines_pool_burn_rate_alert{condition=\"page-14.4x-1h-5m\",pool=\"llama\"} 0.0");
    assertThat(value(page, "nines_pool_error_budget_burn_rate{pool=\"mistral\",window=\"5m\"}")).isCloseTo(500.0, within(1e-6));
    assertThat(value(page, "nines_pool_error_budget_remaining_ratio{pool=\"mistral\"}")).isCloseTo(-499.0, within(1e-6));
  }

  @Test
  void aForgottenHostsSeriesLeaveThePage() {
    knownFleet();
    assertThat(page()).contains("host=\"h2\"").contains("pool=\"mistral\"");

    forget("h2");
    clock.advance(Duration.ofSeconds(15)); // both refresh periods

    String page = page();
    assertThat(page).doesNotContain("host=\"h2\"").doesNotContain("pool=\"mistral\"");
    assertThat(page).contains("nines_host_health_state{host=\"h1\",pool=\"llama\",state=\"HEALTHY\"} 1.0");
  }

  @Test
  void countersOfAHostThatComesBackStartAgainFromItsNewReports() {
    knownFleet();
    forget("h1");
    clock.advance(Duration.ofSeconds(15));
    assertThat(page()).doesNotContain("host=\"h1\"");

    post(report("h1", 10, 0.2, 50));
    clock.advance(Duration.ofSeconds(5));
    await()
        .atMost(WAIT)
        .until(() -> page().contains("nines_endpoint_requests_total{endpoint=\"http://127.0.0.1:8000\",host=\"h1\",pool=\"llama\"} 120.0"));
  }

  @Test
  void xidEventsAreCountedPerGpuAndCodeOnceForEveryStoredReport() {
    post(withXids(withXids(report("h1", 1, 0.2, 61), 0, 79, 79), 1, 13));
    post(withXids(report("h1", 2, 0.2, 61), 0, 79));
    post(report("h3", 1, 0.2, 61)); // no XID: no series
    String xid79 = "nines_gpu_xid_errors_total{gpu=\"0\",host=\"h1\",pool=\"llama\",xid=\"79\"}";
    await().atMost(WAIT).until(() -> page().contains(xid79 + " 3.0"));
    String page = page();
    assertThat(page)
        .contains("# TYPE nines_gpu_xid_errors_total counter")
        .containsPattern("# HELP nines_gpu_xid_errors_total \\S+")
        .contains("nines_gpu_xid_errors_total{gpu=\"1\",host=\"h1\",pool=\"llama\",xid=\"13\"} 1.0")
        .doesNotContain("nines_gpu_xid_errors_total{gpu=\"1\",host=\"h1\",pool=\"llama\",xid=\"79\"}")
        .doesNotContain("nines_gpu_xid_errors_total{gpu=\"0\",host=\"h3\"");

    // a replayed report is a duplicate: its events are not counted again. The counters follow the
    // writer's callbacks in commit order, so once h3's later XID shows, the replay was handled.
    post(withXids(report("h1", 2, 0.2, 61), 0, 79));
    post(withXids(report("h3", 2, 0.2, 61), 0, 48));
    await().atMost(WAIT).until(() -> page().contains("nines_gpu_xid_errors_total{gpu=\"0\",host=\"h3\",pool=\"llama\",xid=\"48\"} 1.0"));
    assertThat(value(page(), xid79)).isEqualTo(3.0);
  }

  @Test
  void xidSeriesOfAForgottenHostLeaveThePage() {
    post(withXids(report("h1", 1, 0.2, 61), 0, 79));
    post(withXids(report("h3", 1, 0.2, 61), 1, 31));
    await().atMost(WAIT).until(() -> page().contains("host=\"h3\",pool=\"llama\",xid=\"31\"} 1.0"));

    forget("h3");
    clock.advance(Duration.ofSeconds(15));
    String page = page();
    assertThat(page).doesNotContain("host=\"h3\"");
    assertThat(page).contains("nines_gpu_xid_errors_total{gpu=\"0\",host=\"h1\",pool=\"llama\",xid=\"79\"} 1.0");
  }

  @Test
  void poolSloTargetIsOnThePageAndFollowsThePoolsConfig() {
    knownFleet();
    assertThat(page())
        .contains("# TYPE nines_pool_slo_target_ratio gauge")
        .contains("nines_pool_slo_target_ratio{pool=\"llama\"} 0.999")
        .contains("nines_pool_slo_target_ratio{pool=\"mistral\"} 0.999");

    var res = api.send(
        HttpRequest.newBuilder(URI.create(api.base + "/api/v1/pools/mistral/config"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + ADMIN)
            .PUT(HttpRequest.BodyPublishers.ofString("{\"slo\": {\"target\": 0.99, \"period\": \"30d\"}}"))
            .build());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    await().atMost(WAIT).untilAsserted(() -> {
      clock.advance(Duration.ofSeconds(15)); // the page's pool refresh period
      assertThat(page())
          .contains("nines_pool_slo_target_ratio{pool=\"mistral\"} 0.99\n")
          .contains("nines_pool_slo_target_ratio{pool=\"llama\"} 0.999");
    });
  }

  @Test
  void promtoolFindsNoProblemOnThePage() throws Exception {
    knownFleet();
    post(withXids(report("h3", 1, 0.2, 61), 0, 79, 13));
    await().atMost(WAIT).until(() -> page().contains("nines_gpu_xid_errors_total{"));
    Path promtool = promtool();
    String page = page();

    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(page.getBytes(StandardCharsets.UTF_8));
    }
    String out = readAll(p.getInputStream());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    assertThat(out).as("promtool's findings").isBlank();
    assertThat(p.exitValue()).as(out).isZero();
  }

  /** The promtool on the PATH; skips when there is none, unless CI is set (CI must install it). */
  static Path promtool() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "promtool");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    if (System.getenv("CI") != null) {
      throw new AssertionError("promtool is not installed; CI must install it (apt-get install prometheus)");
    }
    assumeThat(false).as("promtool is not installed (apt-get install prometheus)").isTrue();
    throw new AssertionError("unreachable");
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    in.transferTo(buf);
    return buf.toString(StandardCharsets.UTF_8);
  }

  /** The value of the one sample whose name and labels are {@code series}. */
  static double value(String page, String series) {
    List<String> lines = page.lines().filter(l -> l.startsWith(series + " ")).toList();
    assertThat(lines).as(series).hasSize(1);
    return Double.parseDouble(lines.get(0).substring(series.length() + 1));
  }

  /** Removes every row of a host, as a future "forget host" would. */
  private void forget(String host) {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("nines.db"));
        Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = 5000");
      for (String table : List.of("hosts:id", "routing:host_id", "host_health:host_id", "health_intervals:host_id")) {
        String[] t = table.split(":");
        st.executeUpdate("DELETE FROM " + t[0] + " WHERE " + t[1] + " = '" + host + "'");
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}

package dev.nines.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.nines.protocol.AgentReport;
import dev.nines.protocol.RoutingState;
import dev.nines.server.api.Json;
import dev.nines.server.auth.Access;
import dev.nines.server.auth.TokenService;
import dev.nines.server.events.EventHub;
import dev.nines.server.health.HealthConfig;
import dev.nines.server.health.PoolContext;
import dev.nines.server.healthwatch.HealthWatch;
import dev.nines.server.store.ReportRecord;
import dev.nines.server.store.RoutingRecord;
import dev.nines.server.store.Store;
import dev.nines.server.store.Stores;
import dev.nines.server.store.WriteResult;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU cost per report of the steps of the ingest path that were changed for throughput, old way
 * against new, measured as this thread's CPU time (so other load on the machine distorts it less
 * than wall time). Not a test: run with {@code -Dnines.bench=true -Dtest=IngestPathBench}.
 */
@EnabledIfSystemProperty(named = "nines.bench", matches = "true")
class IngestPathBench {
  static final int HOSTS = 1000;
  static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
  @TempDir Path dir;

  interface Step {
    void run(int i) throws Exception;
  }

  /** CPU microseconds per call, after a warm-up of the same length. */
  static double micros(int n, Step step) throws Exception {
    for (int round = 0; round < 2; round++) {
      long t0 = CPU.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        step.run(i);
      }
      if (round == 1) {
        return (CPU.getCurrentThreadCpuTime() - t0) / 1000.0 / n;
      }
    }
    throw new AssertionError();
  }

  @Test
  void measureTheChangedSteps() throws Exception {
    IngestLoad.Options o =
        IngestLoad.Options.parse(new String[] {"--url=http://127.0.0.1:1", "--token=x", "--agents=" + HOSTS});
    ObjectMapper fast = ((JsonMapper) Json.api()).rebuild().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
    ObjectMapper plain = Json.api();
    ObjectMapper storage = Json.storage();
    List<byte[]> bodies = new ArrayList<>();
    List<AgentReport> reports = new ArrayList<>();
    for (int a = 0; a < HOSTS; a++) {
      byte[] body = IngestLoad.Template.of(fast, IngestLoad.report(a, o)).bytesFor(1, Fixtures.T0);
      bodies.add(body);
      reports.add(fast.readValue(body, AgentReport.class));
    }
    int n = 50_000;
    double parsePlain = micros(n, i -> plain.readValue(bodies.get(i % HOSTS), AgentReport.class));
    double parseFast = micros(n, i -> fast.readValue(bodies.get(i % HOSTS), AgentReport.class));
    double writeJson = micros(n, i -> storage.writeValueAsString(reports.get(i % HOSTS)));
    double rawString = micros(n, i -> new String(bodies.get(i % HOSTS), StandardCharsets.UTF_8));

    // The pool context as it was built per report: every host visited, the pool's figures sorted.
    Map<String, Double> p95 = new HashMap<>();
    Map<String, String> pool = new HashMap<>();
    for (AgentReport r : reports) {
      p95.put(r.agentId(), 180.0 + r.seq());
      pool.put(r.agentId(), r.pool());
    }
    double gather =
        micros(
            n,
            i -> {
              String mine = reports.get(i % HOSTS).pool();
              List<Double> figures = new ArrayList<>();
              for (Map.Entry<String, String> e : pool.entrySet()) {
                if (mine.equals(e.getValue())) {
                  figures.add(p95.get(e.getKey()));
                }
              }
              PoolContext.ofMemberP95s(figures, 3);
            });

    // The whole health step per report, now: with the parsed report handed over, and parsing again.
    double judgeParsed;
    double judgeReparse;
    try (Store store = Stores.open(dir.resolve("b.db").toString(), Clock.systemUTC());
        EventHub events = new EventHub(new Access(new TokenService(store, Clock.systemUTC())), fast, Duration.ofHours(1))) {
      HealthWatch health = new HealthWatch(store, events, HealthConfig.defaultsOnly(), fast, Clock.systemUTC());
      long[] seq = {1};
      RoutingRecord routing = new RoutingRecord(RoutingState.ACTIVE, null, 0, RoutingRecord.SYSTEM);
      Step judge =
          i -> {
            AgentReport r = reports.get(i % HOSTS);
            long s = seq[0]++;
            ReportRecord rec =
                new ReportRecord(r.agentId(), s, r.collectedAtMs(), Fixtures.T0 + s, r.pool(), "{}",
                    new String(bodies.get(i % HOSTS), StandardCharsets.UTF_8));
            health.committed(List.of(new WriteResult(rec, false, routing)), List.of(r));
          };
      Step reparse =
          i -> {
            AgentReport r = reports.get(i % HOSTS);
            long s = seq[0]++;
            ReportRecord rec =
                new ReportRecord(r.agentId(), s, r.collectedAtMs(), Fixtures.T0 + s, r.pool(), "{}",
                    new String(bodies.get(i % HOSTS), StandardCharsets.UTF_8));
            health.committed(List.of(new WriteResult(rec, false, routing)));
          };
      judgeParsed = micros(n, judge);
      judgeReparse = micros(n, reparse);
    }
    System.out.printf(
        Locale.ROOT,
        "BENCH per report, CPU us (%d-byte reports, %d hosts in %d pools):%n"
            + "  parse: %.1f (Jackson's default double parser) -> %.1f (fast double parser)%n"
            + "  body to store: %.1f (write the report as JSON) -> %.1f (the received bytes as a String)%n"
            + "  pool context: %.1f (visit every host, sort the pool) -> O(1) read of the kept sorted figures%n"
            + "  health step: %.1f (parse the stored JSON again) -> %.1f (the parsed report handed over)%n",
        bodies.get(0).length, HOSTS, o.pools(), parsePlain, parseFast, writeJson, rawString, gather, judgeReparse,
        judgeParsed);
    assertThat(parseFast).isPositive();
  }
}

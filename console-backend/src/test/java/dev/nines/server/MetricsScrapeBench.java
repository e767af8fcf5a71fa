package dev.nines.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.protocol.AgentReport;
import dev.nines.protocol.EndpointReport;
import dev.nines.protocol.GpuMetrics;
import dev.nines.protocol.GpuSection;
import dev.nines.protocol.ProbeResult;
import dev.nines.protocol.Protocol;
import dev.nines.protocol.ServerStats;
import dev.nines.server.api.Json;
import dev.nines.server.metrics.FleetMetrics;
import dev.nines.server.config.ServerConfig;
import dev.nines.server.metrics.PoolServiceFigures;
import dev.nines.server.pools.PoolService;
import dev.nines.server.store.HealthInterval;
import dev.nines.server.store.ReportRecord;
import dev.nines.server.store.Store;
import dev.nines.server.store.Stores;
import dev.nines.server.store.WriteResult;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Measures {@code /metrics} for a large fleet: 1,000 hosts x 8 GPUs x 2 endpoints in 10 pools, each
 * host with 20 health changes over the last 30 days. Run on demand:
 * {@code mvn -q -o -pl console-backend test-compile exec:java} is not set up; run the class from the
 * test classpath, e.g. {@code java -cp "$(cat cp.txt):target/classes:target/test-classes" dev.nines.server.MetricsScrapeBench}.
 */
public final class MetricsScrapeBench {
  static final int HOSTS = 1_000;
  static final int GPUS = 8;
  static final int ENDPOINTS = 2;
  static final int POOLS = 10;
  static final int CHANGES = 20;

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("nines-scrape-bench");
    long now = 1_700_000_000_000L + 31L * 86_400_000L;
    MovableClock clock = new MovableClock(now);
    ObjectMapper storage = Json.storage();
    try (Store store = Stores.open(dir.resolve("nines.db").toString(), clock)) {
      List<ReportRecord> batch = new ArrayList<>();
      for (int h = 0; h < HOSTS; h++) {
        batch.add(record(storage, h, 1, now - 2_000));
      }
      List<WriteResult> stored = store.writeReports(batch);
      long span = 30L * 86_400_000L;
      for (int h = 0; h < HOSTS; h++) {
        for (int c = 0; c < CHANGES; c++) {
          long at = now - span + c * (span / CHANGES) + h;
          String state = c % 2 == 0 ? "HEALTHY" : (c % 4 == 1 ? "UNHEALTHY" : "DEGRADED");
          store.recordHealthChange(new HealthInterval(host(h), state, at, null, "[]", "bench", "{}"));
        }
      }
      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      PoolServiceFigures pools =
          new PoolServiceFigures(
              new PoolService(
                  store, ServerConfig.defaults(), store::requestCounts, java.time.Duration.ZERO));
      FleetMetrics fleet =
          new FleetMetrics(store, pools, Json.api(), clock, FleetMetrics.HOST_REFRESH, FleetMetrics.POOL_REFRESH);
      meters.getPrometheusRegistry().register(fleet);

      // counters: the writer's extra work per stored report
      for (int i = 0; i < 5; i++) {
        fleet.committed(stored);
      }
      long t = System.nanoTime();
      int rounds = 20;
      for (int i = 0; i < rounds; i++) {
        fleet.committed(stored);
      }
      double perReportUs = (System.nanoTime() - t) / 1e3 / (rounds * (double) HOSTS);

      t = System.nanoTime();
      String page = meters.scrape();
      double cold = ms(t);
      long series = page.lines().filter(l -> !l.startsWith("#")).count();

      double[] warm = new double[10];
      for (int i = 0; i < warm.length; i++) {
        t = System.nanoTime();
        meters.scrape();
        warm[i] = ms(t);
      }
      double[] hostRefresh = new double[5];
      for (int i = 0; i < hostRefresh.length; i++) {
        clock.advance(FleetMetrics.HOST_REFRESH); // host part rebuilt, reports unchanged, pools cached
        t = System.nanoTime();
        meters.scrape();
        hostRefresh[i] = ms(t);
      }
      batch.clear();
      for (int h = 0; h < HOSTS; h++) {
        batch.add(record(storage, h, 2, clock.millis() - 1_000));
      }
      store.writeReports(batch);
      clock.advance(FleetMetrics.POOL_REFRESH); // everything rebuilt, every report parsed again
      t = System.nanoTime();
      meters.scrape();
      double full = ms(t);
      double[] poolOnly = new double[3];
      for (int i = 0; i < poolOnly.length; i++) {
        t = System.nanoTime();
        pools.snapshot(clock.instant());
        poolOnly[i] = ms(t);
      }

      System.out.printf("fleet: %d hosts x %d GPUs x %d endpoints, %d pools, %d health changes per host%n",
          HOSTS, GPUS, ENDPOINTS, POOLS, CHANGES);
      System.out.printf("page: %,d bytes, %,d samples%n", page.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, series);
      System.out.printf("cold scrape (parse all, pools): %.1f ms%n", cold);
      System.out.printf("cached scrape: median %.1f ms (min %.1f)%n", median(warm), Arrays.stream(warm).min().getAsDouble());
      System.out.printf("scrape with host refresh, no new reports: median %.1f ms%n", median(hostRefresh));
      System.out.printf("scrape with full refresh, every report new: %.1f ms%n", full);
      System.out.printf("pool figures alone (pool service): median %.1f ms%n", median(poolOnly));
      System.out.printf("counter update per stored report (writer thread): %.1f us%n", perReportUs);
      meters.close();
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  static String host(int h) {
    return String.format("gpu-node-%04d", h);
  }

  static ReportRecord record(ObjectMapper json, int h, long seq, long receivedAtMs) throws Exception {
    AgentReport base = Fixtures.report(host(h), seq, 0.3, 55);
    List<GpuMetrics> gpus = new ArrayList<>();
    for (int g = 0; g < GPUS; g++) {
      gpus.add(new GpuMetrics(g, "GPU-" + h + "-" + g, "H100", 0.8, 0.3, 80_000_000_000L, 40_000_000_000L + g,
          60.0 + g, 500.0, 700.0, 0L, 0L, List.of(), List.of()));
    }
    List<EndpointReport> eps = new ArrayList<>();
    for (int e = 0; e < ENDPOINTS; e++) {
      eps.add(new EndpointReport("http://127.0.0.1:" + (8000 + e), "vllm",
          new ProbeResult(true, 200, 2.0, false, null, receivedAtMs),
          new ProbeResult(true, 200, 40.0, false, null, receivedAtMs),
          new ServerStats(true, null, "vllm", 100L, 1L, 90.0, 80.0, 200.0, 400.0, 3.0, 0.0, 0)));
    }
    AgentReport r = new AgentReport(Protocol.CURRENT_VERSION, host(h), seq, receivedAtMs, 5000,
        Map.of("pool", "pool-" + (h % POOLS)), "0.1.0", base.host(),
        new GpuSection(true, null, "sim", "550.0", gpus), eps);
    return new ReportRecord(host(h), seq, receivedAtMs, receivedAtMs, r.pool(),
        json.writeValueAsString(r.labels()), json.writeValueAsString(r));
  }

  static double ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private MetricsScrapeBench() {}
}

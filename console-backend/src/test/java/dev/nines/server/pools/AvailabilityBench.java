package dev.nines.server.pools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.server.availability.AvailabilityFigures;
import dev.nines.server.availability.BurnWindow;
import dev.nines.server.availability.Window;
import dev.nines.server.store.BenchSamples;
import dev.nines.server.config.ServerConfig;
import dev.nines.server.store.HealthInterval;
import dev.nines.server.store.ReportRecord;
import dev.nines.server.store.Store;
import dev.nines.server.store.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a test: run with {@code -Dnines.bench=true -Dtest=AvailabilityBench}. Stores 30
 * days of realistic health and routing flapping for 1,000 hosts of one pool in a real SQLite file,
 * then times the pool's full status (30-day SLO, 1h/1d/30d, six burn windows) and every host's
 * 30-day availability, through the store. Goal: <= 2 s.
 */
@EnabledIfSystemProperty(named = "nines.bench", matches = "true")
class AvailabilityBench {
  static final long DAY = 86_400_000L;
  static final long MIN = 60_000L;
  @TempDir Path dir;

  @Test
  void thirtyDaysOfAThousandHosts() {
    int hosts = Integer.getInteger("nines.bench.hosts", 1000);
    long end = 1_700_000_000_000L; // a multiple of 10 s
    long start = end - 30 * DAY;
    long rollout = start + 12 * DAY; // a bad rollout: 5 % of hosts flap every 10-60 s for 4 h
    long[] correlated = {start + 9 * DAY + 37 * MIN, start + 23 * DAY + 4 * 60 * MIN}; // 15 % down 20 min
    Random random = new Random(42);
    long changes = 0;
    long t0 = System.nanoTime();
    String file = dir.resolve("bench.db").toString();
    List<String> ids = new ArrayList<>();
    try (Store store = Stores.open(file, Clock.fixed(Instant.ofEpochMilli(start), ZoneOffset.UTC))) {
      List<ReportRecord> first = new ArrayList<>();
      for (int h = 0; h < hosts; h++) {
        ids.add(id(h));
        first.add(new ReportRecord(id(h), 1, start, start, "big", "{}", "{}"));
      }
      store.writeReports(first);
      for (int h = 0; h < hosts; h++) {
        boolean flapper = h % 100 == 0; // 1 % of hosts flap every few minutes all month
        boolean rolledOut = h % 20 == 1;
        boolean correlatedVictim = h % 7 == 2;
        long t = start;
        store.recordHealthChange(open(id(h), "HEALTHY", t));
        changes++;
        List<long[]> events = new ArrayList<>(); // {from, to, kind}
        while (true) {
          t = step(t + exp(random, flapper ? 10 * MIN : 12 * 60 * MIN));
          long lasts = 0;
          double kind = random.nextDouble();
          int k = kind < 0.5 ? 0 : kind < 0.8 ? 1 : 2;
          lasts = exp(random, k == 2 ? MIN : k == 1 ? 30 * MIN : 10 * MIN);
          if (t >= end) {
            break;
          }
          events.add(new long[] {t, step(t + lasts) == t ? t + 10_000 : step(t + lasts), k});
          t = events.get(events.size() - 1)[1];
        }
        if (rolledOut) {
          for (long r = rollout; r < rollout + 4 * 60 * MIN; ) {
            long down = step(r + exp(random, 20_000));
            long up = Math.max(down + 10_000, step(down + exp(random, 20_000)));
            events.add(new long[] {down, up, 0});
            r = up + 10_000;
          }
        }
        if (correlatedVictim) {
          for (long c : correlated) {
            events.add(new long[] {c, c + 20 * MIN, 0});
          }
        }
        events.sort((a, b) -> Long.compare(a[0], b[0]));
        long free = start + 10_000;
        for (long[] e : events) {
          if (e[0] < free || e[1] >= end) {
            continue; // overlaps the previous one
          }
          String bad = e[2] == 0 ? "UNHEALTHY" : e[2] == 1 ? "DEGRADED" : "UNKNOWN";
          boolean maintenance = !flapper && e[1] - e[0] > 60_000 && random.nextDouble() < 0.05;
          store.recordHealthChange(open(id(h), bad, e[0]));
          changes++;
          if (maintenance) {
            store.recordRoutingChange(id(h), "MAINTENANCE", "repair", "bench", step(e[0] + (e[1] - e[0]) / 2));
            changes++;
          }
          store.recordHealthChange(open(id(h), "HEALTHY", e[1]));
          changes++;
          if (maintenance) {
            store.recordRoutingChange(id(h), "ACTIVE", null, "bench", e[1] + 5 * MIN);
            changes++;
          }
          free = e[1] + (maintenance ? 5 * MIN + 10_000 : 10_000);
        }
      }
    }
    System.out.printf("stored %d changes for %d hosts in %.1f s%n", changes, hosts, (System.nanoTime() - t0) / 1e9);
    // request counts as retention leaves them: hours up to 1 day ago, minutes up to 1 h ago, raw 10 s
    long t1 = System.nanoTime();
    long rows = BenchSamples.write(file, ids, start, end - DAY, end - MIN, end, 7);
    System.out.printf("stored %d request-count rows (1h, 1m rollups and raw 10 s samples) in %.1f s%n", rows, (System.nanoTime() - t1) / 1e9);

    Window month = new Window(Instant.ofEpochMilli(start), Instant.ofEpochMilli(end));
    try (Store store = Stores.open(file, Clock.fixed(Instant.ofEpochMilli(end), ZoneOffset.UTC))) {
      PoolService pools =
          new PoolService(store, ServerConfig.parse("pools:\n  big: {minActiveFraction: 0.9}\n"),
              RequestCounts.of(store), Duration.ofSeconds(10));
      // the same report without request counts: the time-based figures alone (pool and hosts, SLO)
      PoolService timeOnly =
          new PoolService(store, ServerConfig.parse("pools:\n  big: {minActiveFraction: 0.9}\n"),
              (host, from, to) -> List.of(), Duration.ofSeconds(10));
      for (int round = 1; round <= 4; round++) {
        long a = System.nanoTime();
        PoolReport report = timeOnly.report("big", month).orElseThrow();
        System.out.printf(
            "round %d (%s): 30-day time-based report (pool, SLO, %d hosts) %.0f ms: pool %.6f, %d incidents%n",
            round, round == 1 ? "cold" : "warm", report.hosts().size(), (System.nanoTime() - a) / 1e6,
            report.availability().time().availability().orElse(Double.NaN), report.availability().time().incidentCount());
      }
      for (int round = 1; round <= 3; round++) {
        long a = System.nanoTime();
        PoolReport report = pools.report("big", month).orElseThrow();
        long b = System.nanoTime();
        AvailabilityFigures p = report.availability().time();
        double sum = 0;
        for (AvailabilityReport h : report.hosts()) {
          sum += h.time().availability().orElse(0);
        }
        System.out.printf(
            "round %d (%s): 30-day report with request counts %.0f ms: pool %.6f, downtime %d s, %d incidents, MTTR %.0f s, MTBF %.0f s,"
                + " longest %d s, budget remaining %.3f, burn 1h %.2f, requests %.6f; %d hosts, mean %.6f%n",
            round, "warm", (b - a) / 1e6, p.availability().orElse(Double.NaN), p.downtimeMs() / 1000,
            p.incidentCount(), p.mttrMs().orElse(Double.NaN) / 1000, p.mtbfMs().orElse(Double.NaN) / 1000,
            p.longestOutageMs() / 1000, report.slo().budgetRemaining().orElse(Double.NaN),
            report.slo().burnRate(BurnWindow.H1).orElse(Double.NaN), report.availability().requests().ratio().orElse(Double.NaN),
            report.hosts().size(), sum / hosts);
        assertThat(report.hosts()).hasSize(hosts);
      }
      long r0 = System.nanoTime();
      store.requestCountsOf(ids, start, end);
      long r1 = System.nanoTime();
      store.healthIntervalsOf(ids, start - 3 * DAY, end);
      store.routingIntervalsOf(ids, start - 3 * DAY, end);
      long r2 = System.nanoTime();
      System.out.printf("of which: request counts of all hosts %.0f ms; health and routing intervals %.0f ms%n", (r1 - r0) / 1e6, (r2 - r1) / 1e6);
      long a = System.nanoTime();
      PoolStatus status = pools.pool("big", month.to()).orElseThrow();
      System.out.printf("pool status (30d SLO, 1h/1d/30d, 6 burn windows, requests) %.0f ms%n", (System.nanoTime() - a) / 1e6);
      assertThat(status.memberCount()).isEqualTo(hosts);
    }
  }

  private static long step(long ms) {
    return ms - Math.floorMod(ms, 10_000L);
  }

  private static String id(int h) {
    return String.format("gpu-%04d", h);
  }

  private static HealthInterval open(String host, String state, long at) {
    return new HealthInterval(host, state, at, null, "[]", state, "{}");
  }

  private static long exp(Random r, long meanMs) {
    return Math.max(10_000L, (long) (-Math.log(1 - r.nextDouble()) * meanMs));
  }
}

package dev.nines.server.pools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.server.availability.Window;
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
    long end = 1_700_000_000_000L;
    long start = end - 30 * DAY;
    Random random = new Random(42);
    long changes = 0;
    long t0 = System.nanoTime();
    try (Store store = Stores.open(dir.resolve("bench.db").toString(), Clock.fixed(Instant.ofEpochMilli(start), ZoneOffset.UTC))) {
      List<ReportRecord> first = new ArrayList<>();
      for (int h = 0; h < hosts; h++) {
        first.add(new ReportRecord(id(h), 1, start, start, "big", "{}", "{}"));
      }
      store.writeReports(first);
      for (int h = 0; h < hosts; h++) {
        boolean flapper = h % 100 == 0; // 1 % of hosts flap every few minutes
        long t = start;
        store.recordHealthChange(open(id(h), "HEALTHY", t));
        changes++;
        while (true) {
          t += exp(random, flapper ? 10 * MIN : 12 * 60 * MIN);
          if (t >= end) {
            break;
          }
          double kind = random.nextDouble();
          String bad = kind < 0.5 ? "UNHEALTHY" : kind < 0.8 ? "DEGRADED" : "UNKNOWN";
          long lasts = exp(random, bad.equals("UNKNOWN") ? MIN : bad.equals("DEGRADED") ? 30 * MIN : 10 * MIN);
          boolean maintenance = !flapper && random.nextDouble() < 0.05;
          store.recordHealthChange(open(id(h), bad, t));
          changes++;
          if (maintenance) {
            store.recordRoutingChange(id(h), "MAINTENANCE", "repair", "bench", t + lasts / 2);
            changes++;
          }
          t += lasts;
          if (t >= end) {
            break;
          }
          store.recordHealthChange(open(id(h), "HEALTHY", t));
          changes++;
          if (maintenance) {
            store.recordRoutingChange(id(h), "ACTIVE", null, "bench", t + 5 * MIN);
            changes++;
          }
        }
      }
      System.out.printf("stored %d changes for %d hosts in %.1f s%n", changes, hosts, (System.nanoTime() - t0) / 1e9);

      PoolService pools =
          new PoolService(store, ServerConfig.parse("pools:\n  big: {minActiveFraction: 0.9}\n"),
              (host, from, to) -> List.of(), Duration.ofSeconds(10));
      Instant now = Instant.ofEpochMilli(end);
      Window month = new Window(Instant.ofEpochMilli(start), now);
      for (int round = 1; round <= 3; round++) {
        long a = System.nanoTime();
        PoolStatus status = pools.pool("big", now).orElseThrow();
        long b = System.nanoTime();
        double sum = 0;
        for (int h = 0; h < hosts; h++) {
          sum += pools.hostAvailability(id(h), month).orElseThrow().time().availability().orElse(0);
        }
        long c = System.nanoTime();
        System.out.printf(
            "round %d: pool status (30d SLO, 1h/1d/30d, 6 burn windows) %.0f ms; %d hosts' 30-day availability %.0f ms;"
                + " total %.0f ms (pool 30d %.6f, mean host %.6f)%n",
            round, (b - a) / 1e6, hosts, (c - b) / 1e6, (c - a) / 1e6,
            status.availability30d().orElse(Double.NaN), sum / hosts);
        assertThat(status.memberCount()).isEqualTo(hosts);
      }
    }
  }

  private static String id(int h) {
    return String.format("gpu-%04d", h);
  }

  private static HealthInterval open(String host, String state, long at) {
    return new HealthInterval(host, state, at, null, "[]", state, "{}");
  }

  private static long exp(Random r, long meanMs) {
    return Math.max(1_000L, (long) (-Math.log(1 - r.nextDouble()) * meanMs));
  }
}

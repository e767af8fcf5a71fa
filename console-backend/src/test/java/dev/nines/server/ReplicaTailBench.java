package dev.nines.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.server.api.Json;
import dev.nines.server.auth.Access;
import dev.nines.server.auth.TokenService;
import dev.nines.server.events.EventHub;
import dev.nines.server.replica.ReportTail;
import dev.nines.server.store.PostgresServer;
import dev.nines.server.store.ReportRecord;
import dev.nines.server.store.Store;
import dev.nines.server.store.Stores;
import dev.nines.server.store.WriteResult;
import dev.nines.protocol.RoutingState;
import dev.nines.server.store.RoutingRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Costs of the replica tails on PostgreSQL, not tests: run with {@code -Dnines.bench=true
 * -Dtest=ReplicaTailBench}. Prints the time of a report tail pass over a full overlap window, per
 * report delivered, the memory per remembered (agent, seq), an idle event tail pass, and a report
 * batch with the routing cache fresh and expired.
 */
@EnabledIfSystemProperty(named = "nines.bench", matches = "true")
class ReplicaTailBench {
  static final int AGENTS = 1000;
  static final int PER_AGENT = 5; // 1,000 reports/s over the 5 s overlap

  @Test
  void measure() throws Exception {
    String db = PostgresServer.get().newDatabase().urlWithCredentials();
    MovableClock clock = new MovableClock(1_700_000_000_000L);
    IngestLoad.Options o =
        IngestLoad.Options.parse(new String[] {"--url=http://127.0.0.1:1", "--token=x", "--agents=" + AGENTS});
    List<String> bodies = new ArrayList<>();
    for (int a = 0; a < AGENTS; a++) {
      bodies.add(new String(IngestLoad.Template.of(Fixtures.JSON, IngestLoad.report(a, o)).bytesFor(1, 1), UTF_8));
    }
    long t0 = 1_700_000_000_000L;
    try (Store store = Stores.open(db, clock)) {
      for (int s = 0; s < PER_AGENT; s++) {
        List<ReportRecord> batch = new ArrayList<>();
        for (int a = 0; a < AGENTS; a++) {
          batch.add(new ReportRecord("load-" + a, s + 1, t0, t0 + s * 1000L + a, "p", "{}", bodies.get(a)));
        }
        store.writeReports(batch);
      }
      int[] heard = {0};
      for (int warm = 0; warm < 3; warm++) {
        new ReportTail(store, Json.api(), t0, r -> heard[0] += r.size()).runOnce();
      }
      heard[0] = 0;
      ReportTail tail = new ReportTail(store, Json.api(), t0, r -> heard[0] += r.size());
      long start = System.nanoTime();
      tail.runOnce();
      long first = System.nanoTime() - start;
      List<dev.nines.server.store.ReportKey> keys = store.reportKeysReceivedAfter(t0, "", 0, 10_000);
      start = System.nanoTime();
      store.reports(keys);
      long byKey = System.nanoTime() - start;
      start = System.nanoTime();
      store.reportsReceivedSince(t0, 10_000);
      long range = System.nanoTime() - start;
      System.out.printf(
          "BENCH report bodies: %d by key %.1f ms, the same by range %.1f ms%n", keys.size(), byKey / 1e6, range / 1e6);
      assertThat(heard[0]).isEqualTo(AGENTS * PER_AGENT);
      long[] passes = new long[21];
      for (int i = 0; i < passes.length; i++) {
        start = System.nanoTime();
        tail.runOnce();
        passes[i] = System.nanoTime() - start;
      }
      java.util.Arrays.sort(passes);
      long idleNs = passes[passes.length / 2];
      System.out.printf(
          "BENCH report tail: %d reports of %d bytes: first pass %.1f ms (%.1f us per report delivered, parse included);"
              + " a pass with the window full and nothing new %.1f ms (median) (%d reports re-read)%n",
          heard[0], bodies.get(0).length(), first / 1e6, first / 1e3 / heard[0], idleNs / 1e6, tail.tracked());

      // Memory per remembered (agent, seq): agent ids as the store returns them (distinct strings).
      int n = 200_000;
      ReportTail big =
          new ReportTail(store, Json.api(), t0, Duration.ofSeconds(5), 1000, n, r -> {});
      List<WriteResult> results = new ArrayList<>(n);
      RoutingRecord active = new RoutingRecord(RoutingState.ACTIVE, null, 1, "system");
      for (int i = 0; i < n; i++) {
        results.add(new WriteResult(new ReportRecord(new String("load-" + (i % AGENTS)), i + 1, t0, t0 + i, null, "{}", "{}"), false, active));
      }
      long before = used();
      big.localCommitted(results);
      long after = used();
      System.out.printf(
          "BENCH report tail memory: %d entries, %.0f bytes each (agent id strings shared by the records)%n",
          big.tracked(), (after - before) / (double) n);
      results.clear();

      // The event tail when nothing is new.
      try (EventHub hub =
          EventHub.replicated(
              new Access(new TokenService(store, clock)), Json.api(), Duration.ofSeconds(30), store, null)) {
        for (int i = 0; i < 100; i++) {
          hub.publishDurable("x", t0, Map.of("i", i));
        }
        hub.tailOnce();
        start = System.nanoTime();
        for (int i = 0; i < 100; i++) {
          hub.tailOnce();
        }
        System.out.printf("BENCH event tail: an idle pass %.2f ms%n", (System.nanoTime() - start) / 1e6 / 100);
      }

      // A batch of one report per host, the routing cache fresh vs. older than 1 s.
      long fresh = 0;
      long stale = 0;
      int rounds = 10;
      for (int r = 0; r < rounds; r++) {
        List<ReportRecord> batch = new ArrayList<>();
        for (int a = 0; a < AGENTS; a++) {
          batch.add(new ReportRecord("load-" + a, 100 + 2 * r, t0, clock.millis(), "p", "{}", bodies.get(a)));
        }
        start = System.nanoTime();
        store.writeReports(batch);
        fresh += System.nanoTime() - start;
        clock.advance(Duration.ofMillis(1500));
        batch.clear();
        for (int a = 0; a < AGENTS; a++) {
          batch.add(new ReportRecord("load-" + a, 101 + 2 * r, t0, clock.millis(), "p", "{}", bodies.get(a)));
        }
        start = System.nanoTime();
        store.writeReports(batch);
        stale += System.nanoTime() - start;
        clock.advance(Duration.ofMillis(100));
      }
      System.out.printf(
          "BENCH routing cache: a batch of %d reports (one per host) %.1f ms with the cache fresh, %.1f ms re-reading"
              + " every host's routing row (%.1f us more per report)%n",
          AGENTS, fresh / 1e6 / rounds, stale / 1e6 / rounds, (stale - fresh) / 1e3 / rounds / AGENTS);
    }
  }

  private static long used() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}

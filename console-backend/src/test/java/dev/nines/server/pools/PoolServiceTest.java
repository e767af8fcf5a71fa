package dev.nines.server.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nines.server.availability.AvailabilityFigures;
import dev.nines.server.availability.BurnCondition;
import dev.nines.server.availability.BurnWindow;
import dev.nines.server.availability.RequestCount;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end through a real SQLite store: intervals stored, figures read back. */
class PoolServiceTest {
  static final long T = 1_700_000_000_000L;
  static final long S = 1_000;
  static final long MIN = 60 * S;
  @TempDir Path dir;
  Store store;
  List<RequestCount> counts = new ArrayList<>();
  AtomicInteger countCalls = new AtomicInteger();

  @BeforeEach
  void open() {
    store = Stores.open(dir.resolve("p.db").toString(), Clock.fixed(Instant.ofEpochMilli(T), ZoneOffset.UTC));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private PoolService service(String yaml) {
    RequestCounts fixed =
        (host, from, to) -> {
          countCalls.incrementAndGet();
          return counts;
        };
    return new PoolService(store, ServerConfig.parse(yaml), fixed, Duration.ofSeconds(10));
  }

  /** A host whose first report arrives at {@code atMs} (routing ACTIVE from then on). */
  private void host(String id, String pool, long atMs) {
    store.writeReports(List.of(new ReportRecord(id, 1, atMs, atMs, pool, "{}", "{}")));
  }

  private void health(String id, String state, long atMs) {
    store.recordHealthChange(new HealthInterval(id, state, atMs, null, "[]", state, "{}"));
  }

  private static Window window(long fromMs, long toMs) {
    return new Window(Instant.ofEpochMilli(fromMs), Instant.ofEpochMilli(toMs));
  }

  @Test
  void aWindowThatCutsAnOutageInTwoCountsOnlyItsPart() {
    host("a", "llama", T);
    health("a", "HEALTHY", T);
    health("a", "UNHEALTHY", T + 10 * S);
    health("a", "HEALTHY", T + 20 * S);
    PoolService pools = service("");

    AvailabilityFigures f = pools.hostAvailability("a", window(T + 15 * S, T + 40 * S)).orElseThrow().time();
    assertThat(f.downMs()).isEqualTo(5 * S);
    assertThat(f.upMs()).isEqualTo(20 * S);
    assertThat(f.availability().getAsDouble()).isEqualTo(20.0 / 25.0);
    assertThat(f.incidentCount()).isEqualTo(1);
    assertThat(f.outages().get(0).start()).isEqualTo(Instant.ofEpochMilli(T + 15 * S));
    assertThat(f.mttrMs().getAsDouble()).isEqualTo(5 * S);

    AvailabilityFigures first = pools.hostAvailability("a", window(T, T + 15 * S)).orElseThrow().time();
    assertThat(first.downMs()).isEqualTo(5 * S);
    assertThat(first.outages().get(0).endedInWindow()).isFalse();
    assertThat(first.mttrMs()).isEmpty();
  }

  @Test
  void maintenanceOverlappingAnOutageIsExcludedFromBothSides() {
    host("a", "llama", T);
    health("a", "HEALTHY", T);
    health("a", "UNHEALTHY", T + 10 * S);
    store.recordRoutingChange("a", "MAINTENANCE", "swap GPU", "alice", T + 15 * S);
    health("a", "HEALTHY", T + 20 * S);
    store.recordRoutingChange("a", "ACTIVE", null, "alice", T + 25 * S);

    AvailabilityFigures f = service("").hostAvailability("a", window(T, T + 40 * S)).orElseThrow().time();
    assertThat(f.downMs()).isEqualTo(5 * S); // 10..15 only
    assertThat(f.excludedMs()).isEqualTo(10 * S); // 15..25
    assertThat(f.upMs()).isEqualTo(25 * S); // 0..10 and 25..40
    assertThat(f.availability().getAsDouble()).isEqualTo(25.0 / 30.0);
    assertThat(f.downtimeMs()).isEqualTo(5 * S);
  }

  @Test
  void aHostThatNeverReportedInTheWindowHasNoFigureAndDoesNotCountInThePool() {
    host("a", "llama", T);
    health("a", "HEALTHY", T);
    host("late", "llama", T + 50 * S);
    health("late", "UNHEALTHY", T + 50 * S);
    PoolService pools = service("pools:\n  llama:\n    minActive: 1\n");

    AvailabilityFigures late = pools.hostAvailability("late", window(T, T + 40 * S)).orElseThrow().time();
    assertThat(late.availability()).isEmpty();
    assertThat(late.countedMs()).isZero();
    assertThat(late.excludedMs()).isEqualTo(40 * S);

    // before "late" joined, the pool of one healthy member was up the whole time
    AvailabilityFigures pool = pools.poolAvailability("llama", window(T, T + 40 * S)).orElseThrow().time();
    assertThat(pool.upMs()).isEqualTo(40 * S);

    assertThat(pools.hostAvailability("nobody", window(T, T + 1))).isEmpty();
    assertThat(pools.poolAvailability("nopool", window(T, T + 1))).isEmpty();
  }

  @Test
  void aPoolIsDownWhileFewerThanItsGuardServe() {
    for (String h : List.of("a", "b", "c", "d")) {
      host(h, "llama", T);
      health(h, "HEALTHY", T);
    }
    // minActiveFraction 0.5 of 4: two must serve
    health("a", "UNHEALTHY", T + 10 * S);
    health("b", "DEGRADED", T + 20 * S);
    health("c", "UNHEALTHY", T + 30 * S); // from here only d (HEALTHY) and b (DEGRADED)
    store.recordRoutingChange("d", "DRAINING", "policy", "policy", T + 40 * S); // b alone
    health("a", "HEALTHY", T + 50 * S); // a and b again
    PoolService down = service("pools:\n  llama:\n    degraded: down\n");
    AvailabilityFigures f = down.poolAvailability("llama", window(T, T + 60 * S)).orElseThrow().time();
    assertThat(f.upMs()).isEqualTo(30 * S); // 0..30
    assertThat(f.degradedMs()).isEqualTo(20 * S); // 30..40 (d+b) and 50..60 (a+b)
    assertThat(f.downMs()).isEqualTo(10 * S); // 40..50
    assertThat(f.availability().getAsDouble()).isEqualTo(0.5);

    PoolService weighted = service("pools:\n  llama:\n    degraded: 0.3\n");
    AvailabilityFigures w = weighted.poolAvailability("llama", window(T, T + 60 * S)).orElseThrow().time();
    assertThat(w.availability().getAsDouble()).isCloseTo((30 + 0.3 * 20) / 60.0, within(1e-12));

    PoolStatus now = service("").pool("llama", Instant.ofEpochMilli(T + 60 * S)).orElseThrow();
    assertThat(now.memberCount()).isEqualTo(4);
    assertThat(now.membersUp()).isEqualTo(1); // a; b degraded, c unhealthy, d draining
    assertThat(now.required()).isEqualTo(2);
    assertThat(now.state()).isEqualTo(PoolState.DEGRADED);
    assertThat(now.members()).extracting(MemberStatus::hostId).containsExactly("a", "b", "c", "d");
  }

  @Test
  void theSloBudgetAndBurnRatesComeFromTheStoredTimeline() {
    long now = T + Duration.ofDays(2).toMillis();
    host("a", "llama", T);
    health("a", "HEALTHY", T);
    health("a", "UNHEALTHY", now - 10 * MIN); // the last 10 minutes down
    counts.add(new RequestCount(Instant.ofEpochMilli(now - MIN), 90, 100));
    PoolStatus p = service("pools:\n  llama:\n    minActive: 1\n").pool("llama", Instant.ofEpochMilli(now)).orElseThrow();

    double budget = 0.001;
    double periodAvailability = 1 - 10.0 / (2 * 24 * 60); // counted from the first report: 2 days
    assertThat(p.slo().periodAvailability().getAsDouble()).isCloseTo(periodAvailability, within(1e-12));
    assertThat(p.slo().budgetRemaining().getAsDouble())
        .isCloseTo(1 - (1 - periodAvailability) / budget, within(1e-9));
    assertThat(p.slo().burnRate(BurnWindow.M5).getAsDouble()).isCloseTo(1 / budget, within(1e-6));
    assertThat(p.slo().burnRate(BurnWindow.H1).getAsDouble()).isCloseTo((10.0 / 60) / budget, within(1e-6));
    assertThat(p.slo().check(BurnCondition.PAGE_FAST).firing()).isTrue(); // 166x over 1h, 1000x over 5m
    assertThat(p.availability1h().getAsDouble()).isCloseTo(50.0 / 60, within(1e-12));
    assertThat(p.state()).isEqualTo(PoolState.DOWN);
    assertThat(p.requests().good()).isEqualTo(90);
    assertThat(p.requests().total()).isEqualTo(100);
  }

  @Test
  void poolsComeFromLabelsAndTheConfig() {
    host("a", "llama", T);
    health("a", "HEALTHY", T);
    PoolService pools = service("pools:\n  chat: {minActive: 2}\n");
    assertThat(pools.poolNames()).containsExactly("chat", "llama");
    List<PoolStatus> all = pools.pools(Instant.ofEpochMilli(T + MIN));
    assertThat(all).extracting(PoolStatus::name).containsExactly("chat", "llama");
    assertThat(all.get(0).state()).isEqualTo(PoolState.UNKNOWN);
    assertThat(all.get(0).availability30d()).isEmpty();
    assertThat(all.get(0).requests()).isNull();
    assertThat(all.get(1).state()).isEqualTo(PoolState.UP);
    assertThat(countCalls.get()).isZero(); // the list does not read request counts
  }

  @Test
  void theSnapshotIsReusedWithinItsTtl() {
    host("a", "llama", T);
    health("a", "HEALTHY", T);
    PoolService pools = service("");
    PoolsSnapshot first = pools.snapshot(Instant.ofEpochMilli(T + MIN));
    health("a", "UNHEALTHY", T + MIN + S);
    assertThat(pools.snapshot(Instant.ofEpochMilli(T + MIN + 9 * S))).isSameAs(first);
    PoolsSnapshot later = pools.snapshot(Instant.ofEpochMilli(T + MIN + 10 * S));
    assertThat(later).isNotSameAs(first);
    assertThat(later.pools().get(0).state()).isEqualTo(PoolState.DOWN);
  }

  @Test
  void theUptimeOfAPoolHasTheFiguresOfItsReportAndOfEachDayFromOneRead() {
    long day = 24 * 60 * MIN;
    // history before the window (inside the SLO's 30 days), outages across day boundaries, a drain,
    // a host that joins in the middle of the window
    host("a", "llama", T - 40 * day);
    host("b", "llama", T - 20 * day);
    host("c", "llama", T + day + 5 * MIN);
    health("a", "HEALTHY", T - 40 * day);
    health("a", "UNHEALTHY", T - 2 * day);
    health("a", "HEALTHY", T + 3 * MIN);
    health("a", "DEGRADED", T + day - 10 * MIN);
    health("a", "HEALTHY", T + day + 20 * MIN);
    health("b", "HEALTHY", T - 20 * day);
    store.recordRoutingChange("b", "MAINTENANCE", "patching", "operator:x", T + 2 * day - 30 * MIN);
    store.recordRoutingChange("b", "ACTIVE", "done", "operator:x", T + 2 * day + 30 * MIN);
    health("b", "UNHEALTHY", T + 2 * day + 40 * MIN);
    health("b", "HEALTHY", T + 2 * day + 50 * MIN);
    health("c", "HEALTHY", T + day + 5 * MIN);
    PoolService pools = service("pools:\n  llama:\n    minActive: 2\n    degraded: 0.5\n");
    Window window = window(T, T + 3 * day);
    List<Window> days = List.of(window(T, T + day), window(T + day, T + 2 * day), window(T + 2 * day, T + 3 * day));

    PoolUptime u = pools.uptime("llama", window, days, store.hosts()).orElseThrow();

    assertThat(u.report()).isEqualTo(pools.report("llama", window).orElseThrow());
    assertThat(u.daily()).isEqualTo(pools.poolFigures("llama", days).orElseThrow());
    assertThat(u.daily().get(0).downtimeMs()).isGreaterThan(0);
    assertThat(pools.uptime("nope", window, days, store.hosts())).isEmpty();
  }
}

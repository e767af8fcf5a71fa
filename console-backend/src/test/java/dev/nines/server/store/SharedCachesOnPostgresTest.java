package dev.nines.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.protocol.RoutingState;
import dev.nines.server.MovableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The writer's caches with two stores (two replicas) on one PostgreSQL database: a routing change or
 * a retention watermark made by the other one is seen within the age limit, or at once for routing
 * when told ({@link Store#forgetRouting}).
 */
class SharedCachesOnPostgresTest {
  static final long T0 = 1_700_000_000_000L;
  final MovableClock clock = new MovableClock(T0);
  Store a;
  Store b;

  @BeforeEach
  void open() {
    String db = PostgresServer.get().newDatabase().urlWithCredentials();
    a = Stores.open(db, clock);
    b = Stores.open(db, clock);
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  private ReportRecord report(String agent, long seq) {
    return new ReportRecord(agent, seq, clock.millis(), clock.millis(), null, "{}", "{\"seq\":" + seq + "}");
  }

  private RoutingState desired(Store s, String agent, long seq) {
    List<WriteResult> r = s.writeReports(List.of(report(agent, seq)));
    return r.get(0).routing().state();
  }

  @Test
  void routingChangedByAnotherReplicaReachesRepliesWithinOneSecond() {
    assertThat(desired(a, "h1", 1)).isEqualTo(RoutingState.ACTIVE);
    clock.advance(Duration.ofMillis(100));
    b.recordRoutingChange("h1", "DRAINING", "drill", "policy", clock.millis());
    clock.advance(Duration.ofMillis(100));
    assertThat(desired(a, "h1", 2)).as("A's cached row, read 200 ms ago").isEqualTo(RoutingState.ACTIVE);
    clock.advance(Duration.ofMillis(900));
    assertThat(desired(a, "h1", 3)).isEqualTo(RoutingState.DRAINING);
    // The re-read row is cached again from now on.
    clock.advance(Duration.ofMillis(500));
    b.recordRoutingChange("h1", "DRAINED", "drill", "policy", clock.millis());
    assertThat(desired(a, "h1", 4)).isEqualTo(RoutingState.DRAINING);
  }

  @Test
  void forgetRoutingMakesTheNextReplyCarryTheStoredRowAtOnce() {
    assertThat(desired(a, "h1", 1)).isEqualTo(RoutingState.ACTIVE);
    b.recordRoutingChange("h1", "MAINTENANCE", "kernel", "ops", clock.millis());
    a.forgetRouting("h1");
    assertThat(desired(a, "h1", 2)).isEqualTo(RoutingState.MAINTENANCE);
    a.forgetRouting("never-seen"); // nothing cached: nothing to do
  }

  @Test
  void watermarksRaisedByAnotherReplicasRetentionAreReloadedAfterAMinute() {
    for (long seq = 1; seq <= 5; seq++) {
      a.writeReports(List.of(report("h1", seq)));
    }
    clock.advance(Duration.ofHours(1));
    // A reads the watermarks now (none yet); B's retention then prunes seq 1..5 (the latest, 6, is kept).
    a.writeReports(List.of(report("h1", 6)));
    assertThat(b.pruneReports(clock.millis(), Duration.ofDays(1).toMillis())).isEqualTo(5);
    // A replay of seq 2 on A within the minute: A's watermarks are not re-read yet, so it is stored again.
    clock.advance(Duration.ofSeconds(30));
    assertThat(a.writeReports(List.of(report("h1", 2))).get(0).duplicate()).isFalse();
    clock.advance(Duration.ofSeconds(31));
    assertThat(a.writeReports(List.of(report("h1", 3))).get(0).duplicate()).isTrue();
  }
}

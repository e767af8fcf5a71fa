package dev.nines.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.nines.protocol.RoutingState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingStoreTest extends OnBothBackends {
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

  private static ReportRecord report(String host, long seq, long receivedAtMs) {
    return new ReportRecord(host, seq, receivedAtMs, receivedAtMs, "llama", "{}", "{\"seq\":" + seq + "}");
  }

  @Test
  void aHostsFirstReportOpensActiveAtItsFirstSight() {
    try (Store store = open("r.db", CLOCK)) {
      store.writeReports(List.of(report("a", 1, 1_000), report("a", 2, 2_000)));
      store.writeReports(List.of(report("a", 3, 3_000), report("b", 1, 3_500)));

      assertThat(store.routingIntervals("a", 0, 10_000))
          .containsExactly(new RoutingInterval("a", "ACTIVE", null, RoutingRecord.SYSTEM, 1_000, null));
      assertThat(store.routingIntervals("b", 0, 10_000)).extracting(RoutingInterval::fromMs).containsExactly(3_500L);
      assertThat(store.routingIntervals("nobody", 0, 10_000)).isEmpty();
    }
  }

  @Test
  void aChangeClosesTheOpenIntervalOpensTheNextAndMovesTheCurrentState() {
    try (Store store = open("r.db", CLOCK)) {
      store.writeReports(List.of(report("a", 1, 1_000)));
      store.recordRoutingChange("a", "DRAINING", "hot GPU", "policy", 5_000);
      store.recordRoutingChange("a", "DRAINED", "hot GPU", "policy", 6_000);
      store.recordRoutingChange("a", "MAINTENANCE", "swap GPU 3", "alice", 7_000);

      assertThat(store.routingIntervals("a", 0, 100_000))
          .containsExactly(
              new RoutingInterval("a", "ACTIVE", null, "system", 1_000, 5_000L),
              new RoutingInterval("a", "DRAINING", "hot GPU", "policy", 5_000, 6_000L),
              new RoutingInterval("a", "DRAINED", "hot GPU", "policy", 6_000, 7_000L),
              new RoutingInterval("a", "MAINTENANCE", "swap GPU 3", "alice", 7_000, null));
      RoutingRecord now = store.host("a").orElseThrow().routing();
      assertThat(now).isEqualTo(new RoutingRecord(RoutingState.MAINTENANCE, "swap GPU 3", 7_000, "alice"));
      // the report reply carries the new state too
      assertThat(store.writeReports(List.of(report("a", 2, 8_000))).get(0).routing().state())
          .isEqualTo(RoutingState.MAINTENANCE);
      // half-open: [6000, 7000) holds only DRAINED
      assertThat(store.routingIntervals("a", 6_000, 7_000)).extracting(RoutingInterval::state).containsExactly("DRAINED");
    }
  }

  @Test
  void badChangesAreRefusedAndChangeNothing() {
    try (Store store = open("r.db", CLOCK)) {
      store.writeReports(List.of(report("a", 1, 5_000)));
      assertThatIllegalArgumentException()
          .isThrownBy(() -> store.recordRoutingChange("a", "DRAINING", null, "policy", 4_000))
          .withMessageContaining("before the open routing interval");
      assertThatIllegalArgumentException()
          .isThrownBy(() -> store.recordRoutingChange("a", "SIDEWAYS", null, "policy", 6_000))
          .withMessageStartingWith("state must be");
      assertThatIllegalArgumentException()
          .isThrownBy(() -> store.recordRoutingChange("a", "DRAINING", null, "", 6_000))
          .withMessageStartingWith("changedBy");
      assertThat(store.routingIntervals("a", 0, 10_000))
          .containsExactly(new RoutingInterval("a", "ACTIVE", null, "system", 5_000, null));
      assertThat(store.host("a").orElseThrow().routing().state()).isEqualTo(RoutingState.ACTIVE);
    }
  }

  @Test
  void theMigrationOpensTheCurrentStateOfHostsStoredBeforeIt() throws Exception {
    try (Connection c = connect("old.db")) {
      Migrations.apply(c, Migrations.load(SqliteStore.MIGRATIONS).subList(0, 2), CLOCK);
      try (Statement st = c.createStatement()) {
        st.execute(
            "INSERT INTO routing (host_id, state, reason, changed_at_ms, changed_by)"
                + " VALUES ('old', 'MAINTENANCE', 'rack move', 4000, 'bob')");
      }
    }
    try (Store store = open("old.db", CLOCK)) {
      assertThat(store.routingIntervals("old", 0, 10_000))
          .containsExactly(new RoutingInterval("old", "MAINTENANCE", "rack move", "bob", 4_000, null));
    }
  }

}

package dev.nines.server.store;

import static dev.nines.server.store.SampleStoreTest.CLOCK;
import static dev.nines.server.store.SampleStoreTest.H;
import static dev.nines.server.store.SampleStoreTest.HOUR;
import static dev.nines.server.store.SampleStoreTest.MIN;
import static dev.nines.server.store.SampleStoreTest.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.protocol.RoutingState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host's last report is its newest row in {@code reports} (not a second copy), so retention
 * keeps that row; and the writer's remembered routing rows follow every routing change.
 */
class LatestReportStoreTest extends OnBothBackends {
  Store store;

  @BeforeEach
  void open() {
    store = open("s.db", CLOCK);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void pruneAll() {
    while (store.pruneReports(H + HOUR, 60_000) > 0) {
      // drain
    }
  }

  @Test
  void theLastReportIsTheBodyOfTheNewestSeqEvenWhenAnOlderOneArrivesLater() {
    store.writeReports(List.of(report("h", 5, H, 0.1, 50, 1, 0)));
    store.writeReports(List.of(report("h", 3, H + MIN, 0.1, 50, 1, 0)));
    HostRecord h = store.host("h").orElseThrow();
    assertThat(h.lastSeq()).isEqualTo(5);
    assertThat(h.lastReportJson()).isEqualTo("{\"seq\":5}");
    assertThat(store.hosts()).extracting(HostRecord::lastReportJson).containsExactly("{\"seq\":5}");
  }

  @Test
  void retentionKeepsEachHostsNewestReportAndTheOlderOnesStayDuplicates() {
    store.writeReports(List.of(report("h", 1, H, 0.1, 50, 1, 0), report("g", 1, H, 0.1, 50, 1, 0)));
    store.writeReports(List.of(report("h", 2, H + MIN, 0.1, 50, 1, 0)));
    store.writeReports(List.of(report("h", 3, H + 2 * MIN, 0.1, 50, 1, 0)));

    pruneAll();

    assertThat(store.reportCount()).isEqualTo(2); // h's seq 3 and g's seq 1
    assertThat(store.host("h").orElseThrow().lastReportJson()).isEqualTo("{\"seq\":3}");
    assertThat(store.host("g").orElseThrow().lastReportJson()).isEqualTo("{\"seq\":1}");
    assertThat(store.writeReports(List.of(report("h", 2, H, 0.1, 50, 1, 0))).get(0).duplicate()).isTrue();
    assertThat(store.writeReports(List.of(report("h", 3, H, 0.1, 50, 1, 0))).get(0).duplicate()).isTrue();
    assertThat(store.writeReports(List.of(report("h", 4, H, 0.1, 50, 1, 0))).get(0).duplicate()).isFalse();

    pruneAll(); // seq 3 is no longer the newest: pruned now

    assertThat(store.reportCount()).isEqualTo(2);
    assertThat(store.host("h").orElseThrow().lastReportJson()).isEqualTo("{\"seq\":4}");
  }

  @Test
  void aRoutingChangeIsInTheNextReplyAfterTheWriterRememberedTheOldState() {
    assertThat(store.writeReports(List.of(report("h", 1, H, 0.1, 50, 1, 0))).get(0).routing().state())
        .isEqualTo(RoutingState.ACTIVE);
    assertThat(store.writeReports(List.of(report("h", 2, H, 0.1, 50, 1, 0))).get(0).routing().state())
        .isEqualTo(RoutingState.ACTIVE);

    store.recordRoutingChange("h", "DRAINING", "disk", "op", H + MIN);

    RoutingRecord next = store.writeReports(List.of(report("h", 3, H, 0.1, 50, 1, 0))).get(0).routing();
    assertThat(next.state()).isEqualTo(RoutingState.DRAINING);
    assertThat(next.reason()).isEqualTo("disk");
    assertThat(next.changedAtMs()).isEqualTo(H + MIN);
    RoutingRecord duplicate = store.writeReports(List.of(report("h", 3, H, 0.1, 50, 1, 0))).get(0).routing();
    assertThat(duplicate.state()).isEqualTo(RoutingState.DRAINING);
  }
}

package dev.nines.server.replica;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.protocol.AgentReport;
import dev.nines.protocol.GpuSection;
import dev.nines.protocol.HostMetrics;
import dev.nines.protocol.Protocol;
import dev.nines.server.api.Json;
import dev.nines.server.store.PostgresServer;
import dev.nines.server.store.ReportRecord;
import dev.nines.server.store.Store;
import dev.nines.server.store.Stores;
import dev.nines.server.store.WriteResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The leader's tail of the reports every replica stored, on PostgreSQL with two writing stores. */
class ReportTailTest {
  static final ObjectMapper JSON = Json.api();
  final Clock clock = Clock.systemUTC();
  final List<Store> stores = new ArrayList<>();
  final List<ReportTail.TailedReport> heard = new CopyOnWriteArrayList<>();
  Store a;
  Store b;

  @BeforeEach
  void open() {
    String db = PostgresServer.get().newDatabase().urlWithCredentials();
    a = Stores.open(db, clock);
    b = Stores.open(db, clock);
    stores.add(a);
    stores.add(b);
  }

  @AfterEach
  void close() {
    stores.forEach(Store::close);
  }

  static ReportRecord record(String agent, long seq, long receivedAtMs) {
    AgentReport r =
        new AgentReport(
            Protocol.CURRENT_VERSION, agent, seq, 1_000 + seq, 5000, Map.of("pool", "p"), "t",
            new HostMetrics(0.5, 1, 0.0, 0.0, 0.0, 1, 1, 0, 0, 1, List.of(), List.of()),
            new GpuSection(false, "none", "none", null, List.of()), List.of());
    try {
      return new ReportRecord(agent, seq, r.collectedAtMs(), receivedAtMs, "p", "{\"pool\":\"p\"}", JSON.writeValueAsString(r));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private ReportTail tail(long fromMs) {
    return new ReportTail(a, JSON, fromMs, heard::addAll);
  }

  private List<String> keys() {
    return heard.stream().map(t -> t.record().agentId() + "/" + t.record().seq()).toList();
  }

  @Test
  void everyReportOfTwoConcurrentWritersIsDeliveredOnceInReceivedOrderPerAgent() throws Exception {
    long start = clock.millis();
    ReportTail tail = tail(start);
    int agents = 8;
    int perAgent = 60;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    for (int i = 0; i < agents; i++) {
      String agent = "h" + i;
      Thread t =
          new Thread(
              () -> {
                try {
                  go.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                for (long seq = 1; seq <= perAgent; seq++) {
                  // An agent fails over between the replicas at random, and sometimes resends a
                  // report to the other one too (a duplicate that must not be delivered twice).
                  boolean toA = ThreadLocalRandom.current().nextBoolean();
                  ReportRecord r = record(agent, seq, clock.millis());
                  (toA ? a : b).writeReports(List.of(r));
                  if (seq % 7 == 0) {
                    (toA ? b : a).writeReports(List.of(record(agent, seq, clock.millis())));
                  }
                }
              },
              "writer-" + agent);
      t.start();
      writers.add(t);
    }
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread tailer =
        new Thread(
            () -> {
              while (writing.get()) {
                tail.runOnce();
              }
            },
            "tailer");
    tailer.start();
    go.countDown();
    for (Thread t : writers) {
      t.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(t.isAlive()).isFalse();
    }
    writing.set(false);
    tailer.join(TimeUnit.SECONDS.toMillis(30));
    tail.runOnce();
    assertThat(a.reportCount()).isEqualTo((long) agents * perAgent);
    assertThat(heard).hasSize(agents * perAgent);
    assertThat(keys()).doesNotHaveDuplicates();
    Map<String, List<Long>> seqs = new HashMap<>();
    for (ReportTail.TailedReport t : heard) {
      seqs.computeIfAbsent(t.record().agentId(), k -> new ArrayList<>()).add(t.record().seq());
      assertThat(t.report().agentId()).isEqualTo(t.record().agentId());
      assertThat(t.report().seq()).isEqualTo(t.record().seq());
    }
    assertThat(seqs).hasSize(agents);
    seqs.values().forEach(s -> assertThat(s).hasSize(perAgent).isSorted());
    assertThat(tail.delivered()).isEqualTo((long) agents * perAgent);
  }

  @Test
  void reportCommittedLateInsideTheOverlapIsStillDeliveredButNotOneBeyondIt() {
    ReportTail tail = tail(0);
    b.writeReports(List.of(record("h1", 1, 10_000), record("h1", 2, 20_000)));
    assertThat(tail.runOnce()).isEqualTo(2);
    // Received 4 s before the newest seen, committed only now (a slow replica): inside the 5 s overlap.
    a.writeReports(List.of(record("h2", 1, 16_000)));
    // Received 6 s before: beyond the overlap, the documented limit.
    a.writeReports(List.of(record("h3", 1, 14_000)));
    assertThat(tail.runOnce()).isEqualTo(1);
    assertThat(keys()).containsExactly("h1/1", "h1/2", "h2/1");
    assertThat(tail.runOnce()).isZero();
  }

  @Test
  void tailRestartedFromAGivenTimeDeliversExactlyWhatWasReceivedSinceThen() {
    List<ReportRecord> all = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      all.add(record("h" + (i % 3), i, i * 1_000L));
    }
    a.writeReports(all.subList(0, 10));
    b.writeReports(all.subList(10, 20));
    ReportTail first = tail(0);
    assertThat(first.runOnce()).isEqualTo(20);
    heard.clear();
    ReportTail restarted = tail(12_000);
    assertThat(restarted.runOnce()).isEqualTo(9);
    assertThat(heard).extracting(t -> t.record().seq()).containsExactly(12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
  }

  @Test
  void reportsReceivedInTheSameMillisecondArePagedWithoutLossOrRepeat() {
    List<ReportRecord> same = new ArrayList<>();
    for (int i = 0; i < 230; i++) {
      same.add(record("h" + (i % 23), 1 + i / 23, 5_000));
    }
    Collections.shuffle(same);
    a.writeReports(same.subList(0, 115));
    b.writeReports(same.subList(115, 230));
    // Pages of 2, at most 50 pages a pass: the first pass stops after 100, the next go on from there.
    ReportTail tail = new ReportTail(a, JSON, 0, ReportTail.DEFAULT_OVERLAP, 2, 1_000, heard::addAll);
    assertThat(tail.runOnce()).isEqualTo(100);
    assertThat(tail.runOnce()).isEqualTo(100);
    assertThat(tail.runOnce()).isEqualTo(30);
    assertThat(tail.runOnce()).isZero();
    assertThat(keys()).hasSize(230).doesNotHaveDuplicates();
    assertThat(heard).extracting(t -> t.record().agentId() + "/" + String.format("%03d", t.record().seq()))
        .isSorted();
  }

  @Test
  void memoryHoldsOnlyTheOverlapWindow() {
    ReportTail tail = new ReportTail(a, JSON, 0, Duration.ofSeconds(5), 1_000, 10_000, heard::addAll);
    for (int s = 1; s <= 60; s++) {
      List<ReportRecord> second = new ArrayList<>();
      for (int h = 0; h < 10; h++) {
        second.add(record("h" + h, s, s * 1_000L));
      }
      (s % 2 == 0 ? a : b).writeReports(second);
      tail.runOnce();
      assertThat(tail.tracked()).isLessThanOrEqualTo(60);
    }
    assertThat(heard).hasSize(600);
    assertThat(tail.evictedEarly()).isZero();
  }

  @Test
  void localIngestsAreSkippedAndALocalDuplicateOfAnotherReplicasRowIsDeliveredFromIt() {
    ReportTail tail = tail(0);
    ReportRecord local = record("h1", 1, 1_000);
    tail.skipLocal(List.of(local));
    List<WriteResult> done = a.writeReports(List.of(local));
    // Read while the local outcome is not known yet: left for later.
    assertThat(tail.runOnce()).isZero();
    tail.localCommitted(done);
    assertThat(tail.runOnce()).isZero();

    // h2/1 reaches B first; the leader's own write of it is then a duplicate.
    ReportRecord dup = record("h2", 1, 2_000);
    tail.skipLocal(List.of(dup));
    b.writeReports(List.of(dup));
    assertThat(tail.runOnce()).isZero();
    tail.localCommitted(a.writeReports(List.of(dup)));
    assertThat(tail.runOnce()).isEqualTo(1);

    // A local write that failed (never stored here) is delivered when another replica stores it.
    ReportRecord failed = record("h3", 1, 3_000);
    tail.skipLocal(List.of(failed));
    tail.localFailed(List.of(failed));
    b.writeReports(List.of(failed));
    assertThat(tail.runOnce()).isEqualTo(1);
    assertThat(keys()).containsExactly("h2/1", "h3/1");
  }
}

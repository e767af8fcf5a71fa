package dev.nines.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.protocol.AgentReport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitWriterListenerTest extends OnBothBackends {
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

  @Test
  void listenerGetsTheParsedReportsInCommitOrderBeforeAnyOfThemIsAcknowledged() throws Exception {
    List<Long> heard = new CopyOnWriteArrayList<>();
    Set<Long> acknowledgedWhenHeard = ConcurrentHashMap.newKeySet();
    java.util.Map<Long, CompletableFuture<WriteResult>> futures = new ConcurrentHashMap<>();
    List<AgentReport> parsedSeen = new CopyOnWriteArrayList<>();
    GroupCommitWriter.Listener listener =
        new GroupCommitWriter.Listener() {
          @Override
          public void committed(List<WriteResult> results, long commitNanos) {
            throw new AssertionError("the writer must call the three-argument method");
          }

          @Override
          public void committed(List<WriteResult> results, List<AgentReport> parsed, long commitNanos) {
            assertThat(parsed).hasSameSizeAs(results);
            for (int i = 0; i < results.size(); i++) {
              long seq = results.get(i).report().seq();
              heard.add(seq);
              CompletableFuture<WriteResult> f = futures.get(seq);
              if (f != null && f.isDone()) {
                acknowledgedWhenHeard.add(seq);
              }
              if (parsed.get(i) != null) {
                assertThat(parsed.get(i).seq()).isEqualTo(seq);
                parsedSeen.add(parsed.get(i));
              }
            }
          }
        };
    try (Store store = open("w.db", CLOCK);
        GroupCommitWriter writer = new GroupCommitWriter(store, 10_000, 50, listener)) {
      for (long i = 1; i <= 1000; i++) {
        ReportRecord r = GroupCommitWriterTest.record("h", i);
        // every other report comes with its parsed form
        futures.put(i, i % 2 == 0 ? writer.submit(r, report(i)) : writer.submit(r));
      }
      CompletableFuture.allOf(futures.values().toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
    }
    assertThat(heard).hasSize(1000).isSorted();
    assertThat(acknowledgedWhenHeard).isEmpty();
    assertThat(parsedSeen).hasSize(500).allSatisfy(r -> assertThat(r.seq() % 2).isZero());
  }

  @Test
  void listenerHearsOfEachBatchBeforeItsTransactionAndOfAFailedOne() throws Exception {
    List<String> calls = new CopyOnWriteArrayList<>();
    List<Long> storedWhenWriting = new CopyOnWriteArrayList<>();
    Store[] holder = new Store[1];
    GroupCommitWriter.Listener listener =
        new GroupCommitWriter.Listener() {
          @Override
          public void committed(List<WriteResult> results, long commitNanos) {
            calls.add("committed " + results.size());
          }

          @Override
          public void writing(List<ReportRecord> batch) {
            calls.add("writing " + batch.size());
            if (storedWhenWriting.size() < 2) {
              storedWhenWriting.add(holder[0].reportCount());
            }
          }

          @Override
          public void failed(List<ReportRecord> batch) {
            calls.add("failed " + batch.size());
          }
        };
    Store store = open("w.db", CLOCK);
    holder[0] = store;
    try (GroupCommitWriter writer = new GroupCommitWriter(store, 100, 50, listener)) {
      writer.submit(GroupCommitWriterTest.record("h", 1)).get(30, TimeUnit.SECONDS);
      writer.submit(GroupCommitWriterTest.record("h", 2)).get(30, TimeUnit.SECONDS);
      store.close();
      CompletableFuture<WriteResult> refused = writer.submit(GroupCommitWriterTest.record("h", 3));
      assertThat(refused).failsWithin(30, TimeUnit.SECONDS);
    }
    assertThat(calls).containsExactly("writing 1", "committed 1", "writing 1", "committed 1", "writing 1", "failed 1");
    assertThat(storedWhenWriting).containsExactly(0L, 1L);
  }

  private static AgentReport report(long seq) {
    return new AgentReport(
        dev.nines.protocol.Protocol.CURRENT_VERSION, "h", seq, 1000 + seq, 5000, java.util.Map.of(), "t",
        new dev.nines.protocol.HostMetrics(
            0.5, 1, 0.0, 0.0, 0.0, 1, 1, 0, 0, 1, List.of(), List.of()),
        new dev.nines.protocol.GpuSection(false, "none", "none", null, List.of()), List.of());
  }
}

package dev.nines.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.protocol.RoutingState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitWriterTest extends OnBothBackends {
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

  static ReportRecord record(String host, long seq) {
    return new ReportRecord(host, seq, 1000 + seq, 2000 + seq, "p", "{}", "{\"seq\":" + seq + "}");
  }

  @Test
  void completesOnlyAfterCommitAndBatchesWhatWaits() throws Exception {
    List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    try (Store store = open("w.db", CLOCK);
        GroupCommitWriter writer =
            new GroupCommitWriter(store, 10_000, 500, (results, nanos) -> batchSizes.add(results.size()))) {
      List<CompletableFuture<WriteResult>> futures = new ArrayList<>();
      for (int i = 1; i <= 3000; i++) {
        futures.add(writer.submit(record("h" + (i % 3), i)));
      }
      for (CompletableFuture<WriteResult> f : futures) {
        WriteResult r = f.get(30, TimeUnit.SECONDS);
        assertThat(r.duplicate()).isFalse();
        assertThat(r.routing().state()).isEqualTo(RoutingState.ACTIVE);
      }
      assertThat(store.reportCount()).isEqualTo(3000);
      assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(3000);
      assertThat(batchSizes).allSatisfy(n -> assertThat(n).isBetween(1, 500));
      assertThat(batchSizes.size()).isLessThan(3000);
      assertThat(store.host("h0")).map(HostRecord::lastSeq).contains(3000L);
    }
  }

  @Test
  void refusesAtOnceWhenTheQueueIsFullAndQueuesNothing() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch writing = new CountDownLatch(1);
    try (Store real = open("w.db", CLOCK)) {
      Store slow = blocking(real, writing, release);
      GroupCommitWriter writer = new GroupCommitWriter(slow, 2, 1, GroupCommitWriter.ignore());
      try {
        CompletableFuture<WriteResult> first = writer.submit(record("h", 1));
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue(); // the writer holds #1
        writer.submit(record("h", 2));
        writer.submit(record("h", 3));
        assertThatThrownBy(() -> writer.submit(record("h", 4))).isInstanceOf(QueueFullException.class);
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
      } finally {
        release.countDown();
        writer.close();
      }
      assertThat(real.reportCount()).isEqualTo(3);
    }
  }

  @Test
  void failedTransactionFailsEveryFutureOfTheBatch() throws Exception {
    Store store = open("w.db", CLOCK);
    store.close(); // every write now fails
    try (GroupCommitWriter writer = new GroupCommitWriter(store, 10, 10, GroupCommitWriter.ignore())) {
      CompletableFuture<WriteResult> f = writer.submit(record("h", 1));
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(StoreException.class);
    }
    assertThat(store.ping()).isFalse();
  }

  /**
   * A store whose writeReports waits for a latch, delegating everything else (through a proxy, so
   * that it keeps up with the Store interface without listing every method).
   */
  private static Store blocking(Store delegate, CountDownLatch writing, CountDownLatch release) {
    return (Store)
        java.lang.reflect.Proxy.newProxyInstance(
            Store.class.getClassLoader(),
            new Class<?>[] {Store.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "writeReports" -> {
                  writing.countDown();
                  try {
                    release.await(10, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }
                case "close" -> {
                  return null;
                }
                default -> {}
              }
              try {
                return method.invoke(delegate, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}

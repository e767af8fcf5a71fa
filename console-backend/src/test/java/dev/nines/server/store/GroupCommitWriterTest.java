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

class GroupCommitWriterTest {
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
  @TempDir Path dir;

  static ReportRecord record(String host, long seq) {
    return new ReportRecord(host, seq, 1000 + seq, 2000 + seq, "p", "{}", "{\"seq\":" + seq + "}");
  }

  @Test
  void completesOnlyAfterCommitAndBatchesWhatWaits() throws Exception {
    List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    try (Store store = Stores.open(dir.resolve("w.db").toString(), CLOCK);
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
    try (Store real = Stores.open(dir.resolve("w.db").toString(), CLOCK)) {
      Store slow = new BlockingStore(real, writing, release);
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
    Store store = Stores.open(dir.resolve("w.db").toString(), CLOCK);
    store.close(); // every write now fails
    try (GroupCommitWriter writer = new GroupCommitWriter(store, 10, 10, GroupCommitWriter.ignore())) {
      CompletableFuture<WriteResult> f = writer.submit(record("h", 1));
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(StoreException.class);
    }
    assertThat(store.ping()).isFalse();
  }

  /** Holds the writer thread inside its first write until released. */
  private static final class BlockingStore implements Store {
    private final Store delegate;
    private final CountDownLatch writing;
    private final CountDownLatch release;

    BlockingStore(Store delegate, CountDownLatch writing, CountDownLatch release) {
      this.delegate = delegate;
      this.writing = writing;
      this.release = release;
    }

    @Override
    public List<WriteResult> writeReports(List<ReportRecord> batch) {
      writing.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return delegate.writeReports(batch);
    }

    @Override
    public List<HostRecord> hosts() {
      return delegate.hosts();
    }

    @Override
    public Optional<HostRecord> host(String id) {
      return delegate.host(id);
    }

    @Override
    public long reportCount() {
      return delegate.reportCount();
    }

    @Override
    public void recordHealthChange(HealthInterval change) {
      delegate.recordHealthChange(change);
    }

    @Override
    public java.util.Map<String, HealthRecord> currentHealth() {
      return delegate.currentHealth();
    }

    @Override
    public Optional<HealthRecord> currentHealth(String hostId) {
      return delegate.currentHealth(hostId);
    }

    @Override
    public List<HealthInterval> healthIntervals(String hostId, long fromMs, long toMs) {
      return delegate.healthIntervals(hostId, fromMs, toMs);
    }

    @Override
    public void addToken(TokenRecord token) {
      delegate.addToken(token);
    }

    @Override
    public Optional<TokenRecord> tokenByHash(String sha256Hex) {
      return delegate.tokenByHash(sha256Hex);
    }

    @Override
    public boolean hasActiveToken(String role) {
      return delegate.hasActiveToken(role);
    }

    @Override
    public boolean ping() {
      return delegate.ping();
    }

    @Override
    public void close() {}

    // --- auth and audit ---

    @Override
    public Optional<TokenRecord> token(String id) {
      return delegate.token(id);
    }

    @Override
    public List<TokenRecord> tokens(PageKey before, int limit) {
      return delegate.tokens(before, limit);
    }

    @Override
    public TokenRevocation revokeToken(String id, long atMs) {
      return delegate.revokeToken(id, atMs);
    }

    @Override
    public void addAudit(AuditRecord entry) {
      delegate.addAudit(entry);
    }

    @Override
    public List<AuditRecord> audit(AuditQuery query) {
      return delegate.audit(query);
    }
  }
}

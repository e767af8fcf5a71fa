package dev.nines.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.server.MovableClock;
import dev.nines.server.leader.Lease;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The leader lease row and the fence, through two stores on one database (two replicas). */
class LeaseStoreTest extends OnBothBackends {
  static final long TTL = 6_000;

  final MovableClock clock = new MovableClock(1_000_000);

  @Test
  void oneReplicaTakesTheLeaseRenewsItAndAnotherTakesItOverOnlyOnceItRanOut() {
    try (Store a = open("db", clock);
        Store b = open("db", clock)) {
      assertThat(a.lease("leader")).isEmpty();
      Lease first = a.acquireLease("leader", "a", "http://a:7070", 0, clock.millis(), TTL);
      assertThat(first.holder()).isEqualTo("a");
      assertThat(first.token()).isEqualTo(1);
      assertThat(first.holderUrl()).isEqualTo("http://a:7070");
      assertThat(b.acquireLease("leader", "b", "http://b:7070", 0, clock.millis() + 1_000, TTL).holder()).isEqualTo("a");
      Lease renewed = a.acquireLease("leader", "a", "http://a:7070", 1, clock.millis() + 2_000, TTL);
      assertThat(renewed.expiresAtMs()).isEqualTo(clock.millis() + 2_000 + TTL);
      assertThat(renewed.token()).isEqualTo(1);
      // a renewal with a stale token does not renew (and the lease has not run out: nothing changes)
      assertThat(a.acquireLease("leader", "a", "http://a:7070", 7, clock.millis() + 3_000, TTL).expiresAtMs())
          .isEqualTo(renewed.expiresAtMs());
      Lease taken = b.acquireLease("leader", "b", "http://b:7070", 0, renewed.expiresAtMs(), TTL);
      assertThat(taken.holder()).isEqualTo("b");
      assertThat(taken.token()).isEqualTo(2);
      // a comes back with its old token: no renewal, b keeps it
      assertThat(a.acquireLease("leader", "a", "http://a:7070", 1, renewed.expiresAtMs() + 1, TTL).holder()).isEqualTo("b");
      assertThat(b.releaseLease("leader", "a", 2, renewed.expiresAtMs() + 2)).isFalse();
      assertThat(b.releaseLease("leader", "b", 2, renewed.expiresAtMs() + 2)).isTrue();
      assertThat(a.acquireLease("leader", "a", "http://a:7070", 0, renewed.expiresAtMs() + 3, TTL).token()).isEqualTo(3);
    }
  }

  @Test
  void replicasRacingForALapsedLeaseMakeExactlyOneLeaderPerTerm() throws Exception {
    int replicas = 4;
    List<Store> stores = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      stores.add(open("db", clock));
    }
    ExecutorService pool = Executors.newFixedThreadPool(replicas);
    try {
      long now = clock.millis();
      for (int term = 1; term <= 20; term++) {
        CountDownLatch go = new CountDownLatch(1);
        long at = now;
        List<Future<Lease>> answers = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
          Store s = stores.get(i);
          String me = "r" + i;
          answers.add(pool.submit(() -> {
            go.await(10, TimeUnit.SECONDS);
            return s.acquireLease("leader", me, "http://" + me, 0, at, TTL);
          }));
        }
        go.countDown();
        List<Lease> seen = new ArrayList<>();
        for (Future<Lease> f : answers) {
          seen.add(f.get(30, TimeUnit.SECONDS));
        }
        // every replica sees the same holder and token; the token went up by exactly one
        assertThat(seen).extracting(Lease::token).containsOnly((long) term);
        assertThat(seen.stream().map(Lease::holder).distinct()).hasSize(1);
        now += TTL; // this term runs out unrenewed
      }
    } finally {
      pool.shutdownNow();
      stores.forEach(Store::close);
    }
  }

  @Test
  void aFencedStoreRefusesItsWritesOnceAnotherReplicaLeadsAndWritesNothing() {
    try (Store a = open("db", clock);
        Store b = open("db", clock)) {
      AtomicLong aToken = new AtomicLong(a.acquireLease("leader", "a", "http://a:7070", 0, clock.millis(), TTL).token());
      a.fence("leader", aToken::get);
      a.appendEvent("routing", clock.millis(), "{\"n\":1}");
      // b takes over once a's lease ran out; a, paused meanwhile, still believes its token
      b.acquireLease("leader", "b", "http://b:7070", 0, clock.millis() + TTL, TTL);
      assertThatThrownBy(() -> a.appendEvent("routing", clock.millis(), "{\"n\":2}"))
          .isInstanceOf(FencedException.class)
          .hasMessageContaining("held by b with token 2");
      assertThat(b.eventsAfter(0, 10)).hasSize(1);
      // a replica that does not lead (token 0) is refused without asking the database
      aToken.set(0);
      assertThatThrownBy(() -> a.appendEvent("routing", clock.millis(), "{}")).isInstanceOf(FencedException.class);
      // reports are stored by every replica: never fenced
      List<WriteResult> stored =
          a.writeReports(List.of(new ReportRecord("h1", 1, clock.millis(), clock.millis(), null, "{}", "{}")));
      assertThat(stored).singleElement().satisfies(r -> assertThat(r.duplicate()).isFalse());
      assertThat(b.eventsAfter(0, 10)).hasSize(1);
    }
  }
}

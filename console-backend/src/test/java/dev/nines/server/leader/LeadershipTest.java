package dev.nines.server.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.server.MovableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LeadershipTest {
  static final Duration TTL = Duration.ofSeconds(6);
  static final Duration MARGIN = Duration.ofSeconds(2);

  final MovableClock clock = new MovableClock(1_000_000);
  final MemoryLeaseStore store = new MemoryLeaseStore();

  Leadership replica(String id, List<String> log) {
    Leadership l = new Leadership(store, Leadership.LEADER, id, TTL, MARGIN, clock);
    l.addListener(
        new Leadership.Listener() {
          @Override
          public void elected(long token) {
            log.add(id + " elected " + token);
          }

          @Override
          public void deposed(long token, String why) {
            log.add(id + " deposed " + token);
          }
        });
    return l;
  }

  @Test
  void theFirstReplicaLeadsWithTokenOneAndTheOthersFollowWhileItRenews() {
    List<String> log = new ArrayList<>();
    Leadership a = replica("a", log);
    Leadership b = replica("b", log);
    assertThat(a.runOnce().role()).isEqualTo(Leadership.Role.LEADER);
    assertThat(b.runOnce().role()).isEqualTo(Leadership.Role.FOLLOWER);
    for (int i = 0; i < 10; i++) {
      clock.advance(a.renewEvery());
      a.runOnce();
      b.runOnce();
      assertThat(a.isLeader()).isTrue();
      assertThat(b.isLeader()).isFalse();
    }
    assertThat(a.fence()).hasValue(1);
    assertThat(b.fence()).isEmpty();
    assertThat(b.status().leader()).isEqualTo("a");
    assertThat(b.status().leaderToken()).isEqualTo(1);
    assertThat(log).containsExactly("a elected 1");
  }

  @Test
  void aLeaderCutOffFromTheDatabaseStopsActingBeforeAnyOtherReplicaMayLead() {
    List<String> log = new ArrayList<>();
    Leadership a = replica("a", log);
    Leadership b = replica("b", log);
    a.runOnce();
    b.runOnce();
    long lastRenewal = clock.millis();
    store.down = true; // a's connection is gone; b's "connection" too, in this one map: b retries
    // Step through time in 100 ms: a must stop acting strictly before b can take the lease.
    long aStoppedAt = -1;
    long bLeadsAt = -1;
    for (int step = 0; step < 200 && bLeadsAt < 0; step++) {
      clock.advance(Duration.ofMillis(100));
      if (aStoppedAt < 0 && !a.isLeader()) {
        aStoppedAt = clock.millis();
      }
      if (clock.millis() >= lastRenewal + 5_000) {
        store.down = false; // b's side of the database answers again; a's stays cut off
        b.runOnce();
        if (b.isLeader()) {
          bLeadsAt = clock.millis();
        }
        store.down = true;
      }
    }
    assertThat(aStoppedAt).isEqualTo(lastRenewal + TTL.toMillis() - MARGIN.toMillis());
    assertThat(bLeadsAt).isEqualTo(lastRenewal + TTL.toMillis());
    assertThat(aStoppedAt).isLessThan(bLeadsAt);
    assertThat(b.fence()).hasValue(2);
    assertThat(log).containsExactly("a elected 1", "a deposed 1", "b elected 2");
    // a's database comes back: it sees b's lease and stays a follower
    store.down = false;
    assertThat(a.runOnce().role()).isEqualTo(Leadership.Role.FOLLOWER);
    assertThat(a.status().leader()).isEqualTo("b");
  }

  @Test
  void failedRenewalsInsideTheActWindowKeepTheLeaderAndTheLastErrorIsShown() {
    Leadership a = replica("a", new ArrayList<>());
    a.runOnce();
    store.down = true;
    clock.advance(a.renewEvery());
    Leadership.Status s = a.runOnce();
    assertThat(s.role()).isEqualTo(Leadership.Role.LEADER);
    assertThat(s.lastError()).isEqualTo("connection refused");
    store.down = false;
    clock.advance(a.renewEvery());
    s = a.runOnce();
    assertThat(s.lastError()).isNull();
    assertThat(s.token()).isEqualTo(1);
    assertThat(s.actUntilMs()).isEqualTo(clock.millis() + 4_000);
  }

  @Test
  void aLeaderWhoseLeaseRanOutUnseenBeginsANewTermWithTheNextToken() {
    List<String> log = new ArrayList<>();
    Leadership a = replica("a", log);
    a.runOnce();
    clock.advance(Duration.ofSeconds(7)); // a paused (GC, suspended VM): the lease ran out
    assertThat(a.isLeader()).isFalse();
    assertThat(a.runOnce().token()).isEqualTo(2);
    assertThat(log).containsExactly("a elected 1", "a deposed 1", "a elected 2");
  }

  @Test
  void aCleanShutdownReleasesTheLeaseSoAnotherReplicaLeadsAtOnce() {
    Leadership a = replica("a", new ArrayList<>());
    Leadership b = replica("b", new ArrayList<>());
    a.runOnce();
    b.runOnce();
    a.release();
    assertThat(a.isLeader()).isFalse();
    assertThat(b.runOnce().role()).isEqualTo(Leadership.Role.LEADER);
    assertThat(b.fence()).hasValue(2);
  }

  @Test
  void isLeaderAnswersAtOnceAndStepsDownOnTimeWhileARenewalHangs() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    MemoryLeaseStore inner = store;
    LeaseStore hanging =
        new LeaseStore() {
          volatile boolean hang;

          @Override
          public Lease acquire(String name, String holder, String url, long token, long nowMs, long ttlMs) {
            Lease l = inner.acquire(name, holder, url, token, nowMs, ttlMs);
            if (hang) {
              entered.countDown();
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              throw new IllegalStateException("read timed out");
            }
            hang = true;
            return l;
          }

          @Override
          public boolean release(String name, String holder, long token, long nowMs) {
            return inner.release(name, holder, token, nowMs);
          }
        };
    Leadership a = new Leadership(hanging, Leadership.LEADER, "a", TTL, MARGIN, clock);
    a.runOnce();
    Thread renewal = new Thread(a::runOnce, "renewal");
    renewal.start();
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(a.isLeader()).isTrue();
    clock.advance(Duration.ofSeconds(4));
    assertThat(a.isLeader()).as("the act window ended while the renewal hangs").isFalse();
    release.countDown();
    renewal.join(10_000);
    assertThat(a.status().lastError()).isEqualTo("read timed out");
    assertThat(a.isLeader()).isFalse();
  }

  @Test
  void settingsAreValidated() {
    assertThatThrownBy(() -> new Leadership(store, "leader", "a", TTL, TTL, clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("margin");
    assertThatThrownBy(() -> new Leadership(store, "leader", " ", TTL, MARGIN, clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replica");
    assertThatThrownBy(() -> new Lease("leader", "a", "", 0, 1, 2)).hasMessageContaining("token");
  }
}

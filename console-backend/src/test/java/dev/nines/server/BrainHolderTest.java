package dev.nines.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nines.server.leader.Leadership;
import dev.nines.server.leader.MemoryLeaseStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A replica elected leader that cannot build its brain (the database failed it while re-reading its
 * settings) must not sit on the lease doing none of a leader's work: it steps down and gives the
 * lease up, so another replica leads at its next attempt instead of never.
 */
class BrainHolderTest {
  static final Duration TTL = Duration.ofSeconds(6);
  static final Duration MARGIN = Duration.ofSeconds(2);
  final MovableClock clock = new MovableClock(1_000_000);
  final MemoryLeaseStore store = new MemoryLeaseStore();

  Leadership replica(String id) {
    return new Leadership(store, Leadership.LEADER, id, TTL, MARGIN, clock);
  }

  @Test
  void aLeaderWhoseBrainCannotBeBuiltGivesTheLeaseUpAndAnotherReplicaLeadsAtOnce() {
    Leadership a = replica("a");
    Leadership b = replica("b");
    AtomicInteger rereads = new AtomicInteger();
    try (BrainHolder holder = new BrainHolder(null, null, () -> {
      rereads.incrementAndGet();
      throw new IllegalStateException("the database refused the query");
    })) {
      holder.follow(a);
      assertThat(a.runOnce().role()).isEqualTo(Leadership.Role.LEADER);
      // the brain is built on the holder's own thread: it fails, and a steps down
      await().atMost(10, TimeUnit.SECONDS).until(() -> holder.buildFailures() == 1);
      await().atMost(10, TimeUnit.SECONDS).until(() -> !a.isLeader());
      assertThat(holder.brain()).isNull();
      assertThat(rereads).hasValue(1);
      // the lease is free now, not in 6 s: b leads at the same instant, with the next token
      Leadership.Status next = b.runOnce();
      assertThat(next.role()).isEqualTo(Leadership.Role.LEADER);
      assertThat(next.token()).isEqualTo(2);
      assertThat(a.runOnce().role()).isEqualTo(Leadership.Role.FOLLOWER);
      assertThat(a.status().leader()).isEqualTo("b");
    }
  }

  @Test
  void stepDownIsNothingForAFollower() {
    Leadership a = replica("a");
    Leadership b = replica("b");
    assertThat(a.runOnce().role()).isEqualTo(Leadership.Role.LEADER);
    assertThat(b.runOnce().role()).isEqualTo(Leadership.Role.FOLLOWER);
    b.stepDown("not leading");
    assertThat(a.runOnce().role()).isEqualTo(Leadership.Role.LEADER);
    assertThat(a.fence()).hasValue(1);
  }
}

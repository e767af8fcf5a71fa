package dev.nines.server.replica;

import dev.nines.server.SseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nines.server.auth.Role;
import dev.nines.server.auth.TokenService;
import dev.nines.server.store.PostgresServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas (two stores, two replicated event hubs, two HTTP servers) on one PostgreSQL
 * database: every durable event reaches the clients of both, in id order, with no gap; a client
 * resumes on the other replica.
 */
class ReplicatedEventsTest {
  final Clock clock = Clock.systemUTC();
  final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : reversed()) {
      c.close();
    }
  }

  private List<AutoCloseable> reversed() {
    List<AutoCloseable> r = new ArrayList<>(open);
    java.util.Collections.reverse(r);
    return r;
  }

  private EventReplica replica(String db, Duration tailEvery) {
    EventReplica r = new EventReplica(db, clock, tailEvery);
    open.add(r);
    return r;
  }

  private static List<Long> range(long first, long last) {
    return LongStream.rangeClosed(first, last).boxed().toList();
  }

  /** Two replicas on a new database and a viewer's event stream on the second. */
  record Pair(EventReplica a, EventReplica b, SseClient onB) {}

  Pair pair() throws Exception {
    String db = PostgresServer.get().newDatabase().urlWithCredentials();
    EventReplica a = replica(db, null);
    EventReplica b = replica(db, null);
    String token = new TokenService(b.store, clock).create(Role.VIEWER, "viewer");
    return new Pair(a, b, b.client(token, null));
  }

  private static void publish(EventReplica r, int n) {
    r.hub.publishDurable("test", 1_000L * n, Map.of("n", n));
  }

  @Test
  void clientOnOneReplicaGetsEventsOfBothInIdOrderWithoutGap() throws Exception {
    Pair p = pair();
    // A stores 1 and 2 while B's tail sleeps; B stores 3: a direct send of 3 would skip 1 and 2.
    publish(p.a(), 1);
    publish(p.a(), 2);
    publish(p.b(), 3);
    publish(p.a(), 4);
    p.b().hub.tailOnce();
    await().atMost(EventReplica.WAIT).until(() -> p.onB().ids().size() >= 4);
    p.b().hub.tailOnce();
    assertThat(p.onB().ids()).containsExactlyElementsOf(range(1, 4));
    assertThat(p.onB().events()).extracting(SseClient.Event::data)
        .containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
  }

  @Test
  void concurrentPublishersOnTwoReplicasReachEveryClientInOrderOnce() throws Exception {
    String db = PostgresServer.get().newDatabase().urlWithCredentials();
    EventReplica a = replica(db, Duration.ofMillis(20));
    EventReplica b = replica(db, Duration.ofMillis(20));
    String token = new TokenService(a.store, clock).create(Role.VIEWER, "viewer");
    SseClient onA = a.client(token, null);
    SseClient onB = b.client(token, null);
    int perThread = 50;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (EventReplica r : List.of(a, a, b, b)) {
      Thread t =
          new Thread(
              () -> {
                try {
                  go.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  publish(r, i);
                }
              });
      t.start();
      threads.add(t);
    }
    go.countDown();
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(t.isAlive()).isFalse();
    }
    long total = 4L * perThread;
    assertThat(a.store.lastEventId()).isEqualTo(total);
    await().atMost(EventReplica.WAIT).until(() -> onA.ids().size() >= total && onB.ids().size() >= total);
    assertThat(onA.ids()).containsExactlyElementsOf(range(1, total));
    assertThat(onB.ids()).containsExactlyElementsOf(range(1, total));
  }

  @Test
  void clientThatReadSomeEventsOnOneReplicaResumesOnTheOtherWithExactlyTheRest() throws Exception {
    String db = PostgresServer.get().newDatabase().urlWithCredentials();
    EventReplica a = replica(db, null);
    EventReplica b = replica(db, null);
    String token = new TokenService(a.store, clock).create(Role.VIEWER, "viewer");
    SseClient onA = a.client(token, null);
    for (int n = 1; n <= 5; n++) {
      publish(n % 2 == 0 ? b : a, n);
    }
    a.hub.tailOnce();
    await().atMost(EventReplica.WAIT).until(() -> onA.ids().size() >= 5);
    assertThat(onA.ids()).containsExactlyElementsOf(range(1, 5));
    onA.close();
    // While the client is away, both replicas store more.
    for (int n = 6; n <= 9; n++) {
      publish(n % 2 == 0 ? b : a, n);
    }
    SseClient resumed = b.client(token, "5");
    assertThat(resumed.ids()).containsExactlyElementsOf(range(6, 9));
    publish(a, 10);
    publish(b, 11);
    b.hub.tailOnce();
    await().atMost(EventReplica.WAIT).until(() -> resumed.ids().size() >= 6);
    b.hub.tailOnce();
    assertThat(resumed.ids()).containsExactlyElementsOf(range(6, 11));
  }

  @Test
  void tailAnnouncesOnlyEventsStoredAfterTheHubStarted() throws Exception {
    String db = PostgresServer.get().newDatabase().urlWithCredentials();
    EventReplica a = replica(db, null);
    publish(a, 1);
    publish(a, 2);
    EventReplica b = replica(db, null);
    String token = new TokenService(b.store, clock).create(Role.VIEWER, "viewer");
    SseClient onB = b.client(token, null);
    assertThat(b.hub.tailOnce()).isZero();
    publish(a, 3);
    assertThat(b.hub.tailOnce()).isEqualTo(1);
    await().atMost(EventReplica.WAIT).until(() -> !onB.ids().isEmpty());
    assertThat(onB.ids()).containsExactly(3L);
  }

  @Test
  void consoleOnOneReplicaSeesLiveReportsStoredByTheOther() throws Exception {
    Pair p = pair();
    ReportTail tail =
        new ReportTail(p.b().store, dev.nines.server.api.Json.api(), 0, ReportTail.publishingReports(p.b().hub));
    p.a().store.writeReports(List.of(ReportTailTest.record("gpu-7", 3, clock.millis())));
    assertThat(tail.runOnce()).isEqualTo(1);
    await().atMost(EventReplica.WAIT).until(() -> !p.onB().events().isEmpty());
    assertThat(p.onB().events())
        .containsExactly(new SseClient.Event(null, "report", "{\"hostId\":\"gpu-7\",\"seq\":3,\"collectedAtMs\":1003}"));
  }

  @Test
  void aFollowersKeysOnlyTailAnnouncesTheOtherReplicasReportsOnceAndNotItsOwn() throws Exception {
    Pair p = pair();
    ReportTail keys = ReportTail.keysOnly(p.b().store, 0, ReportTail.announcingKeys(p.b().hub));
    p.a().store.writeReports(List.of(ReportTailTest.record("gpu-7", 3, clock.millis())));
    // b's own report: its ingest announces it as it commits, so the tail leaves it alone
    List<dev.nines.server.store.ReportRecord> own = List.of(ReportTailTest.record("gpu-8", 1, clock.millis()));
    keys.skipLocal(own);
    keys.localCommitted(p.b().store.writeReports(own));
    assertThat(keys.runOnce()).isEqualTo(1);
    assertThat(keys.runOnce()).as("the same window again: nothing new").isZero();
    await().atMost(EventReplica.WAIT).until(() -> !p.onB().events().isEmpty());
    assertThat(p.onB().events())
        .containsExactly(new SseClient.Event(null, "report", "{\"hostId\":\"gpu-7\",\"seq\":3,\"collectedAtMs\":1003}"));
  }
}

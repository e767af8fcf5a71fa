package dev.nines.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.server.MovableClock;
import dev.nines.server.store.OutboxRow;
import dev.nines.server.store.SqliteStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery worker against a real receiver on a loopback port and a real SQLite outbox, with a
 * clock moved by hand: {@link DeliveryWorker#runOnce} makes one pass and waits for its attempts.
 */
class DeliveryWorkerTest {
  static final Instant T0 = Instant.parse("2026-11-03T10:00:00Z");

  @TempDir Path dir;
  MovableClock clock;
  SqliteStore store;
  SimpleMeterRegistry meters;
  TestReceiver receiver;
  final List<ReceiverSpec> specs = new CopyOnWriteArrayList<>();
  DeliveryWorker worker;
  Outbox outbox;

  @BeforeEach
  void setUp() {
    clock = new MovableClock(T0);
    store = SqliteStore.open("jdbc:sqlite:" + dir.resolve("nines.db"), clock);
    meters = new SimpleMeterRegistry();
    receiver = new TestReceiver("k3y");
    Receivers receivers =
        new Receivers() {
          @Override
          public List<ReceiverSpec> all() {
            return List.copyOf(specs);
          }

          @Override
          public Map<String, Integer> deadLetters() {
            return store.outboxDeadByReceiver();
          }
        };
    worker = new DeliveryWorker(store, receivers, clock, new Random(7), meters, () -> "http://nines.test");
    outbox = new Outbox(store, clock);
  }

  @AfterEach
  void tearDown() {
    worker.close();
    receiver.close();
    store.close();
  }

  static ReceiverSpec spec(String url, int concurrency, Duration timeout, Duration maxAge) {
    return new ReceiverSpec(
        "ops", ReceiverSpec.Kind.WEBHOOK, url, "k3y", null, List.of(), null, null, null, null, timeout,
        concurrency, maxAge, true);
  }

  static Notification message(String eventId, String group, Instant at) {
    AlertInstance a =
        new AlertInstance(
            "fp-" + group, Map.of("alertname", "HostDown", "host", group), Map.of("summary", eventId),
            AlertInstance.FIRING, at, null);
    return new Notification(eventId, "ops", "ops:" + group, Map.of("host", group), AlertInstance.FIRING, List.of(a), at);
  }

  private OutboxRow row(String eventId) {
    return store.outbox(null, null, null, 1000).stream()
        .filter(r -> r.eventId().equals(eventId))
        .findFirst()
        .orElseThrow();
  }

  private double count(String outcome) {
    var c = meters.find("nines_alert_deliveries").tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void everyMessageArrivesOnceInGroupOrderThroughRefusalTimeout500And429() {
    receiver.start(0);
    int port = receiver.port();
    receiver.stop(); // refused at first
    specs.add(spec("http://127.0.0.1:" + port + "/hook", 1, Duration.ofMillis(300), null));
    outbox.enqueue(
        List.of(message("e1", "g1", T0), message("f1", "g2", T0), message("e2", "g1", T0), message("e3", "g1", T0)));
    outbox.enqueue(List.of(message("e1", "g1", T0))); // the same eventId again: ignored
    assertThat(store.outbox(null, null, null, 1000)).hasSize(4);

    assertThat(worker.runOnce(clock.instant())).as("one request at a time to this receiver").isEqualTo(1);
    OutboxRow refused = row("e1");
    assertThat(refused.state()).isEqualTo(OutboxRow.PENDING);
    assertThat(refused.attempts()).isEqualTo(1);
    assertThat(refused.lastStatus()).isNull();
    assertThat(refused.lastError()).containsIgnoringCase("connect");
    assertThat(refused.nextAttemptMs()).isBetween(T0.toEpochMilli(), T0.toEpochMilli() + 1000);

    receiver.then("hang", "500", "429:7").start(port);
    clock.advance(Duration.ofSeconds(1));
    worker.runOnce(clock.instant()); // hangs past the 300 ms timeout
    assertThat(row("e1").lastError()).contains("no answer within 300 ms");
    assertThat(row("e1").nextAttemptMs() - clock.millis()).isBetween(0L, 2000L);
    clock.advance(Duration.ofSeconds(2));
    worker.runOnce(clock.instant()); // 500
    assertThat(row("e1").lastStatus()).isEqualTo(500);
    clock.advance(Duration.ofSeconds(4));
    worker.runOnce(clock.instant()); // 429, Retry-After: 7
    assertThat(row("e1").lastStatus()).isEqualTo(429);
    assertThat(row("e1").nextAttemptMs() - clock.millis()).as("Retry-After honoured").isGreaterThanOrEqualTo(7000);
    clock.advance(Duration.ofSeconds(6));
    assertThat(worker.runOnce(clock.instant()))
        .as("e1 not due before its Retry-After; g2's head goes")
        .isEqualTo(1);
    assertThat(row("e1").state()).isEqualTo(OutboxRow.PENDING);
    assertThat(row("f1").state()).isEqualTo(OutboxRow.DELIVERED);

    for (int i = 0; i < 10 && !store.outbox(OutboxRow.PENDING, null, null, 10).isEmpty(); i++) {
      clock.advance(Duration.ofSeconds(10));
      worker.runOnce(clock.instant());
    }
    receiver.release();

    assertThat(store.outbox(OutboxRow.DELIVERED, null, null, 10)).hasSize(4);
    assertThat(row("e1").attempts()).isEqualTo(5);
    assertThat(receiver.processed().keySet()).containsExactly("e1", "f1", "e2", "e3");
    assertThat(receiver.processed().values()).allMatch(n -> n == 1);
    assertThat(receiver.duplicates()).as("e1 was taken by the hung request, then sent again").isEqualTo(1);
    assertThat(receiver.arrivals()).allMatch(TestReceiver.Arrival::signatureValid);
    List<String> g1 = new ArrayList<>();
    for (TestReceiver.Arrival a : receiver.arrivals()) {
      if (a.eventId().startsWith("e") && (g1.isEmpty() || !g1.get(g1.size() - 1).equals(a.eventId()))) {
        g1.add(a.eventId());
      }
    }
    assertThat(g1).as("group g1 in enqueue order, no message before its predecessor is delivered").containsExactly("e1", "e2", "e3");
    assertThat(count("delivered")).isEqualTo(4);
    assertThat(count("retried")).isEqualTo(4);
    assertThat(meters.find("nines_alert_delivery").timer().count()).isEqualTo(8);
  }

  @Test
  void permanentRefusalIsDeadAtOnceAndARedriveDeliversIt() {
    receiver.then("400").start(0);
    specs.add(spec(receiver.url(), 4, Duration.ofSeconds(2), null));
    outbox.enqueue(List.of(message("p1", "g1", T0), message("p2", "g1", T0)));

    worker.runOnce(clock.instant());
    OutboxRow dead = row("p1");
    assertThat(dead.state()).isEqualTo(OutboxRow.DEAD);
    assertThat(dead.attempts()).isEqualTo(1);
    assertThat(dead.lastStatus()).isEqualTo(400);
    assertThat(dead.lastError()).contains("permanent");
    assertThat(store.outboxDeadByReceiver()).containsEntry("ops", 1);
    assertThat(count("dead")).isEqualTo(1);

    worker.runOnce(clock.instant()); // a dead message does not hold its group up
    assertThat(row("p2").state()).isEqualTo(OutboxRow.DELIVERED);

    clock.advance(Duration.ofMinutes(1));
    assertThat(store.redriveOutbox(dead.seq(), clock.millis())).isTrue();
    assertThat(store.redriveOutbox(dead.seq(), clock.millis())).as("only a dead message is re-driven").isFalse();
    assertThat(row("p1").attempts()).isZero();
    worker.runOnce(clock.instant());
    assertThat(row("p1").state()).isEqualTo(OutboxRow.DELIVERED);
    assertThat(store.outboxDeadByReceiver()).isEmpty();
    assertThat(receiver.processed()).containsOnlyKeys("p1", "p2");
  }

  @Test
  void aMessageOlderThanMaxAgeIsDeadLetteredWithoutAnotherRequest() {
    receiver.otherwise("503").start(0);
    specs.add(spec(receiver.url(), 4, Duration.ofSeconds(2), Duration.ofMinutes(1)));
    outbox.enqueue(List.of(message("m1", "g1", T0)));

    worker.runOnce(clock.instant());
    assertThat(row("m1").state()).isEqualTo(OutboxRow.PENDING);
    assertThat(row("m1").nextAttemptMs()).isLessThanOrEqualTo(T0.plus(Duration.ofMinutes(1)).toEpochMilli());
    clock.advance(Duration.ofSeconds(61));
    worker.runOnce(clock.instant());

    OutboxRow dead = row("m1");
    assertThat(dead.state()).isEqualTo(OutboxRow.DEAD);
    assertThat(dead.lastError()).contains("maxAge 1m");
    assertThat(dead.lastStatus()).isEqualTo(503);
    assertThat(receiver.arrivals()).hasSize(1);
    assertThat(count("dead")).isEqualTo(1);
  }

  @Test
  void aMessageForAReceiverThatNoLongerExistsIsDeadLettered() {
    outbox.enqueue(List.of(message("x1", "g1", T0)));
    assertThat(worker.runOnce(clock.instant())).isZero();
    assertThat(row("x1").state()).isEqualTo(OutboxRow.DEAD);
    assertThat(row("x1").lastError()).contains("does not exist");
  }

  @Test
  void noMoreRequestsInFlightToAReceiverThanItsConcurrency() {
    receiver.then("hang", "hang", "hang").start(0);
    specs.add(spec(receiver.url(), 2, Duration.ofMillis(500), null));
    outbox.enqueue(List.of(message("c1", "g1", T0), message("c2", "g2", T0), message("c3", "g3", T0)));
    assertThat(worker.runOnce(clock.instant())).isEqualTo(2);
    receiver.release();
    assertThat(receiver.arrivals()).hasSize(2);
  }

  @Test
  void deliveredMessagesArePrunedAfterSevenDaysAndTheGaugeCountsStates() {
    receiver.start(0);
    specs.add(spec(receiver.url(), 4, Duration.ofSeconds(2), null));
    outbox.enqueue(List.of(message("d1", "g1", T0)));
    worker.runOnce(clock.instant());
    assertThat(meters.find("nines_outbox_messages").tag("state", "delivered").gauge().value()).isEqualTo(1.0);
    assertThat(worker.prune(clock.instant().plus(Duration.ofDays(6)))).isZero();
    assertThat(worker.prune(clock.instant().plus(Duration.ofDays(7)).plusMillis(1))).isEqualTo(1);
    worker.refreshCounts();
    assertThat(meters.find("nines_outbox_messages").tag("state", "delivered").gauge().value()).isZero();
  }
}

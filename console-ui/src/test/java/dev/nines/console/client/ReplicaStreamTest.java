package dev.nines.console.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nines.server.store.PostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event stream and the client on two real replicas of one backend (one PostgreSQL database):
 * when the replica the console reads goes away, the stream moves to the other and resumes with
 * {@code Last-Event-ID}; every durable event published meanwhile arrives once, in id order.
 */
class ReplicaStreamTest {
  final ManualScheduler scheduler = new ManualScheduler();
  final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void stop() {
    for (int i = closing.size() - 1; i >= 0; i--) {
      try {
        closing.get(i).close();
      } catch (Exception e) {
        // closing: nothing to tell
      }
    }
  }

  <T extends AutoCloseable> T closeLater(T c) {
    closing.add(c);
    return c;
  }

  EventStream stream(List<URI> servers, String token, String resumeFrom) {
    return closeLater(
        new EventStream(servers, token, resumeFrom, EventStreamTest.OPTIONS, Clock.systemUTC(), new Random(7), scheduler));
  }

  static List<String> routingOf(EventStreamTest.Recorder r) {
    return r.of(Events.ROUTING).stream()
        .map(e -> e.as(Events.Routing.class))
        .map(x -> x.host() + ":" + x.to())
        .toList();
  }

  @Test
  void aStreamThatCannotConnectTriesTheNextReplicaInTurn(@TempDir Path dir) throws IOException {
    URI dead;
    try (ServerSocket sock = new ServerSocket(0)) {
      dead = URI.create("http://127.0.0.1:" + sock.getLocalPort());
    }
    LiveBackend live = closeLater(new LiveBackend(dir));
    EventStream s = stream(List.of(dead, live.uri()), live.token("viewer", "wall"), null);
    EventStreamTest.Recorder r = new EventStreamTest.Recorder(s, EventStream.ANY);
    s.start();
    await().atMost(10, TimeUnit.SECONDS).until(() -> s.status().state() == ConnectionState.UNREACHABLE);
    assertThat(s.status().reason()).contains("Cannot reach the server at " + dead, "retrying in", "with " + live.uri());
    assertThat(s.server()).isEqualTo(live.uri());
    scheduler.runUpTo(Duration.ofMinutes(1));
    await().atMost(10, TimeUnit.SECONDS).until(() -> s.status().state() == ConnectionState.LIVE);
    assertThat(s.status().reason()).contains("connected to " + live.uri());
    assertThat(r.states.stream().map(ConnectionStatus::state).toList())
        .containsExactly(ConnectionState.UNREACHABLE, ConnectionState.LIVE);
  }

  @Test
  void whenTheReplicaTheStreamReadsStopsItResumesOnTheNextWithEveryDurableEventOnceInOrder() {
    String db = PostgresServer.get().newDatabase().urlWithCredentials();
    LiveBackend a = closeLater(new LiveBackend(db));
    LiveBackend b = closeLater(new LiveBackend(db));
    String viewer = a.token("viewer", "wall");
    String operator = a.token("operator", "bob"); // tokens live in the database: good on both
    BackendClient both = closeLater(new BackendClient(List.of(a.uri(), b.uri()), viewer));
    Cluster onA = both.cluster();
    assertThat(onA.replicated()).isTrue();
    assertThat(onA.leads()).isTrue();

    // as EventStream.of(client) makes it: on the client's replicas, so both move on together
    EventStream s =
        closeLater(new EventStream(
            both.replicas(), viewer, null, EventStreamTest.OPTIONS, Clock.systemUTC(), new Random(7), scheduler));
    EventStreamTest.Recorder r = new EventStreamTest.Recorder(s, EventStream.ANY);
    s.start();
    await().atMost(10, TimeUnit.SECONDS).until(() -> s.status().state() == ConnectionState.LIVE);
    assertThat(s.server()).isEqualTo(a.uri());
    assertThat(a.report("h1", "web", 50.0)).isEqualTo(200);
    assertThat(a.report("h2", "web", 50.0)).isEqualTo(200);
    await().atMost(15, TimeUnit.SECONDS).until(() -> r.of(Events.HEALTH).size() >= 2);
    String before = s.lastEventId();
    assertThat(before).isNotNull();

    a.stop();
    await().atMost(15, TimeUnit.SECONDS).until(() -> s.status().state() == ConnectionState.RECONNECTING);
    assertThat(s.status().reason()).contains("Connection to " + a.uri() + " lost", "retrying in", "with " + b.uri());
    assertThat(s.server()).isEqualTo(b.uri());

    // While the console is away, B takes the lead and an operator drains and undrains through it.
    BackendClient ops = closeLater(new BackendClient(List.of(b.uri()), operator));
    await().atMost(15, TimeUnit.SECONDS).until(() -> ops.cluster().leads());
    assertThat(ops.drain("h1", "fan", Duration.ofMinutes(5), true, false).refused()).isFalse();
    assertThat(ops.undrain("h1", "fan replaced", false).refused()).isFalse();
    assertThat(ops.drain("h2", "disk", Duration.ofMinutes(5), true, false).refused()).isFalse();
    EventStream witness = stream(List.of(b.uri()), viewer, before);
    EventStreamTest.Recorder w = new EventStreamTest.Recorder(witness, EventStream.ANY);
    witness.start();
    List<String> meanwhile = List.of("h1:DRAINING", "h1:ACTIVE", "h2:DRAINING");
    await().atMost(15, TimeUnit.SECONDS).until(() -> routingOf(w).containsAll(meanwhile));
    assertThat(routingOf(r)).isEmpty();

    scheduler.runUpTo(Duration.ofMinutes(1)); // the console's retry: on B, with Last-Event-ID
    await().atMost(10, TimeUnit.SECONDS).until(() -> s.status().state() == ConnectionState.LIVE);
    assertThat(s.status().reason()).contains("connected to " + b.uri(), "resumed after event " + before);
    assertThat(s.server()).isEqualTo(b.uri());
    assertThat(both.server()).isEqualTo(b.uri()); // the client moved with the stream
    assertThat(both.cluster().replica()).isNotEqualTo(onA.replica());
    await().atMost(15, TimeUnit.SECONDS).until(() -> r.durableIds().containsAll(w.durableIds()));
    assertThat(routingOf(r)).containsExactlyElementsOf(routingOf(w));
    assertThat(routingOf(r)).containsSubsequence(meanwhile);

    // and live from B on
    assertThat(ops.undrain("h2", "disk replaced", false).refused()).isFalse();
    await().atMost(15, TimeUnit.SECONDS).until(() -> routingOf(r).contains("h2:ACTIVE"));
    List<String> ids = r.durableIds();
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(ids.stream().map(Long::parseLong).toList()).isSorted();
    assertThat(r.states.stream().map(ConnectionStatus::state).toList())
        .containsSubsequence(ConnectionState.LIVE, ConnectionState.RECONNECTING, ConnectionState.LIVE);
  }
}

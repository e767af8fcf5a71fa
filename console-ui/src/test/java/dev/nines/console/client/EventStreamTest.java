package dev.nines.console.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event stream against a real backend: live events, refused tokens, a dead port, a restart. */
class EventStreamTest {
  /** Idle checks are scheduled an hour out, so {@link ManualScheduler#runUpTo} with a minute runs only reconnects. */
  static final EventStream.Options OPTIONS =
      new EventStream.Options(Backoff.DEFAULT, Duration.ofSeconds(2), Duration.ofHours(1));

  @TempDir Path dir;
  final ManualScheduler scheduler = new ManualScheduler();
  final List<EventStream> streams = new ArrayList<>();
  LiveBackend backend;

  @AfterEach
  void stop() {
    streams.forEach(EventStream::close);
    if (backend != null) {
      backend.close();
    }
  }

  EventStream stream(URI server, String token, String resumeFrom) {
    EventStream s = new EventStream(server, token, resumeFrom, OPTIONS, Clock.systemUTC(), new Random(7), scheduler);
    streams.add(s);
    return s;
  }

  static final class Recorder {
    final List<ServerEvent> events = new CopyOnWriteArrayList<>();
    final List<ConnectionStatus> states = new CopyOnWriteArrayList<>();

    Recorder(EventStream s, String type) {
      s.onEvent(type, events::add);
      s.onState(states::add);
    }

    List<String> durableIds() {
      return events.stream().filter(ServerEvent::durable).map(ServerEvent::id).toList();
    }

    List<ServerEvent> of(String type) {
      return events.stream().filter(e -> e.type().equals(type)).toList();
    }
  }

  @Test
  void aLiveStreamReceivesAHealthChangeReportEventsAndADrainMovingToDrained() {
    backend = new LiveBackend(dir);
    EventStream s = stream(backend.uri(), backend.token("viewer", "wall"), null);
    Recorder all = new Recorder(s, EventStream.ANY);
    List<ServerEvent> health = new CopyOnWriteArrayList<>();
    s.onEvent("health", health::add);
    s.start();
    await().atMost(10, TimeUnit.SECONDS).until(() -> s.status().state() == ConnectionState.LIVE);
    assertThat(all.states.get(0).reason()).contains("Live", backend.uri().toString());

    backend.report("web-1", "web", 50.0);
    await().atMost(10, TimeUnit.SECONDS).until(() -> !health.isEmpty());
    ServerEvent h = health.get(0);
    assertThat(h.durable()).isTrue();
    assertThat(h.json().path("hostId").asText()).isEqualTo("web-1");
    assertThat(h.json().path("to").asText()).isEqualTo("HEALTHY");
    assertThat(s.lastEventId()).isNotNull();
    await().atMost(10, TimeUnit.SECONDS).until(() -> !all.of("report").isEmpty());
    assertThat(all.of("report").get(0).durable()).isFalse();
    assertThat(health).allSatisfy(e -> assertThat(e.type()).isEqualTo("health"));
    Events.Health typed = h.as(Events.Health.class);
    assertThat(typed.hostId()).isEqualTo("web-1");
    assertThat(typed.to()).isEqualTo("HEALTHY");
    assertThat(all.of(Events.REPORT).get(0).as(Events.Report.class).hostId()).isEqualTo("web-1");

    // An operator's drain shows live: the only member, so the guard needs force.
    try (BackendClient ops = backend.client(backend.token("operator", "bob"))) {
      ActionOutcome refused = ops.drain("web-1", "disk swap", Duration.ofSeconds(5), false, false);
      assertThat(refused.refused()).isTrue();
      ActionOutcome forced = ops.drain("web-1", "disk swap", Duration.ofSeconds(5), true, false);
      assertThat(forced.plan().forced()).isTrue();
    }
    await().atMost(10, TimeUnit.SECONDS).until(() -> !all.of(Events.ROUTING).isEmpty());
    Events.Routing routing = all.of(Events.ROUTING).get(0).as(Events.Routing.class);
    assertThat(routing.host()).isEqualTo("web-1");
    assertThat(routing.from()).isEqualTo("ACTIVE");
    assertThat(routing.to()).isEqualTo("DRAINING");
    assertThat(routing.changedBy()).contains("bob");
    assertThat(routing.reason()).contains("disk swap");
    // The model server never reports 0 requests in flight here: the drain ends at its 5 s timeout.
    await().atMost(30, TimeUnit.SECONDS).until(() -> all.of(Events.ROUTING).size() >= 2);
    assertThat(all.of(Events.ROUTING).get(1).as(Events.Routing.class).to()).isEqualTo("DRAINED");
  }

  @Test
  void aRefusedTokenStopsTheRetriesAndSaysSo() {
    backend = new LiveBackend(dir);
    EventStream s = stream(backend.uri(), "nines_not-a-real-token", null);
    Recorder r = new Recorder(s, EventStream.ANY);
    s.start();
    await().atMost(10, TimeUnit.SECONDS).until(() -> s.status().state() == ConnectionState.UNAUTHORIZED);
    assertThat(s.status().reason()).contains("401", "./nines server token create");
    assertThat(s.status().retryIn()).isNull();
    assertThat(scheduler.pendingDelays()).isEmpty();

    EventStream agent = stream(backend.uri(), backend.agentToken, null);
    agent.start();
    await().atMost(10, TimeUnit.SECONDS).until(() -> agent.status().state() == ConnectionState.UNAUTHORIZED);
    assertThat(agent.status().reason()).contains("403");
    assertThat(r.events).isEmpty();
  }

  @Test
  void aTokenRevokedWhileTheStreamIsLiveStopsItAtTheClientsNextCallWithoutWaitingForAReconnect() throws Exception {
    backend = new LiveBackend(dir);
    String token = backend.token("viewer", "wall");
    try (BackendClient client = backend.client(token)) {
      EventStream s = stream(backend.uri(), token, null);
      s.follow(client);
      Recorder r = new Recorder(s, EventStream.ANY);
      s.start();
      await().atMost(10, TimeUnit.SECONDS).until(() -> s.status().state() == ConnectionState.LIVE);
      // answers that are not a refused token change nothing: a 2xx, a 404, a viewer's 403 on an action
      client.hosts();
      assertThatThrownBy(() -> client.host("no-such-host")).isInstanceOf(BackendException.class);
      assertThatThrownBy(() -> client.drain("no-such-host", "r", Duration.ofSeconds(5), false, false))
          .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.status()).isEqualTo(403));
      assertThat(s.status().state()).isEqualTo(ConnectionState.LIVE);

      backend.revoke("wall");
      // the connected stream is not told by the server; the next call is refused
      assertThatThrownBy(client::hosts)
          .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.status()).isEqualTo(401));
      assertThat(s.status().state()).isEqualTo(ConnectionState.UNAUTHORIZED);
      assertThat(s.status().reason()).contains("401", "./nines server token create");
      assertThat(s.status().retryIn()).isNull();
      assertThat(scheduler.pendingDelays()).as("no reconnect planned (only the hour-long idle check)")
          .allMatch(d -> d.compareTo(Duration.ofHours(1)) >= 0);
      scheduler.runUpTo(Duration.ofMinutes(1));
      assertThat(r.states.stream().map(ConnectionStatus::state).toList())
          .containsExactly(ConnectionState.LIVE, ConnectionState.UNAUTHORIZED);
      // said once, however many calls are refused after
      assertThatThrownBy(client::hosts).isInstanceOf(BackendException.class);
      assertThat(r.states).hasSize(2);

      // a closed stream no longer follows the client
      EventStream other = stream(backend.uri(), token, null);
      other.follow(client);
      other.close();
      assertThatThrownBy(client::hosts).isInstanceOf(BackendException.class);
      assertThat(other.status().state()).isEqualTo(ConnectionState.CONNECTING);
    }
  }

  @Test
  void anUnreachableServerIsRetriedWithGrowingDelaysAndAClearMessage() throws IOException {
    int port;
    try (ServerSocket sock = new ServerSocket(0)) {
      port = sock.getLocalPort();
    }
    EventStream s = stream(URI.create("http://127.0.0.1:" + port), "t", null);
    Recorder r = new Recorder(s, EventStream.ANY);
    s.start();
    for (int attempt = 1; attempt <= 4; attempt++) {
      int n = attempt;
      await().atMost(10, TimeUnit.SECONDS).until(() -> r.states.size() == n);
      ConnectionStatus st = r.states.get(n - 1);
      assertThat(st.state()).isEqualTo(ConnectionState.UNREACHABLE);
      assertThat(st.reason()).contains("Cannot reach the server at http://127.0.0.1:" + port, "connection refused", "retrying in");
      Duration ceiling = Backoff.DEFAULT.ceiling(n);
      assertThat(st.retryIn()).isBetween(ceiling.dividedBy(2), ceiling);
      assertThat(scheduler.pendingDelays()).containsExactly(st.retryIn());
      scheduler.runUpTo(Duration.ofMinutes(1));
    }
  }

  @Test
  void theStreamSurvivesARestartOnTheSamePortAndResumesWithoutMissingDurableEvents() {
    backend = new LiveBackend(dir);
    String token = backend.token("viewer", "wall");
    EventStream s = stream(backend.uri(), token, null);
    Recorder r = new Recorder(s, EventStream.ANY);
    s.start();
    await().atMost(10, TimeUnit.SECONDS).until(() -> s.status().state() == ConnectionState.LIVE);
    backend.report("a-1", "alpha", 50.0);
    await().atMost(10, TimeUnit.SECONDS).until(() -> !r.of("health").isEmpty());
    String before = s.lastEventId();

    backend.stop();
    await().atMost(15, TimeUnit.SECONDS).until(() -> s.status().state() == ConnectionState.RECONNECTING);
    assertThat(s.status().reason()).contains("lost", "retrying in");
    scheduler.runUpTo(Duration.ofMinutes(1)); // one try while the server is down
    await().atMost(10, TimeUnit.SECONDS).until(() -> s.status().state() == ConnectionState.UNREACHABLE);

    backend.restart();
    // Durable events fired while the console is away: two new hosts judged HEALTHY.
    backend.report("b-1", "beta", 50.0);
    backend.report("b-2", "beta", 50.0);
    EventStream witness = stream(backend.uri(), token, before);
    Recorder w = new Recorder(witness, EventStream.ANY);
    witness.start();
    await().atMost(15, TimeUnit.SECONDS).until(
        () -> w.of("health").stream().map(e -> e.json().path("hostId").asText()).toList().containsAll(List.of("b-1", "b-2")));

    scheduler.runUpTo(Duration.ofMinutes(1)); // the console's reconnect, with Last-Event-ID
    await().atMost(10, TimeUnit.SECONDS).until(() -> s.status().state() == ConnectionState.LIVE);
    assertThat(s.status().reason()).contains("resumed after event " + before);
    await().atMost(15, TimeUnit.SECONDS).until(() -> r.durableIds().containsAll(w.durableIds()));

    List<String> ids = r.durableIds();
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(ids.stream().map(Long::parseLong).toList()).isSorted();
    assertThat(r.of("health").stream().map(e -> e.json().path("hostId").asText()).toList())
        .contains("a-1", "b-1", "b-2");
    assertThat(r.states.stream().map(ConnectionStatus::state).toList())
        .containsSubsequence(ConnectionState.LIVE, ConnectionState.RECONNECTING, ConnectionState.UNREACHABLE, ConnectionState.LIVE);
  }
}

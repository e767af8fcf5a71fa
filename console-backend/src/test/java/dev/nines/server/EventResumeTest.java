package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.T0;
import static dev.nines.server.Fixtures.report;
import static dev.nines.server.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nines.server.incident.IncidentKind;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durable events over real HTTP: ids, resume with Last-Event-ID, across a restart, under load. */
class EventResumeTest {
  static final Duration WAIT = Duration.ofSeconds(15);
  @TempDir Path dir;
  final MovableClock clock = new MovableClock(T0);
  NinesServer server;
  Fixtures.Api api;
  String agent;
  long seq;
  final List<SseClient> streams = new ArrayList<>();

  @BeforeEach
  void start() {
    startServer();
    agent = server.createToken("agent", "agents");
  }

  private void startServer() {
    server =
        NinesServer.start(
            new ServerSettings("127.0.0.1", 0, dir.resolve("nines.db").toString(), null, ADMIN), clock, null);
    api = new Fixtures.Api(server);
  }

  @AfterEach
  void stop() {
    streams.forEach(SseClient::close);
    server.close();
  }

  /** A stream of the server's events as the admin, {@code query} appended to the URL. */
  private SseClient client(String query, String lastEventId) throws Exception {
    SseClient c = new SseClient(api.http, java.net.URI.create(api.base + "/api/v1/events" + query), ADMIN, lastEventId);
    streams.add(c);
    return c;
  }

  private void post(boolean hung, String host) {
    clock.advance(Duration.ofSeconds(5));
    seq++;
    assertThat(api.postReport(agent, hung ? HealthWiringTest.hung(host, seq) : report(host, seq, 0.2, 50)).statusCode())
        .isEqualTo(200);
  }

  private String health(String id) {
    var h = tree(api.get("/api/v1/hosts/" + id, ADMIN).body()).get("health");
    return h == null || h.isNull() ? "NONE" : h.get("state").asText();
  }

  private void drive(String host, boolean hung, String until) {
    await().atMost(WAIT).until(() -> { post(hung, host); return health(host).equals(until); });
  }

  private static void assertContiguous(List<Long> ids, long first, long last) {
    List<Long> expected = new ArrayList<>();
    for (long i = first; i <= last; i++) {
      expected.add(i);
    }
    assertThat(ids).containsExactlyElementsOf(expected);
  }

  @Test
  void stateChangesCarryIncreasingIdsAndReportsCarryNone() throws Exception {
    SseClient c = client("", null);
    drive("h1", false, "HEALTHY");
    drive("h1", true, "UNHEALTHY");
    await().atMost(WAIT).until(() -> c.events().stream().anyMatch(e -> e.type().equals("incident.opened")));
    List<SseClient.Event> events = c.events();
    assertThat(events).filteredOn(e -> e.type().equals("report")).isNotEmpty().allMatch(e -> e.id() == null);
    assertThat(events).filteredOn(e -> !e.type().equals("report")).allMatch(e -> e.id() != null);
    assertThat(events).extracting(SseClient.Event::type).contains("health", "incident.opened", "pool.state");
    List<Long> ids = c.ids();
    assertContiguous(ids, ids.get(0), ids.get(ids.size() - 1));
    SseClient.Event opened = events.stream().filter(e -> e.type().equals("incident.opened")).findFirst().orElseThrow();
    assertThat(tree(opened.data()).get("subject").asText()).isIn("h1", "llama");
  }

  @Test
  void aClientResumingWithLastEventIdGetsWhatItMissedThenLiveEvents() throws Exception {
    SseClient first = client("", null);
    drive("h1", false, "HEALTHY");
    drive("h1", true, "UNHEALTHY");
    await().atMost(WAIT).until(() -> first.ids().size() >= 2);
    List<Long> seen = first.ids();
    long lastSeen = seen.get(seen.size() - 1);
    first.close();

    drive("h1", false, "HEALTHY"); // missed: health, incident.closed, pool.state
    SseClient again = client("", Long.toString(lastSeen));
    await().atMost(WAIT).until(() -> again.events().stream().anyMatch(e -> e.type().equals("incident.closed")));
    drive("h1", true, "UNHEALTHY"); // live again
    await().atMost(WAIT).until(() -> again.events().stream().filter(e -> e.type().equals("incident.opened")).count() >= 1);
    List<Long> ids = again.ids();
    assertContiguous(ids, lastSeen + 1, ids.get(ids.size() - 1));
    assertThat(again.events()).extracting(SseClient.Event::type).contains("incident.closed", "incident.opened");
  }

  @Test
  void idsKeepIncreasingAcrossARestartAndResumeStillWorks() throws Exception {
    drive("h1", false, "HEALTHY");
    drive("h1", true, "UNHEALTHY");
    SseClient before = client("?lastEventId=0", null);
    await().atMost(WAIT).until(() -> before.events().stream().anyMatch(e -> e.type().equals("incident.opened")));
    List<Long> old = before.ids();
    long lastBefore = old.get(old.size() - 1);
    assertContiguous(old, 1, lastBefore);

    streams.forEach(SseClient::close);
    streams.clear();
    server.close();
    clock.advance(Duration.ofMinutes(1));
    startServer();

    SseClient after = client("?lastEventId=" + (lastBefore - 1), null);
    drive("h1", false, "HEALTHY");
    await().atMost(WAIT).until(() -> after.events().stream().anyMatch(e -> e.type().equals("incident.closed")));
    List<Long> ids = after.ids();
    assertContiguous(ids, lastBefore, ids.get(ids.size() - 1));
    assertThat(ids.get(ids.size() - 1)).isGreaterThan(lastBefore);
  }

  @Test
  void resumesRacingLivePublicationNeitherLoseNorRepeatEvents() throws Exception {
    drive("h9", false, "HEALTHY");
    drive("h9", true, "UNHEALTHY");
    SseClient watcher = client("?lastEventId=0", null);
    await().atMost(WAIT).until(() -> !watcher.ids().isEmpty());
    int actions = 300;
    CountDownLatch go = new CountDownLatch(1);
    Thread publisher =
        new Thread(
            () -> {
              try {
                go.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
              for (int i = 0; i < actions; i++) {
                server.incidents().addAction(IncidentKind.HOST, "h9", "action " + i, clock.instant());
              }
            },
            "publisher");
    publisher.start();
    go.countDown();
    List<SseClient> resumers = new ArrayList<>();
    List<Long> from = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      List<Long> now = watcher.ids();
      long n = now.get(now.size() - 1);
      from.add(n);
      resumers.add(client("", Long.toString(n)));
    }
    publisher.join(WAIT.toMillis());
    assertThat(publisher.isAlive()).isFalse();
    await().atMost(WAIT).until(() -> watcher.events().stream().filter(e -> e.type().equals("incident.updated")).count() == actions);
    long last = watcher.ids().get(watcher.ids().size() - 1);
    assertContiguous(watcher.ids(), 1, last);
    for (int i = 0; i < resumers.size(); i++) {
      SseClient r = resumers.get(i);
      try {
        long start = from.get(i);
        await().atMost(WAIT).until(() -> start == last || (!r.ids().isEmpty() && r.ids().get(r.ids().size() - 1) == last));
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError("resumer " + i + " from " + from.get(i) + " to " + last + " got " + r.ids(), e);
      }
      assertContiguous(r.ids(), from.get(i) + 1, last);
    }
  }

  @Test
  void aBadLastEventIdIs400() {
    HttpResponse<String> r = api.get("/api/v1/events?lastEventId=-3", ADMIN);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(tree(r.body()).get("detail").asText()).startsWith("lastEventId:");
  }
}

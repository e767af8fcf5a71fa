package dev.nines.server.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.server.api.ApiErrors;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two real Javalin apps on ephemeral ports: a "leader" that records every request it receives and
 * answers as told, and a "follower" with the forwarder installed in front of local handlers that
 * record what they served.
 */
class LeaderForwarderTest {
  static final String REPLICA = "replica-b";
  static final int MAX_BODY = 4096;
  static final Duration SHORT_TIMEOUT = Duration.ofMillis(700);
  static final ObjectMapper JSON = new ObjectMapper();

  /** What the leader received. */
  record Received(String method, String uri, String query, byte[] body, Map<String, String> headers) {}

  final List<Received> atLeader = new CopyOnWriteArrayList<>();
  final List<String> servedLocally = new CopyOnWriteArrayList<>();
  final AtomicBoolean followerLeads = new AtomicBoolean(false);
  final AtomicReference<Optional<URI>> leaderUrl = new AtomicReference<>(Optional.empty());
  final List<AutoCloseable> toClose = new ArrayList<>();
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  Javalin leader;
  Javalin follower;
  LeaderForwarder forwarder;

  @BeforeEach
  void start() {
    leader =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.jetty.host = "127.0.0.1";
              cfg.jetty.port = 0;
              cfg.routes.post("/api/v1/hosts/{id}/drain", leaderAnswers(202, "application/json", "{\"changed\":true,\"host\":\"ü\"}"));
              cfg.routes.put("/api/v1/pools/{id}/config", leaderAnswers(400, "application/json", "{\"error\":\"invalid pool settings\",\"detail\":\"minActive must be >= 0\"}"));
              cfg.routes.delete("/api/v1/tokens/{id}", leaderAnswers(204, null, ""));
              cfg.routes.post("/api/v1/silences", ctx -> {
                record(ctx);
                ctx.status(401).header("WWW-Authenticate", "Bearer").contentType("application/json").result("{\"error\":\"unauthorized\"}");
              });
              cfg.routes.post("/api/v1/webhooks", ctx -> {
                record(ctx);
                ctx.status(201).header("Location", "/api/v1/webhooks/w1").contentType("application/json").result("{\"id\":\"w1\"}");
              });
              cfg.routes.post("/api/v1/reports", leaderAnswers(202, "application/json", "{\"at\":\"leader\"}"));
              cfg.routes.get("/api/v1/pools/{id}/routing", leaderAnswers(200, "application/json", "{\"pool\":\"p1\",\"activeSide\":\"blue\"}"));
              cfg.routes.get("/api/v1/alerts", leaderAnswers(200, "application/json", "{\"items\":[]}"));
              cfg.routes.get("/api/v1/reports/uptime", ctx -> {
                record(ctx);
                ctx.contentType("application/pdf").header("Content-Disposition", "attachment; filename=\"u.pdf\"")
                    .result(new byte[] {'%', 'P', 'D', 'F', 0, (byte) 0xff, 1});
              });
              for (String path : List.of("/api/v1/hosts", "/api/v1/hosts/{id}/metrics", "/api/v1/incidents")) {
                cfg.routes.get(path, leaderAnswers(200, "application/json", "{\"at\":\"leader\"}"));
              }
            });
    leader.start();
    toClose.add(leader::stop);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  Handler leaderAnswers(int status, String contentType, String body) {
    return ctx -> {
      record(ctx);
      ctx.status(status);
      if (contentType != null) {
        ctx.contentType(contentType);
      }
      ctx.result(body.getBytes(StandardCharsets.UTF_8));
    };
  }

  void record(Context ctx) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : ctx.headerMap().keySet()) {
      headers.put(name, ctx.header(name));
    }
    atLeader.add(new Received(ctx.method().name(), ctx.req().getRequestURI(), ctx.queryString(), ctx.bodyAsBytes(), headers));
  }

  /** The follower: forwarder first, then local handlers for every route the tests call. */
  void startFollower(Duration timeout, int maxInFlight) {
    forwarder = new LeaderForwarder(followerLeads::get, leaderUrl::get, REPLICA, timeout, maxInFlight);
    toClose.add(forwarder);
    Handler local = ctx -> {
      servedLocally.add(ctx.method().name() + " " + ctx.path());
      ctx.status(ctx.method() == HandlerType.POST ? 202 : 200).json(Map.of("at", "follower"));
    };
    follower =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.jetty.host = "127.0.0.1";
              cfg.jetty.port = 0;
              cfg.http.maxRequestSize = MAX_BODY;
              ApiErrors.install(cfg);
              forwarder.install(cfg);
              cfg.routes.get("/healthz", local);
              cfg.routes.get("/metrics", local);
              cfg.routes.post("/api/v1/reports", local);
              cfg.routes.post("/api/v1/hosts/{id}/drain", local);
              cfg.routes.put("/api/v1/pools/{id}/config", local);
              cfg.routes.delete("/api/v1/tokens/{id}", local);
              cfg.routes.post("/api/v1/silences", local);
              cfg.routes.post("/api/v1/webhooks", local);
              for (String path : List.of(
                  "/api/v1/hosts", "/api/v1/hosts/{id}/metrics", "/api/v1/incidents", "/api/v1/events",
                  "/api/v1/pools/{id}/routing", "/api/v1/alerts", "/api/v1/reports/uptime")) {
                cfg.routes.get(path, local);
              }
            });
    follower.start();
    toClose.add(follower::stop);
  }

  void startFollower() {
    startFollower(Duration.ofSeconds(10), 8);
  }

  URI leaderBase() {
    return URI.create("http://127.0.0.1:" + leader.port());
  }

  HttpResponse<byte[]> call(String method, String pathAndQuery, byte[] body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + follower.port() + pathAndQuery))
            .timeout(Duration.ofSeconds(20))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  static JsonNode tree(HttpResponse<byte[]> r) {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text(r), e);
    }
  }

  void assertNoLeader(HttpResponse<byte[]> r) {
    assertThat(r.statusCode()).as(text(r)).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).contains("2");
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    JsonNode body = tree(r);
    assertThat(body.get("error").asText()).isEqualTo("no leader");
    assertThat(body.get("detail").asText()).contains(REPLICA).contains("retry");
    assertThat(servedLocally).isEmpty();
  }

  @Test
  void aWriteOnAFollowerReachesTheLeaderWithTheSameBytesAuthAndQueryAndItsAnswerComesBackUnchanged() {
    startFollower();
    leaderUrl.set(Optional.of(leaderBase()));
    byte[] body = "{\"reason\":\"fan failing — ü\",\"timeout\":\"30s\"}".getBytes(StandardCharsets.UTF_8);

    HttpResponse<byte[]> r =
        call("POST", "/api/v1/hosts/gpu%2Fnode-01/drain?dryRun=true&x=a%20b", body,
            "Authorization", "Bearer nines_secret-Token", "Content-Type", "application/json; charset=utf-8",
            "Accept", "application/json", "X-Request-Id", "req-42", "Cookie", "not=forwarded");

    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(text(r)).isEqualTo("{\"changed\":true,\"host\":\"ü\"}");
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(r.headers().firstValue(LeaderForwarder.LEADER)).contains(leaderBase().toString());
    assertThat(servedLocally).isEmpty();
    assertThat(atLeader).hasSize(1);
    Received got = atLeader.get(0);
    assertThat(got.method()).isEqualTo("POST");
    assertThat(got.uri()).isEqualTo("/api/v1/hosts/gpu%2Fnode-01/drain");
    assertThat(got.query()).isEqualTo("dryRun=true&x=a%20b");
    assertThat(got.body()).isEqualTo(body);
    assertThat(got.headers().get("Authorization")).isEqualTo("Bearer nines_secret-Token");
    assertThat(got.headers().get("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(got.headers().get("Accept")).isEqualTo("application/json");
    assertThat(got.headers().get("X-Request-Id")).isEqualTo("req-42");
    assertThat(got.headers().get(LeaderForwarder.FORWARDED_BY)).isEqualTo(REPLICA);
    assertThat(got.headers()).doesNotContainKey("Cookie");
  }

  @Test
  void theLeadersErrorsEmptyAnswersAndHeadersComeBackUnchanged() {
    startFollower();
    leaderUrl.set(Optional.of(leaderBase()));

    HttpResponse<byte[]> bad = call("PUT", "/api/v1/pools/p1/config", "minActive: -1\n".getBytes(StandardCharsets.UTF_8),
        "Authorization", "Bearer a", "Content-Type", "application/yaml");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(text(bad)).isEqualTo("{\"error\":\"invalid pool settings\",\"detail\":\"minActive must be >= 0\"}");

    HttpResponse<byte[]> gone = call("DELETE", "/api/v1/tokens/t1", null, "Authorization", "Bearer a");
    assertThat(gone.statusCode()).isEqualTo(204);
    assertThat(gone.body()).isEmpty();

    HttpResponse<byte[]> who = call("POST", "/api/v1/silences", "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(who.statusCode()).isEqualTo(401);
    assertThat(who.headers().firstValue("WWW-Authenticate")).contains("Bearer");

    HttpResponse<byte[]> made = call("POST", "/api/v1/webhooks", "{\"id\":\"w1\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(made.statusCode()).isEqualTo(201);
    assertThat(made.headers().firstValue("Location")).contains("/api/v1/webhooks/w1");

    HttpResponse<byte[]> pdf = call("GET", "/api/v1/reports/uptime?format=pdf&last=7d", null);
    assertThat(pdf.statusCode()).isEqualTo(200);
    assertThat(pdf.headers().firstValue("Content-Type")).contains("application/pdf");
    assertThat(pdf.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"u.pdf\"");
    assertThat(pdf.body()).isEqualTo(new byte[] {'%', 'P', 'D', 'F', 0, (byte) 0xff, 1});

    assertThat(atLeader).extracting(Received::method).containsExactly("PUT", "DELETE", "POST", "POST", "GET");
    assertThat(atLeader.get(0).headers().get("Content-Type")).isEqualTo("application/yaml");
    assertThat(servedLocally).isEmpty();
  }

  @Test
  void reportsAreStoredByTheReplicaTheyReachAndNeverForwarded() {
    startFollower();
    leaderUrl.set(Optional.of(leaderBase()));

    HttpResponse<byte[]> r = call("POST", "/api/v1/reports", "{\"agentId\":\"a\"}".getBytes(StandardCharsets.UTF_8),
        "Authorization", "Bearer agent", "Content-Type", "application/json");

    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(tree(r).get("at").asText()).isEqualTo("follower");
    assertThat(r.headers().firstValue(LeaderForwarder.LEADER)).isEmpty();
    assertThat(servedLocally).containsExactly("POST /api/v1/reports");
    assertThat(atLeader).isEmpty();
  }

  @Test
  void readsFromTheDatabaseAreServedLocallyAndReadsOfTheLeadersMemoryAreForwarded() {
    startFollower();
    leaderUrl.set(Optional.of(leaderBase()));

    for (String path : List.of("/api/v1/hosts", "/api/v1/hosts/h1/metrics?range=1h", "/api/v1/incidents", "/healthz", "/metrics")) {
      HttpResponse<byte[]> r = call("GET", path, null, "Authorization", "Bearer v");
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(tree(r).get("at").asText()).as(path).isEqualTo("follower");
    }
    assertThat(servedLocally).hasSize(5);
    assertThat(atLeader).isEmpty();

    HttpResponse<byte[]> routing = call("GET", "/api/v1/pools/p1/routing", null, "Authorization", "Bearer v");
    assertThat(text(routing)).isEqualTo("{\"pool\":\"p1\",\"activeSide\":\"blue\"}");
    HttpResponse<byte[]> alerts = call("GET", "/api/v1/alerts?state=firing", null, "Authorization", "Bearer v");
    assertThat(text(alerts)).isEqualTo("{\"items\":[]}");
    assertThat(atLeader).extracting(Received::uri).containsExactly("/api/v1/pools/p1/routing", "/api/v1/alerts");
    assertThat(atLeader.get(1).query()).isEqualTo("state=firing");
    assertThat(atLeader.get(1).headers().get("Authorization")).isEqualTo("Bearer v");
    assertThat(servedLocally).hasSize(5);
  }

  @Test
  void theLeaderServesEverythingItselfAndForwardsNothing() {
    startFollower();
    followerLeads.set(true);
    leaderUrl.set(Optional.of(leaderBase()));

    assertThat(call("POST", "/api/v1/hosts/h1/drain", "{}".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(202);
    assertThat(call("GET", "/api/v1/pools/p1/routing", null).statusCode()).isEqualTo(200);
    assertThat(call("DELETE", "/api/v1/tokens/t1", null).statusCode()).isEqualTo(200);

    assertThat(servedLocally).containsExactly(
        "POST /api/v1/hosts/h1/drain", "GET /api/v1/pools/p1/routing", "DELETE /api/v1/tokens/t1");
    assertThat(atLeader).isEmpty();
  }

  @Test
  void withNoLeaderKnownAWriteGets503WithRetryAfterAndChangesNothing() {
    startFollower();

    HttpResponse<byte[]> r = call("POST", "/api/v1/hosts/h1/drain", "{\"reason\":\"x\"}".getBytes(StandardCharsets.UTF_8),
        "Authorization", "Bearer op");

    assertNoLeader(r);
    assertThat(tree(r).get("detail").asText()).contains("no leader is known");
    assertThat(r.headers().firstValue(LeaderForwarder.LEADER)).isEmpty();
    assertNoLeader(call("GET", "/api/v1/alerts", null));
    assertThat(atLeader).isEmpty();
  }

  @Test
  void aLeaderThatRefusesConnectionsGives503AtOnce() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    startFollower(Duration.ofSeconds(10), 8);
    leaderUrl.set(Optional.of(URI.create("http://127.0.0.1:" + closedPort)));

    long t0 = System.nanoTime();
    HttpResponse<byte[]> r = call("POST", "/api/v1/hosts/h1/drain", "{}".getBytes(StandardCharsets.UTF_8));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    assertNoLeader(r);
    assertThat(tree(r).get("detail").asText()).contains("could not connect to the leader at http://127.0.0.1:" + closedPort);
    assertThat(r.headers().firstValue(LeaderForwarder.LEADER)).contains("http://127.0.0.1:" + closedPort);
    assertThat(took).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aLeaderThatNeverAnswersGives503WhenTheTimeoutEnds() throws IOException {
    BlackHole hole = new BlackHole();
    toClose.add(hole);
    startFollower(SHORT_TIMEOUT, 8);
    leaderUrl.set(Optional.of(hole.url()));

    long t0 = System.nanoTime();
    HttpResponse<byte[]> r = call("PUT", "/api/v1/pools/p1/config", "minActive: 2\n".getBytes(StandardCharsets.UTF_8));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    assertNoLeader(r);
    assertThat(tree(r).get("detail").asText()).contains("no answer from the leader").contains("within 700 ms");
    assertThat(took).isGreaterThanOrEqualTo(SHORT_TIMEOUT.minusMillis(50)).isLessThan(SHORT_TIMEOUT.plusSeconds(3));
    assertThat(hole.accepted()).isEqualTo(1);
  }

  @Test
  void aLeaderThatStallsHalfWayThroughItsAnswerGives503WhenTheTimeoutEnds() throws IOException {
    BlackHole hole = new BlackHole(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"par".getBytes(StandardCharsets.US_ASCII));
    toClose.add(hole);
    startFollower(SHORT_TIMEOUT, 8);
    leaderUrl.set(Optional.of(hole.url()));

    long t0 = System.nanoTime();
    HttpResponse<byte[]> r = call("GET", "/api/v1/alerts", null);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    assertNoLeader(r);
    assertThat(tree(r).get("detail").asText()).contains("no answer from the leader");
    assertThat(took).isLessThan(SHORT_TIMEOUT.plusSeconds(3));
  }

  @Test
  void aRequestAlreadyForwardedIsNotForwardedAgainByAReplicaThatDoesNotLead() {
    startFollower();
    leaderUrl.set(Optional.of(leaderBase()));

    HttpResponse<byte[]> r = call("POST", "/api/v1/hosts/h1/drain", "{}".getBytes(StandardCharsets.UTF_8),
        LeaderForwarder.FORWARDED_BY, "replica-a");

    assertNoLeader(r);
    assertThat(tree(r).get("detail").asText()).contains("already forwarded by replica-a");
    assertThat(atLeader).isEmpty();
  }

  @Test
  void aForwardedRequestReachingTheLeaderIsServedThere() {
    startFollower();
    followerLeads.set(true);

    HttpResponse<byte[]> r = call("POST", "/api/v1/hosts/h1/drain", "{}".getBytes(StandardCharsets.UTF_8),
        LeaderForwarder.FORWARDED_BY, "replica-a");

    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(servedLocally).containsExactly("POST /api/v1/hosts/h1/drain");
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413AndNotForwarded() {
    startFollower();
    leaderUrl.set(Optional.of(leaderBase()));
    byte[] big = new byte[MAX_BODY + 1];
    java.util.Arrays.fill(big, (byte) 'x');

    HttpResponse<byte[]> r = call("POST", "/api/v1/hosts/h1/drain", big, "Content-Type", "application/json");

    assertThat(r.statusCode()).as(text(r)).isEqualTo(413);
    assertThat(tree(r).get("error").asText()).isNotBlank();
    assertThat(atLeader).isEmpty();
    assertThat(servedLocally).isEmpty();
  }

  @Test
  void requestsBeyondTheInFlightBoundGet503AtOnceWhileTheLeaderIsSlow() throws Exception {
    BlackHole hole = new BlackHole();
    toClose.add(hole);
    startFollower(Duration.ofSeconds(3), 1);
    leaderUrl.set(Optional.of(hole.url()));

    CompletableFuture<HttpResponse<byte[]>> first =
        CompletableFuture.supplyAsync(() -> call("POST", "/api/v1/hosts/h1/drain", "{}".getBytes(StandardCharsets.UTF_8)));
    await().atMost(Duration.ofSeconds(5)).until(() -> hole.accepted() == 1);
    long t0 = System.nanoTime();
    HttpResponse<byte[]> second = call("POST", "/api/v1/hosts/h2/drain", "{}".getBytes(StandardCharsets.UTF_8));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    assertNoLeader(second);
    assertThat(tree(second).get("detail").asText()).contains("already has 1 requests waiting");
    assertThat(took).isLessThan(Duration.ofSeconds(2));
    assertNoLeader(first.get(10, TimeUnit.SECONDS));
    assertThat(hole.accepted()).isEqualTo(1);
  }

  /** Accepts connections and never answers (or answers only the first bytes it is given). */
  static final class BlackHole implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    BlackHole() throws IOException {
      this(new byte[0]);
    }

    BlackHole(byte[] firstBytes) throws IOException {
      acceptor = new Thread(() -> {
        while (!socket.isClosed()) {
          try {
            Socket s = socket.accept();
            held.add(s);
            s.getOutputStream().write(firstBytes);
            s.getOutputStream().flush();
          } catch (IOException closed) {
            return;
          }
        }
      }, "black-hole");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    int accepted() {
      return held.size();
    }

    @Override
    public void close() throws Exception {
      socket.close();
      for (Socket s : held) {
        s.close();
      }
      acceptor.join(5_000);
    }
  }
}

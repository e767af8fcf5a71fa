package dev.nines.console.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client of several replicas against a real backend and real sockets that fail in each way a
 * replica can: a closed port, a replica without a leader (503 "no leader"), and one that takes the
 * request and drops the connection. Reads move on and are retried; a write is retried only when no
 * connection was made, so it never runs twice.
 */
class ReplicaFailoverTest {
  @TempDir Path dir;
  LiveBackend backend;
  HttpServer noLeader;
  final AtomicInteger noLeaderCalls = new AtomicInteger();
  ServerSocket dropper;
  final AtomicInteger dropped = new AtomicInteger();
  final ExecutorService accept = Executors.newSingleThreadExecutor();
  String operator;

  @BeforeEach
  void start() throws IOException {
    backend = new LiveBackend(dir);
    operator = backend.token("operator", "alice");
    assertThat(backend.report("h1", "web", 50.0)).isEqualTo(200);
    noLeader = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    noLeader.createContext("/", ex -> {
      noLeaderCalls.incrementAndGet();
      ex.getRequestBody().readAllBytes();
      byte[] body = "{\"error\":\"no leader\",\"detail\":\"the leader did not answer\"}".getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.getResponseHeaders().add("Retry-After", "2");
      ex.sendResponseHeaders(503, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    noLeader.start();
    // reads the request's first bytes, then closes without answering: the request did reach it
    dropper = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    accept.execute(() -> {
      while (!dropper.isClosed()) {
        try (Socket s = dropper.accept()) {
          InputStream in = s.getInputStream();
          if (in.read(new byte[4096]) > 0) {
            dropped.incrementAndGet();
          }
        } catch (IOException e) {
          // closed at the end of the test
        }
      }
    });
  }

  @AfterEach
  void stop() throws IOException {
    backend.close();
    noLeader.stop(0);
    dropper.close();
    accept.shutdownNow();
  }

  static URI closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + s.getLocalPort());
    }
  }

  URI noLeaderUri() {
    return URI.create("http://127.0.0.1:" + noLeader.getAddress().getPort());
  }

  URI dropperUri() {
    return URI.create("http://127.0.0.1:" + dropper.getLocalPort());
  }

  BackendClient client(String token, URI... servers) {
    return new BackendClient(List.of(servers), token, Duration.ofSeconds(2), Duration.ofSeconds(10), Clock.systemUTC());
  }

  long drainsAudited() {
    try (BackendClient admin = backend.client(LiveBackend.ADMIN)) {
      return admin.audit(null).items().stream().filter(e -> e.action().contains("drain")).count();
    }
  }

  @Test
  void aCommaSeparatedListIsParsedInOrderAndBlanksAroundCommasAreIgnored() {
    assertThat(BackendClient.parseServers(" http://a:7070/ , http://b:7071,,http://a:7070"))
        .containsExactly(URI.create("http://a:7070"), URI.create("http://b:7071"), URI.create("http://a:7070"));
    assertThatThrownBy(() -> BackendClient.parseServers("http://a:1,ftp://b")).hasMessageContaining("ftp://b");
    assertThatThrownBy(() -> BackendClient.parseServers(" , ")).hasMessageContaining("at least one");
    BackendClient c = new BackendClient(BackendClient.parseServers("http://a:1,http://b:2,http://a:1"), "t");
    assertThat(c.servers()).containsExactly(URI.create("http://a:1"), URI.create("http://b:2"));
    assertThat(c.server()).isEqualTo(URI.create("http://a:1"));
  }

  @Test
  void aReadSkipsARefusedReplicaAndTheClientStaysOnTheOneThatAnswered() throws IOException {
    URI dead = closedPort();
    try (BackendClient c = client(operator, dead, backend.uri())) {
      assertThat(c.server()).isEqualTo(dead);
      assertThat(c.hosts()).extracting(Host::id).containsExactly("h1");
      assertThat(c.server()).isEqualTo(backend.uri());
      assertThat(c.host("h1").id()).isEqualTo("h1");
      assertThat(c.server()).isEqualTo(backend.uri());
    }
  }

  @Test
  void aWriteToARefusedReplicaIsSentToTheNextAndRunsOnce() throws IOException {
    URI dead = closedPort();
    try (BackendClient c = client(operator, dead, backend.uri())) {
      ActionOutcome out = c.drain("h1", "fan", Duration.ofSeconds(30), true, false);
      assertThat(out.refused()).isFalse();
      assertThat(c.server()).isEqualTo(backend.uri());
    }
    assertThat(backend.client(operator).host("h1").routing().state()).isIn("DRAINING", "DRAINED");
    assertThat(drainsAudited()).isEqualTo(1);
  }

  @Test
  void aReadAnsweredNoLeaderIsRetriedOnTheNextReplica() {
    try (BackendClient c = client(operator, noLeaderUri(), backend.uri())) {
      assertThat(c.pools()).isNotNull();
      assertThat(noLeaderCalls).hasValue(1);
      assertThat(c.server()).isEqualTo(backend.uri());
    }
  }

  @Test
  void aWriteAnsweredNoLeaderIsNotRetriedButTheNextCallGoesToTheNextReplica() {
    try (BackendClient c = client(operator, noLeaderUri(), backend.uri())) {
      assertThatThrownBy(() -> c.drain("h1", "fan", Duration.ofSeconds(30), true, false))
          .isInstanceOfSatisfying(BackendException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.error()).isEqualTo("no leader");
            assertThat(e.operatorMessage()).contains("retry");
          });
      assertThat(noLeaderCalls).hasValue(1);
      assertThat(drainsAudited()).isZero();
      assertThat(c.server()).isEqualTo(backend.uri());
      // the operator's retry goes to the replica that answers
      assertThat(c.drain("h1", "fan", Duration.ofSeconds(30), true, false).refused()).isFalse();
    }
    assertThat(drainsAudited()).isEqualTo(1);
  }

  @Test
  void aWriteWhoseConnectionBrokeAfterSendingIsNotSentAgainButTheNextCallGoesToTheNextReplica() {
    try (BackendClient c = client(operator, dropperUri(), backend.uri())) {
      assertThatThrownBy(() -> c.drain("h1", "fan", Duration.ofSeconds(30), true, false))
          .isInstanceOfSatisfying(BackendException.class,
              e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.UNREACHABLE));
      assertThat(dropped).hasValue(1);
      assertThat(drainsAudited()).isZero();
      assertThat(c.server()).isEqualTo(backend.uri());
      assertThat(c.hosts()).extracting(Host::id).containsExactly("h1");
      assertThat(dropped).hasValue(1);
    }
  }

  @Test
  void aReadWhoseConnectionBrokeIsRetriedOnTheNextReplica() {
    try (BackendClient c = client(operator, dropperUri(), backend.uri())) {
      assertThat(c.hosts()).extracting(Host::id).containsExactly("h1");
      // the JDK's client may retry an idempotent request once on the same connection target first
      assertThat(dropped.get()).isBetween(1, 2);
      assertThat(c.server()).isEqualTo(backend.uri());
    }
  }

  @Test
  void whenNoReplicaCanBeReachedTheMessageNamesThemAll() throws IOException {
    URI one = closedPort();
    URI two = closedPort();
    try (BackendClient c = client(operator, one, two)) {
      assertThatThrownBy(c::hosts)
          .isInstanceOfSatisfying(BackendException.class, e -> {
            assertThat(e.kind()).isEqualTo(BackendException.Kind.UNREACHABLE);
            assertThat(e.operatorMessage())
                .contains("Cannot reach any of the 2 servers", one.toString(), two.toString(), "refused the connection");
          });
    }
  }
}

package dev.nines.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real HTTP on ephemeral loopback ports. */
class AgentHttpTest {
  private static final Duration LONG = Duration.ofSeconds(10);

  private final AgentHttp http = AgentHttp.create(Duration.ofSeconds(2));
  private final ExecutorService serverThreads = Executors.newCachedThreadPool();
  private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(serverThreads);
    server.createContext("/echo", ex -> {
      clientPorts.add(ex.getRemoteAddress().getPort());
      bodies.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("X-Test") + " "
          + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      ex.getResponseHeaders().set("Content-Type", "text/plain");
      ex.getResponseHeaders().set("Retry-After", "7");
      respond(ex, 200, "pong");
    });
    server.createContext("/fail", ex -> respond(ex, 503, "{\"error\":\"down\"}"));
    server.createContext("/moved", ex -> {
      ex.getResponseHeaders().set("Location", "/echo");
      respond(ex, 302, "");
    });
    server.createContext("/big", ex -> respond(ex, 200, "x".repeat(100)));
    server.createContext("/big-chunked", ex -> {
      ex.sendResponseHeaders(200, 0); // chunked: no length announced
      try (OutputStream out = ex.getResponseBody()) {
        for (int i = 0; i < 10; i++) {
          out.write("0123456789".getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } catch (IOException e) {
        // the client gave up
      }
    });
    server.start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.stop(0);
    serverThreads.shutdownNow();
    serverThreads.awaitTermination(5, TimeUnit.SECONDS);
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    try (ex) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        ex.getResponseBody().write(bytes);
      }
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void getReadsTheStatusTheBodyAndTheHeadersWanted() throws Exception {
    Response r = http.send(Request.get(uri("/echo"), Map.of("X-Test", "a"), LONG, 1000));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.ok()).isTrue();
    assertThat(r.text()).isEqualTo("pong");
    assertThat(r.contentType()).isEqualTo("text/plain");
    assertThat(r.retryAfter()).isEqualTo("7");
    assertThat(bodies).containsExactly("GET a ");
  }

  @Test
  void postSendsItsBodyAndHeaders() throws Exception {
    Response r =
        http.send(
            Request.post(
                uri("/echo"), Map.of("X-Test", "b"), "{\"n\":1}".getBytes(StandardCharsets.UTF_8), LONG, 1000));

    assertThat(r.status()).isEqualTo(200);
    assertThat(bodies).containsExactly("POST b {\"n\":1}");
  }

  @Test
  void anErrorStatusComesBackWithItsBody() throws Exception {
    Response r = http.send(Request.get(uri("/fail"), Map.of(), LONG, 1000));

    assertThat(r.status()).isEqualTo(503);
    assertThat(r.ok()).isFalse();
    assertThat(r.text()).isEqualTo("{\"error\":\"down\"}");
  }

  @Test
  void aRedirectIsReturnedNotFollowed() throws Exception {
    Response r = http.send(Request.get(uri("/moved"), Map.of(), LONG, 1000));

    assertThat(r.status()).isEqualTo(302);
    assertThat(clientPorts).isEmpty();
  }

  @Test
  void theConnectionIsKeptAliveBetweenRequests() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(http.send(Request.get(uri("/echo"), Map.of(), LONG, 1000)).status()).isEqualTo(200);
      // an error answer's body is read too, so the connection stays usable
      assertThat(http.send(Request.get(uri("/fail"), Map.of(), LONG, 1000)).status()).isEqualTo(503);
    }

    assertThat(clientPorts).hasSize(3);
    assertThat(clientPorts.stream().distinct()).hasSize(1);
  }

  @Test
  void anAnswerLargerThanTheCapFailsTheRequest() {
    assertThatThrownBy(() -> http.send(Request.get(uri("/big"), Map.of(), LONG, 99)))
        .isInstanceOf(IOException.class)
        .hasMessage("answer larger than 99 bytes");
    assertThatThrownBy(() -> http.send(Request.get(uri("/big-chunked"), Map.of(), LONG, 55)))
        .isInstanceOf(IOException.class)
        .hasMessage("answer larger than 55 bytes");
  }

  @Test
  void anAnswerOfExactlyTheCapIsRead() throws Exception {
    assertThat(http.send(Request.get(uri("/big"), Map.of(), LONG, 100)).body()).hasSize(100);
    assertThat(http.send(Request.get(uri("/big-chunked"), Map.of(), LONG, 100)).body()).hasSize(100);
  }

  @Test
  void aServerThatNeverAnswersTimesOutAtTheLimit() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = acceptAndThen(silent, socket -> {
        socket.getInputStream().read(new byte[4096]);
        socket.getInputStream().read(); // blocks until the client closes
      });
      long start = System.nanoTime();

      assertThatThrownBy(
              () ->
                  http.send(
                      Request.get(
                          URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/"),
                          Map.of(),
                          Duration.ofMillis(300),
                          1000)))
          .isInstanceOfSatisfying(
              RequestTimeoutException.class, e -> assertThat(e.connecting()).isFalse())
          .hasMessage("no answer within 300 ms");
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(tookMs).isBetween(250L, 2000L);
      acceptor.join(5000);
      assertThat(acceptor.isAlive()).as("the client closed the connection").isFalse();
    }
  }

  @Test
  void aServerThatTricklesItsAnswerTimesOutAtTheLimit() throws Exception {
    try (ServerSocket trickler = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      acceptAndThen(trickler, socket -> {
        socket.getInputStream().read(new byte[4096]);
        OutputStream out = socket.getOutputStream();
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 200; i++) {
          out.write('x');
          out.flush();
          Thread.sleep(50); // a slow server, not a wait for the test
        }
      });
      long start = System.nanoTime();

      assertThatThrownBy(
              () ->
                  http.send(
                      Request.get(
                          URI.create("http://127.0.0.1:" + trickler.getLocalPort() + "/"),
                          Map.of(),
                          Duration.ofMillis(500),
                          1 << 20)))
          .isInstanceOf(RequestTimeoutException.class)
          .hasMessage("no answer within 500 ms");
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(tookMs).isBetween(450L, 3000L);
    }
  }

  @Test
  void aRefusedConnectionSaysSo() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }

    assertThatThrownBy(
            () -> http.send(Request.get(URI.create("http://127.0.0.1:" + port + "/"), Map.of(), LONG, 10)))
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void anInterruptedCallerSendsNothing() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> http.send(Request.get(uri("/echo"), Map.of(), LONG, 10)))
          .isInstanceOf(InterruptedException.class);
    } finally {
      Thread.interrupted();
    }
    assertThat(clientPorts).isEmpty();
  }

  @Test
  void theWorkersCarryManyExchangesAtOnce() throws Exception {
    // The server answers nobody until all requests have arrived: this only passes when the
    // workers send them all at the same time.
    int n = 6;
    CountDownLatch arrived = new CountDownLatch(n);
    AtomicInteger answered = new AtomicInteger();
    server.createContext("/together", ex -> {
      arrived.countDown();
      try {
        arrived.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      answered.incrementAndGet();
      respond(ex, 204, "");
    });
    List<CompletableFuture<Response>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return http.send(Request.get(uri("/together"), Map.of(), LONG, 10));
                } catch (IOException | InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              },
              http.workers()));
    }
    for (CompletableFuture<Response> f : all) {
      assertThat(f.get(15, TimeUnit.SECONDS).status()).isEqualTo(204);
    }
    assertThat(arrived.getCount()).isZero();
  }

  @Test
  void requestsAreValidated() {
    assertThatThrownBy(() -> Request.get(URI.create("ftp://h/"), Map.of(), LONG, 10))
        .hasMessageContaining("uri");
    assertThatThrownBy(() -> Request.get(uri("/"), Map.of(), Duration.ZERO, 10))
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> Request.get(uri("/"), Map.of(), LONG, -1))
        .hasMessageContaining("maxResponseBytes");
    assertThatThrownBy(() -> AgentHttp.create(Duration.ZERO)).hasMessageContaining("connectTimeout");
  }

  private interface SocketWork {
    void run(Socket socket) throws Exception;
  }

  private static Thread acceptAndThen(ServerSocket listener, SocketWork work) {
    Thread t = new Thread(() -> {
      try (Socket socket = listener.accept()) {
        work.run(socket);
      } catch (Exception e) {
        // the client went away
      }
    });
    t.setDaemon(true);
    t.start();
    return t;
  }
}

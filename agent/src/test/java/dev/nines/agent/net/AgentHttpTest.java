package dev.nines.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentHttpTest {
  @Test
  void plainHttpNeverCreatesTheTlsContext() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      byte[] body = "pong".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
    try {
      HttpClient client = AgentHttp.newClient(Duration.ofSeconds(1));
      AgentHttp.LazyTlsContext tls = (AgentHttp.LazyTlsContext) client.sslContext();
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("pong");
      assertThat(tls.initialised()).isFalse();
      assertThat(client.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void twoWorkerThreadsStillCarryManyConcurrentExchanges() throws Exception {
    // The server answers nobody until all requests have arrived: this only passes if the client
    // sends them all at once, whatever the size of its worker pool.
    int n = 6;
    java.util.concurrent.CountDownLatch arrived = new java.util.concurrent.CountDownLatch(n);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(n));
    server.createContext("/", ex -> {
      arrived.countDown();
      try {
        arrived.await(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    server.start();
    try {
      HttpClient client = AgentHttp.newClient(Duration.ofSeconds(1));
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<Void>>> all = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        all.add(client.sendAsync(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.discarding()));
      }
      for (var f : all) {
        assertThat(f.get(15, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(204);
      }
      assertThat(arrived.getCount()).isZero();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anHttpsConnectionCreatesTheRealTlsContextOnFirstUse() throws Exception {
    // A TCP peer that closes at once: the TLS handshake fails, but only after the real context
    // had to be created for it.
    try (ServerSocket peer = new ServerSocket(0)) {
      Thread closer = new Thread(() -> {
        try (Socket s = peer.accept()) {
          s.getInputStream().read();
        } catch (IOException ignored) {
          // The client gave up first.
        }
      });
      closer.setDaemon(true);
      closer.start();
      HttpClient client = AgentHttp.newClient(Duration.ofSeconds(1));
      AgentHttp.LazyTlsContext tls = (AgentHttp.LazyTlsContext) client.sslContext();
      assertThat(tls.initialised()).isFalse();
      assertThatThrownBy(
              () ->
                  client.send(
                      HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + peer.getLocalPort() + "/"))
                          .timeout(Duration.ofSeconds(5))
                          .build(),
                      HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
      assertThat(tls.initialised()).isTrue();
    }
  }
}

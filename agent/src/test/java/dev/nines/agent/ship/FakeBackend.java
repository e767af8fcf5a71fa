package dev.nines.agent.ship;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nines.protocol.ReportReply;
import dev.nines.protocol.RoutingState;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongToIntFunction;

/** A backend on a real socket that records the sequence numbers posted to it. */
public final class FakeBackend implements AutoCloseable {
  /** Jackson set up as the real backend's: the agent's own codec is checked against it. */
  private static final ObjectMapper JSON =
      new ObjectMapper().setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

  private final HttpServer server;
  /** Every seq posted, in arrival order. */
  public final List<Long> posted = new CopyOnWriteArrayList<>();
  /** Seqs answered with 2xx, in arrival order. */
  public final List<Long> accepted = new CopyOnWriteArrayList<>();
  public final List<String> authorization = new CopyOnWriteArrayList<>();
  public volatile LongToIntFunction statusFor = seq -> 200;
  public volatile RoutingState desired = RoutingState.ACTIVE;
  public volatile String reason;
  public volatile long changedAtMs = 1;

  private FakeBackend(HttpServer server) {
    this.server = server;
  }

  public static FakeBackend start() throws IOException {
    return start(0);
  }

  public static FakeBackend start(int port) throws IOException {
    // Without it the JDK server's answers wait ~40 ms on delayed ACKs (see LocalServer).
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    FakeBackend backend = new FakeBackend(server);
    server.createContext("/api/v1/reports", backend::handle);
    server.start();
    return backend;
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      long seq = JSON.readTree(exchange.getRequestBody().readAllBytes()).get("seq").asLong();
      posted.add(seq);
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      authorization.add(auth == null ? "" : auth);
      int status = statusFor.applyAsInt(seq);
      byte[] body;
      if (status / 100 == 2) {
        accepted.add(seq);
        body = JSON.writeValueAsBytes(
            new ReportReply(1, true, false, desired, reason, changedAtMs, null));
      } else {
        body = ("{\"error\":\"status " + status + "\"}").getBytes();
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

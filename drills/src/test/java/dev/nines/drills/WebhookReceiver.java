package dev.nines.drills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.nines.server.notify.Signer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An alert receiver on a loopback ephemeral port (the JDK's HttpServer): records every POST with
 * the instant it arrived and whether its {@code X-Nines-Signature} verifies with {@code secret}, and
 * answers 200.
 */
final class WebhookReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One request as it arrived.
   *
   * @param fencingToken its {@code X-Nines-Fencing-Token} (sent by replicas), or null when absent
   */
  record Delivery(long arrivedNanos, String eventId, boolean signatureOk, JsonNode body, String fencingToken) {}

  private final HttpServer server;
  private final String secret;
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "webhook-receiver");
    t.setDaemon(true);
    return t;
  });
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile Predicate<JsonNode> holdWhen = body -> false;

  private WebhookReceiver(HttpServer server, String secret) {
    this.server = server;
    this.secret = secret;
  }

  static WebhookReceiver start(String secret) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
      WebhookReceiver r = new WebhookReceiver(server, secret);
      server.createContext("/hook", exchange -> {
        long at = System.nanoTime();
        byte[] body = exchange.getRequestBody().readAllBytes();
        String ts = exchange.getRequestHeaders().getFirst("X-Nines-Timestamp");
        String sig = exchange.getRequestHeaders().getFirst("X-Nines-Signature");
        String id = exchange.getRequestHeaders().getFirst("X-Nines-Event-Id");
        String fencing = exchange.getRequestHeaders().getFirst("X-Nines-Fencing-Token");
        JsonNode json;
        try {
          json = JSON.readTree(body);
        } catch (IOException e) {
          json = null;
        }
        r.deliveries.add(new Delivery(at, id, Signer.verify(r.secret, ts, body, sig), json, fencing));
        if (json != null && r.holdWhen.test(json)) {
          try {
            r.released.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        try {
          exchange.sendResponseHeaders(200, -1);
        } catch (IOException gone) {
          // the sender went away while the answer was held
        }
        exchange.close();
      });
      server.setExecutor(r.threads);
      server.start();
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the webhook receiver", e);
    }
  }

  /**
   * From now on, a request whose body matches is recorded at once but answered only after {@link
   * #release()} (at most 30 s later): a receiver that processed a message and is slow to say so.
   */
  void holdAnswers(Predicate<JsonNode> which) {
    holdWhen = which;
  }

  /** Answers the held requests, and holds none from now on. */
  void release() {
    holdWhen = body -> false;
    released.countDown();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /**
   * The first delivery that carries a firing alert named {@code alertname} for {@code host}, or null.
   */
  Delivery firstFiring(String alertname, String host) {
    for (Delivery d : deliveries) {
      if (carriesFiring(d.body(), alertname, host)) {
        return d;
      }
    }
    return null;
  }

  /** Whether a Nines message body carries a firing alert named {@code alertname} for {@code host}. */
  static boolean carriesFiring(JsonNode body, String alertname, String host) {
    if (body == null) {
      return false;
    }
    for (JsonNode a : body.path("alerts")) {
      JsonNode labels = a.path("labels");
      if ("firing".equals(a.path("status").asText())
          && alertname.equals(labels.path("alertname").asText())
          && host.equals(labels.path("host").asText())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    release();
    server.stop(0);
    threads.shutdownNow();
  }
}

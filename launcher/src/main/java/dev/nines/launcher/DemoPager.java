package dev.nines.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nines.server.notify.Signer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The demo's pager: an alert receiver on a loopback port that checks each message's signature and
 * prints its alerts, registered with the demo's server as receiver {@code demo-pager}.
 */
final class DemoPager implements AutoCloseable {
  static final String RECEIVER_ID = "demo-pager";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final String secret;
  private final PrintStream out;

  private DemoPager(HttpServer server, String secret, PrintStream out) {
    this.server = server;
    this.secret = secret;
    this.out = out;
  }

  /**
   * Starts the receiver and registers it (creating it, or replacing an earlier demo's) with the
   * server at {@code base} using the admin token.
   */
  static DemoPager start(String base, String adminToken, PrintStream out) throws IOException, InterruptedException {
    byte[] key = new byte[24];
    new SecureRandom().nextBytes(key);
    String secret = HexFormat.of().formatHex(key);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 20);
    DemoPager pager = new DemoPager(server, secret, out);
    server.createContext("/pager", pager::handle);
    server.start();
    try {
      pager.register(base, adminToken);
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.stop(0);
      throw e;
    }
    return pager;
  }

  private void register(String base, String adminToken) throws IOException, InterruptedException {
    ObjectNode spec = JSON.createObjectNode();
    spec.put("id", RECEIVER_ID);
    spec.put("kind", "webhook");
    spec.put("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/pager");
    spec.put("secret", secret);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> created = http.send(
        request(base + "/api/v1/webhooks", adminToken).POST(HttpRequest.BodyPublishers.ofString(spec.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() == 409) {
      created = http.send(
          request(base + "/api/v1/webhooks/" + RECEIVER_ID, adminToken)
              .PUT(HttpRequest.BodyPublishers.ofString(spec.toString())).build(),
          HttpResponse.BodyHandlers.ofString());
    }
    if (created.statusCode() / 100 != 2) {
      throw new IOException("registering the demo pager: HTTP " + created.statusCode() + " " + created.body());
    }
  }

  private static HttpRequest.Builder request(String url, String token) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json");
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String ts = exchange.getRequestHeaders().getFirst("X-Nines-Timestamp");
      String signature = exchange.getRequestHeaders().getFirst("X-Nines-Signature");
      if (!Signer.verify(secret, ts, body, signature)) {
        out.println("  [pager] refused a message with a bad signature");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      JsonNode message = JSON.readTree(body);
      for (JsonNode alert : message.path("alerts")) {
        JsonNode labels = alert.path("labels");
        String where = labels.has("host") ? "host " + labels.path("host").asText() : "pool " + labels.path("pool").asText();
        out.printf("  [pager] %-8s %-22s %-22s %s%n", alert.path("status").asText().toUpperCase(java.util.Locale.ROOT),
            labels.path("alertname").asText(), where, alert.path("annotations").path("summary").asText());
      }
      out.flush();
      exchange.sendResponseHeaders(200, -1);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

package dev.nines.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nines.server.notify.TestReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server process test-fires messages at a receiver that first refuses connections, then lets
 * one request time out (having processed it), then answers 500; the server is killed with SIGKILL
 * while it retries and started again on the same database after the receiver recovered: every
 * message arrives, processed once each by the idempotent receiver (the timed-out one is sent again
 * and absorbed as a duplicate), in the order fired, every request signed.
 */
class DeliveryRestartTest {
  static final int MESSAGES = 5;

  @TempDir Path dir;

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void everyTestFiredMessageArrivesOnceThroughRefusalTimeoutErrorsSigkillAndARestart() throws Exception {
    Path db = dir.resolve("nines.db");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<String> fired = new ArrayList<>();
    try (TestReceiver receiver = new TestReceiver("s3cret").start(0)) {
      receiver.stop(); // connections to its port are refused from now on
      try (ServerProcess server = ServerProcess.start(dir, db, Fixtures.ADMIN, List.of("-Xmx256m"))) {
        HttpResponse<String> created =
            send(http, server.url(), "/api/v1/webhooks",
                "{\"id\":\"ops\",\"kind\":\"webhook\",\"url\":\"" + receiver.url() + "\",\"secret\":\"s3cret\",\"timeout\":\"1s\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        for (int i = 0; i < MESSAGES; i++) {
          HttpResponse<String> r = send(http, server.url(), "/api/v1/webhooks/ops/test", "{}");
          assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
          fired.add(Fixtures.tree(r.body()).get("eventId").asText());
        }
        await("a delivery attempt refused")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> {
              JsonNode page = Fixtures.tree(get(http, server.url(), "/api/v1/deliveries?state=pending").body());
              for (JsonNode item : page.get("items")) {
                if (item.get("attempts").asInt() >= 1 && item.get("eventId").asText().equals(fired.get(0))) {
                  return true;
                }
              }
              return false;
            });
        assertThat(receiver.arrivals()).as("nothing reached a refusing receiver").isEmpty();

        receiver.then("hang").otherwise("500").start(receiver.port());
        await("a timed-out attempt and a 500")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> receiver.arrivals().stream().anyMatch(a -> a.answer().equals("500")));
        assertThat(receiver.arrivals().get(0).answer()).isEqualTo("hang");
        assertThat(server.kill()).as("exit status of SIGKILL").isEqualTo(137);
      }
      assertThat(receiver.processed().keySet())
          .as("only the timed-out message was processed before the kill")
          .containsExactly(fired.get(0));

      receiver.release();
      receiver.otherwise("ok");
      try (ServerProcess again = ServerProcess.start(dir, db, Fixtures.ADMIN, List.of("-Xmx256m"))) {
        await("every fired message at the receiver after the restart")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> receiver.processed().keySet().containsAll(fired));
        await("the server records every message as delivered")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> Fixtures.tree(get(http, again.url(), "/api/v1/deliveries?state=delivered").body())
                .get("items").size() == MESSAGES);
      }
      assertThat(List.copyOf(receiver.processed().keySet())).as("once each, in the order fired").isEqualTo(fired);
      assertThat(receiver.processed().values()).allMatch(n -> n == 1);
      assertThat(receiver.duplicates()).as("the timed-out message, sent again, absorbed").isGreaterThanOrEqualTo(1);
      assertThat(receiver.arrivals()).isNotEmpty().allMatch(TestReceiver.Arrival::signatureValid);
    }
  }

  private static HttpResponse<String> get(HttpClient http, String base, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + Fixtures.ADMIN)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> send(HttpClient http, String base, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + Fixtures.ADMIN)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

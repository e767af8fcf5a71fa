package dev.nines.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * A real server process test-fires messages at a receiver that answers 500, is killed with SIGKILL
 * while it retries, and is started again on the same database after the receiver recovered: every
 * message arrives, processed once each by the idempotent receiver, in the order fired, signed.
 */
class DeliveryRestartTest {
  static final int MESSAGES = 5;

  @TempDir Path dir;

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void everyTestFiredMessageArrivesOnceAfterASigkillAndARestart() throws Exception {
    Path db = dir.resolve("nines.db");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<String> fired = new ArrayList<>();
    try (TestReceiver receiver = new TestReceiver("s3cret").otherwise("500").start(0)) {
      try (ServerProcess server = ServerProcess.start(dir, db, Fixtures.ADMIN, List.of("-Xmx256m"))) {
        HttpResponse<String> created =
            send(http, server.url(), "/api/v1/webhooks",
                "{\"id\":\"ops\",\"kind\":\"webhook\",\"url\":\"" + receiver.url() + "\",\"secret\":\"s3cret\",\"timeout\":\"2s\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        for (int i = 0; i < MESSAGES; i++) {
          HttpResponse<String> r = send(http, server.url(), "/api/v1/webhooks/ops/test", "{}");
          assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
          fired.add(Fixtures.tree(r.body()).get("eventId").asText());
        }
        await("the first server trying (and failing) to deliver")
            .atMost(Duration.ofSeconds(30))
            .until(() -> receiver.arrivals().size() >= 2);
        assertThat(server.kill()).as("exit status of SIGKILL").isEqualTo(137);
      }
      assertThat(receiver.processed()).as("a receiver answering 500 processed nothing").isEmpty();

      receiver.otherwise("ok");
      try (ServerProcess again = ServerProcess.start(dir, db, Fixtures.ADMIN, List.of("-Xmx256m"))) {
        await("every fired message at the receiver after the restart")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> receiver.processed().keySet().containsAll(fired));
      }
      assertThat(List.copyOf(receiver.processed().keySet())).as("once each, in the order fired").isEqualTo(fired);
      assertThat(receiver.processed().values()).allMatch(n -> n == 1);
      assertThat(receiver.arrivals()).isNotEmpty().allMatch(TestReceiver.Arrival::signatureValid);
    }
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

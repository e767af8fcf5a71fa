package dev.nines.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nines.server.NinesServer;
import dev.nines.server.ServerSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's pager registers itself with a real server, prints signed alerts and refuses forged ones. */
class DemoPagerTest {
  static final String ADMIN = "demo-pager-admin-token-0123456789";
  @TempDir Path dir;

  @Test
  void printsATestFiredAlertAndRefusesAnUnsignedMessage() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    HttpClient http = HttpClient.newHttpClient();
    try (NinesServer server =
            NinesServer.start(
                new ServerSettings("127.0.0.1", 0, dir.resolve("nines.db").toString(), null, ADMIN), Clock.systemUTC());
        DemoPager pager = DemoPager.start(server.url(), ADMIN, out);
        DemoPager again = DemoPager.start(server.url(), ADMIN, out)) {
      // the second start replaced the receiver (as a demo restarted on the same data does): the test
      // message goes to it
      HttpResponse<String> fired = http.send(
          HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/webhooks/" + DemoPager.RECEIVER_ID + "/test"))
              .header("Authorization", "Bearer " + ADMIN)
              .POST(HttpRequest.BodyPublishers.ofString("{}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(fired.statusCode()).as(fired.body()).isEqualTo(202);
      await().atMost(Duration.ofSeconds(20)).until(() -> bytes.toString(StandardCharsets.UTF_8).contains("nines-test"));
      assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("[pager] FIRING").doesNotContain("bad signature");

      String url = server.url();
      HttpResponse<String> receivers = http.send(
          HttpRequest.newBuilder(URI.create(url + "/api/v1/webhooks/" + DemoPager.RECEIVER_ID))
              .header("Authorization", "Bearer " + ADMIN).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      String pagerUrl = new com.fasterxml.jackson.databind.ObjectMapper().readTree(receivers.body()).get("url").asText();
      HttpResponse<String> forged = http.send(
          HttpRequest.newBuilder(URI.create(pagerUrl))
              .header("X-Nines-Timestamp", "1")
              .header("X-Nines-Signature", "sha256=00")
              .POST(HttpRequest.BodyPublishers.ofString("{\"alerts\":[]}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(forged.statusCode()).isEqualTo(401);
      assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("bad signature");
    }
  }
}

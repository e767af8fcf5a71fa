package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.report;
import static dev.nines.server.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventsTest {
  @TempDir Path dir;
  NinesServer server;
  Fixtures.Api api;
  String agent;
  String viewer;

  @BeforeEach
  void start() {
    server = Fixtures.start(dir);
    api = new Fixtures.Api(server);
    agent = server.createToken("agent", "agents");
    viewer = server.createToken("viewer", "console");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Streams the body's lines into a list on a background thread. */
  private List<String> subscribe(HttpRequest request) throws Exception {
    HttpResponse<Stream<String>> response = api.http.send(request, HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).contains("text/event-stream"));
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> response.body().forEach(lines::add), "sse-test-reader");
    reader.setDaemon(true);
    reader.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains(":connected") || lines.contains(": connected"));
    return lines;
  }

  @Test
  void clientReceivesReportEventAfterAPost() throws Exception {
    List<String> lines =
        subscribe(
            HttpRequest.newBuilder(URI.create(api.base + "/api/v1/events"))
                .header("Authorization", "Bearer " + viewer)
                .header("Accept", "text/event-stream")
                .GET()
                .build());

    api.postReport(agent, report("node-7", 3, 0.2, 50));
    api.postReport(agent, report("node-7", 3, 0.2, 50)); // duplicate: no event
    api.postReport(agent, report("node-7", 4, 0.2, 50));

    // health events (the host turning HEALTHY) share the stream; only report events count here
    await().atMost(Duration.ofSeconds(10)).until(() -> reportEvents(lines).size() >= 2);
    List<String[]> reports = reportEvents(lines);
    assertThat(reports).hasSize(2);
    JsonNode first = tree(reports.get(0)[1]);
    assertThat(first.get("hostId").asText()).isEqualTo("node-7");
    assertThat(first.get("seq").asLong()).isEqualTo(3);
    assertThat(first.get("collectedAtMs").asLong()).isEqualTo(Fixtures.T0 + 3 * 5000);
    assertThat(tree(reports.get(1)[1]).get("seq").asLong()).isEqualTo(4);
    // report events are live only: no id, so they never move a client's Last-Event-ID
    assertThat(reports.get(0)[0]).isNull();
    assertThat(reports.get(1)[0]).isNull();
  }

  /** The {id, data} of every {@code report} event, in order. */
  private static List<String[]> reportEvents(List<String> lines) {
    List<String> snapshot = List.copyOf(lines);
    List<String[]> out = new java.util.ArrayList<>();
    String event = null;
    String id = null;
    String data = null;
    for (String l : snapshot) {
      if (l.isEmpty()) {
        if ("report".equals(event) && data != null) {
          out.add(new String[] {id, data});
        }
        event = null;
        id = null;
        data = null;
      } else if (l.startsWith("event:")) {
        event = l.substring(6).strip();
      } else if (l.startsWith("id:")) {
        id = l.substring(3).strip();
      } else if (l.startsWith("data:")) {
        data = l.substring(5).strip();
      }
    }
    return out;
  }

  @Test
  void eventSourceClientsMayPassTheTokenInTheQuery() throws Exception {
    List<String> lines =
        subscribe(HttpRequest.newBuilder(URI.create(api.base + "/api/v1/events?token=" + ADMIN)).GET().build());
    api.postReport(agent, report("node-1", 1, 0.2, 50));
    await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("event: report"));
  }

  @Test
  void clientThatDisconnectsIsRemoved() throws Exception {
    HttpResponse<Stream<String>> response =
        api.http.send(
            HttpRequest.newBuilder(URI.create(api.base + "/api/v1/events"))
                .header("Authorization", "Bearer " + viewer)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    await().atMost(Duration.ofSeconds(10)).until(() -> metric().contains("nines_events_clients 1.0"));
    response.body().close();

    long[] seq = {0};
    // A departed client is noticed when a write to it fails; reports make the writes.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              api.postReport(agent, report("node-9", ++seq[0], 0.2, 50));
              return metric().contains("nines_events_clients 0.0");
            });
  }

  private String metric() {
    return api.get("/metrics", null).body();
  }

  @Test
  void streamWithoutTokenIs401() {
    HttpResponse<String> r = api.get("/api/v1/events", null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(tree(r.body()).get("error").asText()).isEqualTo("unauthorized");
  }
}

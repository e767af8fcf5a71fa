package dev.nines.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A test client of {@code GET /api/v1/events} over real HTTP: connects (optionally resuming after
 * {@code Last-Event-ID}), waits for the server's "connected" comment, and collects the lines on a
 * background thread; {@link #events()} parses what arrived so far.
 */
public final class SseClient implements AutoCloseable {
  /** How long to wait for the stream to be connected. */
  static final Duration CONNECT_WAIT = Duration.ofSeconds(20);

  /** One received SSE event; id null when it carried none. */
  public record Event(Long id, String type, String data) {}

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Stream<String> body;

  /**
   * @param url the events URL, query included
   * @param lastEventId sent as {@code Last-Event-ID}, or null
   */
  public SseClient(HttpClient http, URI url, String token, String lastEventId) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url).header("Authorization", "Bearer " + token).header("Accept", "text/event-stream");
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<Stream<String>> res = http.send(b.GET().build(), HttpResponse.BodyHandlers.ofLines());
    assertThat(res.statusCode()).isEqualTo(200);
    body = res.body();
    Thread t =
        new Thread(
            () -> {
              try {
                body.forEach(lines::add);
              } catch (java.io.UncheckedIOException closed) {
                // the test closed this stream; Awaitility would report the exception otherwise
              }
            },
            "sse-test-reader");
    t.setDaemon(true);
    t.start();
    await().atMost(CONNECT_WAIT).until(() -> lines.stream().anyMatch(l -> l.startsWith(":") && l.contains("connected")));
  }

  /** The events received so far, in order. */
  public List<Event> events() {
    List<Event> out = new ArrayList<>();
    String type = null;
    Long id = null;
    String data = null;
    for (String l : List.copyOf(lines)) {
      if (l.isEmpty()) {
        if (type != null && data != null) {
          out.add(new Event(id, type, data));
        }
        type = null;
        id = null;
        data = null;
      } else if (l.startsWith("event:")) {
        type = l.substring(6).strip();
      } else if (l.startsWith("id:")) {
        id = Long.parseLong(l.substring(3).strip());
      } else if (l.startsWith("data:")) {
        data = l.substring(5).strip();
      }
    }
    return out;
  }

  /** The ids of the durable events received so far. */
  public List<Long> ids() {
    return events().stream().filter(e -> e.id() != null).map(Event::id).toList();
  }

  @Override
  public void close() {
    body.close();
  }
}

package dev.nines.server.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.server.api.ApiErrors;
import dev.nines.server.api.Json;
import dev.nines.server.auth.Access;
import dev.nines.server.auth.TokenService;
import dev.nines.server.events.EventHub;
import dev.nines.server.store.Store;
import dev.nines.server.store.Stores;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * One "replica" for the tests: its own store on a shared database, a replicated {@link EventHub} and
 * a Javalin app serving {@code GET /api/v1/events} on an ephemeral port.
 */
final class EventReplica implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(20);
  final Store store;
  final EventHub hub;
  final Javalin app;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Stream<String>> streams = new CopyOnWriteArrayList<>();

  /** @param tailEvery null: the test runs the tail by hand */
  EventReplica(String db, Clock clock, Duration tailEvery) {
    store = Stores.open(db, clock);
    ObjectMapper json = Json.api();
    hub = EventHub.replicated(new Access(new TokenService(store, clock)), json, Duration.ofSeconds(30), store, tailEvery);
    app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.jetty.host = "127.0.0.1";
              cfg.jetty.port = 0;
              ApiErrors.install(cfg);
              cfg.routes.get("/api/v1/events", hub::handle);
            });
    app.start();
  }

  /** One received SSE event; id null when it carried none. */
  record Event(Long id, String type, String data) {}

  /** A connected stream whose lines a background thread collects. */
  final class Client {
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final Stream<String> body;

    Client(String token, String lastEventId) throws Exception {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/v1/events"))
              .header("Authorization", "Bearer " + token)
              .header("Accept", "text/event-stream");
      if (lastEventId != null) {
        b.header("Last-Event-ID", lastEventId);
      }
      HttpResponse<Stream<String>> res = http.send(b.GET().build(), HttpResponse.BodyHandlers.ofLines());
      assertThat(res.statusCode()).isEqualTo(200);
      body = res.body();
      streams.add(body);
      Thread t =
          new Thread(
              () -> {
                try {
                  body.forEach(lines::add);
                } catch (java.io.UncheckedIOException closed) {
                  // the test closed this stream
                }
              },
              "sse-replica-reader");
      t.setDaemon(true);
      t.start();
      await().atMost(WAIT).until(() -> lines.stream().anyMatch(l -> l.startsWith(":") && l.contains("connected")));
    }

    List<Event> events() {
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

    List<Long> ids() {
      return events().stream().filter(e -> e.id() != null).map(Event::id).toList();
    }

    void close() {
      body.close();
    }
  }

  @Override
  public void close() {
    streams.forEach(Stream::close);
    app.stop();
    hub.close();
    store.close();
  }
}

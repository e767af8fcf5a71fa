package dev.nines.server.replica;


import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.server.SseClient;
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
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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
  private final List<SseClient> streams = new CopyOnWriteArrayList<>();

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

  /** A stream of this replica's events with {@code token}, resuming after {@code lastEventId} (or null). */
  SseClient client(String token, String lastEventId) throws Exception {
    SseClient c = new SseClient(http, URI.create("http://127.0.0.1:" + app.port() + "/api/v1/events"), token, lastEventId);
    streams.add(c);
    return c;
  }

  @Override
  public void close() {
    streams.forEach(SseClient::close);
    app.stop();
    hub.close();
    store.close();
  }
}

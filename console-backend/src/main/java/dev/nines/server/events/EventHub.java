package dev.nines.server.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.server.api.ApiException;
import dev.nines.server.auth.Access;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/events}: server-sent events to every connected client. Events get ids that
 * only grow; one dispatcher thread sends them in order, and sends a keep-alive comment now and then,
 * which is also how a client that went away is noticed and removed.
 */
public final class EventHub implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

  /** The payload of a {@code report} event. */
  public record ReportEvent(String hostId, long seq, long collectedAtMs) {}

  private final Access access;
  private final ObjectMapper json;
  private final Set<SseClient> clients = new CopyOnWriteArraySet<>();
  private final AtomicLong nextId = new AtomicLong(1);
  private final ScheduledExecutorService dispatcher =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "nines-events");
            t.setDaemon(true);
            return t;
          });

  public EventHub(Access access, ObjectMapper json, Duration keepAlive) {
    this.access = access;
    this.json = json;
    long ms = keepAlive.toMillis();
    dispatcher.scheduleAtFixedRate(this::keepAlive, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** The route handler: any valid token, in the header or as {@code ?token=}. */
  public void handle(Context ctx) throws Exception {
    access.requireAllowingQueryToken(ctx, Access.READERS);
    String accept = ctx.header("Accept");
    if (accept != null && !accept.contains("text/event-stream") && !accept.contains("*/*")) {
      throw new ApiException(406, "not acceptable", "this is an event stream: accept text/event-stream");
    }
    // Like Javalin's own SseHandler, but it also serves clients that send no Accept header
    // (curl, scripts).
    HttpServletResponse res = ctx.res();
    res.setStatus(200);
    res.setCharacterEncoding("UTF-8");
    res.setContentType("text/event-stream");
    res.addHeader("Cache-Control", "no-cache");
    res.addHeader("X-Accel-Buffering", "no");
    res.flushBuffer();
    attach(new SseClient(ctx));
  }

  private void attach(SseClient client) {
    client.keepAlive();
    client.onClose(() -> clients.remove(client));
    clients.add(client);
    client.sendComment("connected");
  }

  /** Announces a newly stored report to every client. Never blocks the caller. */
  public void publishReport(String hostId, long seq, long collectedAtMs) {
    publish("report", new ReportEvent(hostId, seq, collectedAtMs));
  }

  /** The payload of a {@code health} event. */
  public record HealthEvent(
      String hostId, String from, String to, long at, java.util.List<String> rules, String reason) {}

  /** Announces a change of a host's health to every client. Never blocks the caller. */
  public void publishHealth(
      String hostId, String from, String to, long atMs, java.util.List<String> rules, String reason) {
    publish("health", new HealthEvent(hostId, from, to, atMs, java.util.List.copyOf(rules), reason));
  }

  private void publish(String event, Object payload) {
    String data;
    try {
      data = json.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event payload cannot be written as JSON", e);
    }
    try {
      dispatcher.execute(
          () -> {
            String id = Long.toString(nextId.getAndIncrement());
            for (SseClient c : clients) {
              send(c, () -> c.sendEvent(event, data, id));
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // shutting down: nobody is listening any more
    }
  }

  private void keepAlive() {
    for (SseClient c : clients) {
      send(c, () -> c.sendComment("keep-alive"));
    }
  }

  private void send(SseClient c, Runnable write) {
    try {
      write.run();
    } catch (RuntimeException e) {
      LOG.debug("dropping an event client: {}", e.getMessage());
      clients.remove(c);
      c.close();
    }
    if (c.terminated()) {
      clients.remove(c);
    }
  }

  /** Clients connected now. */
  public int clients() {
    return clients.size();
  }

  /** Ends every stream and stops the dispatcher. */
  @Override
  public void close() {
    dispatcher.shutdown();
    try {
      dispatcher.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SseClient c : clients) {
      c.close();
    }
    clients.clear();
  }
}

package dev.nines.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.protocol.AgentReport;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nines.server.api.HostView.HealthView;
import dev.nines.server.auth.Access;
import dev.nines.server.store.HealthInterval;
import dev.nines.server.store.HealthRecord;
import dev.nines.server.store.RoutingInterval;
import dev.nines.server.store.HostRecord;
import dev.nines.server.store.Store;
import dev.nines.server.store.StoreException;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/hosts}, {@code GET /api/v1/hosts/{id}}: the latest state of hosts;
 * {@code GET /api/v1/hosts/{id}/health?from=&to=}: their stored health intervals;
 * {@code GET /api/v1/hosts/{id}/routing?from=&to=}: their stored routing intervals (drains,
 * maintenance, quarantines, with who and why).
 */
public final class HostsApi {
  /** The window of the health intervals when {@code from} is not given. */
  static final Duration DEFAULT_HEALTH_WINDOW = Duration.ofHours(24);
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private final Store store;
  private final Access access;
  private final Clock clock;
  private final ObjectMapper json;

  public HostsApi(Store store, Access access, Clock clock, ObjectMapper json) {
    this.store = store;
    this.access = access;
    this.clock = clock;
    this.json = json;
  }

  /** Every host, ordered by id. */
  public void list(Context ctx) {
    access.require(ctx, Access.READERS);
    long now = clock.millis();
    List<HostView> out = new ArrayList<>();
    Map<String, HealthRecord> health = store.currentHealth();
    for (HostRecord h : store.hosts()) {
      out.add(view(h, health.get(h.id()), now));
    }
    ctx.json(out);
  }

  /** One host; 404 for an id never seen. */
  public void one(Context ctx) {
    access.require(ctx, Access.READERS);
    String id = ctx.pathParam("id");
    HostRecord h =
        store.host(id).orElseThrow(() -> new ApiException(404, "unknown host", "no host with id '" + id + "'"));
    ctx.json(view(h, store.currentHealth(id).orElse(null), clock.millis()));
  }

  /** One stored stretch of health, {@code [from, to)} in epoch ms; {@code to} null while current. */
  public record IntervalView(
      String state, long from, Long to, List<String> rules, String reason, JsonNode figures) {}

  /** The answer of the health route: the window asked for and the intervals overlapping it. */
  public record HealthIntervals(String hostId, long from, long to, List<IntervalView> intervals) {}

  /**
   * The health intervals of one host overlapping {@code [from, to)}, oldest first, unclipped.
   * {@code from} and {@code to} are ISO-8601 instants or epoch ms; {@code to} defaults to now and
   * {@code from} to 24 h before {@code to}. 400 for a bad value, 404 for an unknown host.
   */
  public void health(Context ctx) {
    access.require(ctx, Access.READERS);
    String id = ctx.pathParam("id");
    long[] window = window(ctx, id);
    long from = window[0];
    long to = window[1];
    List<IntervalView> out = new ArrayList<>();
    for (HealthInterval i : store.healthIntervals(id, from, to)) {
      try {
        out.add(
            new IntervalView(
                i.state(), i.fromMs(), i.toMs(), json.readValue(i.rulesJson(), STRINGS), i.reason(),
                json.readTree(i.figuresJson())));
      } catch (JsonProcessingException e) {
        throw new StoreException("stored health of host " + id + " cannot be read: " + e.getOriginalMessage(), e);
      }
    }
    ctx.json(new HealthIntervals(id, from, to, out));
  }

  /** One stored stretch of routing, {@code [from, to)} in epoch ms; {@code to} null while current. */
  public record RoutingIntervalView(String state, long from, Long to, String reason, String changedBy) {}

  /** The answer of the routing route: the window asked for and the intervals overlapping it. */
  public record RoutingIntervals(String hostId, long from, long to, List<RoutingIntervalView> intervals) {}

  /**
   * The routing intervals of one host overlapping {@code [from, to)}, oldest first, unclipped: who
   * drained it, put it in maintenance or quarantined it, and why. Readable by every reader (the
   * audit log, which says the same and more, is for operators). Same parameters and errors as
   * {@link #health}.
   */
  public void routing(Context ctx) {
    access.require(ctx, Access.READERS);
    String id = ctx.pathParam("id");
    long[] window = window(ctx, id);
    long from = window[0];
    long to = window[1];
    List<RoutingIntervalView> out = new ArrayList<>();
    for (RoutingInterval i : store.routingIntervals(id, from, to)) {
      out.add(new RoutingIntervalView(i.state(), i.fromMs(), i.toMs(), i.reason(), i.changedBy()));
    }
    ctx.json(new RoutingIntervals(id, from, to, out));
  }

  /**
   * The {@code [from, to)} of a history route ({@code to} defaults to now, {@code from} to 24 h
   * before it); 400 for a bad or empty window, 404 for an unknown host.
   */
  private long[] window(Context ctx, String id) {
    long to = instant("to", ctx.queryParam("to"), clock.millis());
    long from = instant("from", ctx.queryParam("from"), to - DEFAULT_HEALTH_WINDOW.toMillis());
    if (from >= to) {
      throw new ApiException(400, "invalid parameter", "from (" + from + ") must be before to (" + to + ")");
    }
    if (store.host(id).isEmpty()) {
      throw new ApiException(404, "unknown host", "no host with id '" + id + "'");
    }
    return new long[] {from, to};
  }

  /** Parses an ISO-8601 instant or epoch milliseconds; {@code fallback} when absent. Pure. */
  static long instant(String name, String value, long fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    String v = value.strip();
    try {
      if (v.matches("-?\\d{1,19}")) {
        return Long.parseLong(v);
      }
      return Instant.parse(v).toEpochMilli();
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      throw new ApiException(
          400, "invalid parameter",
          name + ": '" + value + "' is neither an ISO-8601 instant (2024-05-01T00:00:00Z) nor epoch milliseconds");
    }
  }

  private HostView view(HostRecord h, HealthRecord health, long now) {
    AgentReport latest;
    try {
      latest = json.readValue(h.lastReportJson(), AgentReport.class);
    } catch (JsonProcessingException e) {
      throw new StoreException("stored report of host " + h.id() + " cannot be read: " + e.getOriginalMessage(), e);
    }
    HealthView hv = null;
    if (health != null) {
      try {
        hv = new HealthView(health.state(), health.sinceMs(), health.reason(), json.readValue(health.rulesJson(), STRINGS));
      } catch (JsonProcessingException e) {
        throw new StoreException("stored health of host " + h.id() + " cannot be read: " + e.getOriginalMessage(), e);
      }
    }
    return HostView.of(h, latest, hv, now);
  }
}

package dev.nines.server.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.server.api.ApiException;
import dev.nines.server.audit.Audit;
import dev.nines.server.auth.Access;
import dev.nines.server.auth.Principal;
import dev.nines.server.config.Durations;
import dev.nines.server.notify.Matcher;
import dev.nines.server.store.PageKey;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code GET /api/v1/alerts}, {@code GET /api/v1/alerts/{fingerprint}}, {@code POST
 * /api/v1/alerts/{fingerprint}/ack}, {@code GET|POST /api/v1/silences} and {@code DELETE
 * /api/v1/silences/{id}}. Reading: viewers and up; acknowledging and silencing: operators and up.
 * Every write is audited.
 */
public final class AlertsApi {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  static final Duration MAX_SILENCE = Duration.ofDays(30);
  static final int MAX_COMMENT = 2000;

  private final java.util.function.Supplier<AlertService> alertsSource;
  private final Access access;
  private final Audit audit;
  private final ObjectMapper json;
  private final Clock clock;

  public AlertsApi(
      java.util.function.Supplier<AlertService> alerts, Access access, Audit audit, ObjectMapper json, Clock clock) {
    this.alertsSource = alerts;
    this.access = access;
    this.audit = audit;
    this.json = json;
    this.clock = clock;
  }

  /** An acknowledgement. */
  public record AckView(String by, String comment, long at) {}

  /** An alert; times epoch ms, null where not reached. */
  public record AlertView(
      String fingerprint, Map<String, String> labels, Map<String, String> annotations, String state,
      long activeSince, Long startsAt, Long endsAt, AckView ack, List<String> suppressedBy) {}

  /** A silence; times epoch ms. */
  public record SilenceView(
      String id, List<String> matchers, String author, String comment, long startsAt, long endsAt, long createdAt,
      String state) {}

  /** A page: newest first, {@code nextCursor} null on the last. */
  public record Page<T>(List<T> items, String nextCursor) {}

  // --- alerts ---

  /** {@code GET /api/v1/alerts?state&pool&host&alertname&severity&limit&cursor}. */
  public void list(Context ctx) {
    access.require(ctx, Access.READERS);
    String state = param(ctx, "state");
    if (state != null && !List.of("pending", "firing", "resolved").contains(state)) {
      throw bad("state: '" + state + "' must be pending, firing or resolved");
    }
    Map<String, String> want = new LinkedHashMap<>();
    for (String l : List.of("pool", "host", "alertname", "severity")) {
      String v = param(ctx, l);
      if (v != null) {
        want.put(l, v);
      }
    }
    int limit = limit(param(ctx, "limit"));
    PageKey cursor = cursor(param(ctx, "cursor"));
    List<Alert> rows = new ArrayList<>();
    for (Alert a : alertService().alerts()) {
      if (state != null && !a.state().wire().equals(state)) {
        continue;
      }
      if (!want.entrySet().stream().allMatch(e -> e.getValue().equals(a.labels().get(e.getKey())))) {
        continue;
      }
      if (cursor != null && !before(a.sortTime().toEpochMilli(), a.fingerprint(), cursor)) {
        continue;
      }
      rows.add(a);
      if (rows.size() > limit) {
        break;
      }
    }
    ctx.json(page(rows, limit, a -> new PageKey(a.sortTime().toEpochMilli(), a.fingerprint()), AlertsApi::view));
  }

  /** {@code GET /api/v1/alerts/{fingerprint}}: 404 for an unknown one. */
  public void one(Context ctx) {
    access.require(ctx, Access.READERS);
    String fp = ctx.pathParam("fingerprint");
    Alert a = alertService().alert(fp).orElseThrow(() -> new ApiException(404, "unknown alert", "no alert with fingerprint " + fp));
    ctx.json(view(a));
  }

  /** {@code POST /api/v1/alerts/{fingerprint}/ack {comment}}: 404 unknown, 409 not firing. */
  public void ack(Context ctx) {
    Principal p = access.require(ctx, Access.OPERATORS);
    String fp = ctx.pathParam("fingerprint");
    JsonNode body = body(ctx, true);
    String comment = "";
    if (body != null && body.has("comment") && !body.get("comment").isNull()) {
      if (!body.get("comment").isTextual()) {
        throw bad("comment must be a string");
      }
      comment = body.get("comment").asText().strip();
      if (comment.length() > MAX_COMMENT) {
        throw bad("comment must be at most " + MAX_COMMENT + " characters");
      }
    }
    if (body != null) {
      unknownKeys(body, List.of("comment"));
    }
    Instant now = clock.instant();
    switch (alertService().acknowledge(fp, p.name(), comment, now)) {
      case UNKNOWN -> throw new ApiException(404, "unknown alert", "no alert with fingerprint " + fp);
      case NOT_FIRING -> throw new ApiException(409, "alert not firing", "only a firing alert can be acknowledged");
      default -> {}
    }
    audit.record(p.actor(), "alert.ack", fp, Map.of("comment", comment));
    ctx.json(view(alertService().alert(fp).orElseThrow()));
  }

  // --- silences ---

  /** {@code GET /api/v1/silences?limit&cursor}: newest first. */
  public void silences(Context ctx) {
    access.require(ctx, Access.READERS);
    int limit = limit(param(ctx, "limit"));
    PageKey cursor = cursor(param(ctx, "cursor"));
    Instant now = clock.instant();
    List<Silence> rows = new ArrayList<>();
    for (Silence s : alertService().silences()) {
      if (cursor != null && !before(s.createdAt().toEpochMilli(), s.id(), cursor)) {
        continue;
      }
      rows.add(s);
      if (rows.size() > limit) {
        break;
      }
    }
    ctx.json(page(rows, limit, s -> new PageKey(s.createdAt().toEpochMilli(), s.id()), s -> view(s, now)));
  }

  /**
   * {@code POST /api/v1/silences {matchers: ["pool=chat"], comment, startsAt?, endsAt | duration}}:
   * 400 for no matchers, a bad matcher, an empty comment, an end not after its start or now, a
   * length over 30 days.
   */
  public void createSilence(Context ctx) {
    Principal p = access.require(ctx, Access.OPERATORS);
    Instant now = clock.instant();
    Silence s = parseSilence(body(ctx, false), p.name(), now);
    alertService().addSilence(s);
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("matchers", s.matchers().stream().map(Matcher::toString).toList());
    detail.put("comment", s.comment());
    detail.put("startsAt", s.startsAt().toEpochMilli());
    detail.put("endsAt", s.endsAt().toEpochMilli());
    audit.record(p.actor(), "silence.create", s.id(), detail);
    ctx.status(201).json(view(s, now));
  }

  /** {@code DELETE /api/v1/silences/{id}}: expires it; 404 for an unknown one. */
  public void expireSilence(Context ctx) {
    Principal p = access.require(ctx, Access.OPERATORS);
    String id = ctx.pathParam("id");
    Instant now = clock.instant();
    Silence s = alertService().expireSilence(id, now).orElseThrow(() -> new ApiException(404, "unknown silence", "no silence with id " + id));
    audit.record(p.actor(), "silence.expire", id, Map.of());
    ctx.json(view(s, now));
  }

  /** Reads and checks a new silence. Pure but for the id it draws. */
  static Silence parseSilence(JsonNode body, String author, Instant now) {
    unknownKeys(body, List.of("matchers", "comment", "startsAt", "endsAt", "duration"));
    JsonNode m = body.get("matchers");
    if (m == null || !m.isArray() || m.isEmpty()) {
      throw bad("matchers must be a non-empty list such as [\"pool=chat\", \"alertname=~host-.*\"]");
    }
    List<Matcher> matchers = new ArrayList<>();
    for (int i = 0; i < m.size(); i++) {
      JsonNode one = m.get(i);
      if (!one.isTextual()) {
        throw bad("matchers[" + i + "] must be a string such as pool=chat");
      }
      try {
        matchers.add(Matcher.parse(one.asText()));
      } catch (IllegalArgumentException e) {
        throw bad("matchers[" + i + "]: " + e.getMessage());
      }
    }
    JsonNode c = body.get("comment");
    if (c == null || !c.isTextual() || c.asText().isBlank()) {
      throw bad("comment is required (why the silence)");
    }
    if (c.asText().length() > MAX_COMMENT) {
      throw bad("comment must be at most " + MAX_COMMENT + " characters");
    }
    Instant start = body.has("startsAt") ? time("startsAt", body.get("startsAt")) : now;
    boolean hasEnd = body.has("endsAt") && !body.get("endsAt").isNull();
    boolean hasDuration = body.has("duration") && !body.get("duration").isNull();
    if (hasEnd == hasDuration) {
      throw bad("give exactly one of endsAt and duration");
    }
    Instant end;
    if (hasEnd) {
      end = time("endsAt", body.get("endsAt"));
    } else {
      JsonNode d = body.get("duration");
      if (!d.isTextual()) {
        throw bad("duration must be a duration such as 2h");
      }
      try {
        end = start.plus(Durations.positive("duration", d.asText()));
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw bad(e.getMessage());
      }
    }
    if (!end.isAfter(start)) {
      throw bad("endsAt must be after startsAt");
    }
    if (!end.isAfter(now)) {
      throw bad("endsAt must be in the future");
    }
    if (Duration.between(start, end).compareTo(MAX_SILENCE) > 0) {
      throw bad("a silence may last at most 30d (asked for " + Durations.format(Duration.between(start, end)) + ")");
    }
    return new Silence("sil_" + UUID.randomUUID(), matchers, author, c.asText().strip(), start, end, now);
  }

  // --- helpers ---

  static AlertView view(Alert a) {
    AckView ack = a.ack() == null ? null : new AckView(a.ack().by(), a.ack().comment(), a.ack().at().toEpochMilli());
    return new AlertView(
        a.fingerprint(), a.labels(), a.annotations(), a.state().wire(), a.activeSince().toEpochMilli(),
        a.startsAt() == null ? null : a.startsAt().toEpochMilli(), a.endsAt() == null ? null : a.endsAt().toEpochMilli(),
        ack, a.suppressedBy());
  }

  static SilenceView view(Silence s, Instant now) {
    return new SilenceView(
        s.id(), s.matchers().stream().map(Matcher::toString).toList(), s.author(), s.comment(),
        s.startsAt().toEpochMilli(), s.endsAt().toEpochMilli(), s.createdAt().toEpochMilli(), s.stateAt(now));
  }

  private static <R, T> Page<T> page(List<R> rows, int limit, Function<R, PageKey> key, Function<R, T> view) {
    boolean more = rows.size() > limit;
    List<R> p = more ? rows.subList(0, limit) : rows;
    return new Page<>(p.stream().map(view).toList(), more ? key.apply(p.get(p.size() - 1)).encode() : null);
  }

  /** Strictly after the cursor in newest-first (time, id) order. */
  private static boolean before(long atMs, String id, PageKey cursor) {
    return atMs < cursor.atMs() || atMs == cursor.atMs() && id.compareTo(cursor.id()) < 0;
  }

  private JsonNode body(Context ctx, boolean optional) {
    String text = ctx.body();
    if (text == null || text.isBlank()) {
      if (optional) {
        return null;
      }
      throw bad("a JSON object is required");
    }
    JsonNode n;
    try {
      n = json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ApiException(400, "invalid body", "not JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      throw new ApiException(400, "invalid body", "a JSON object is required");
    }
    return n;
  }

  private static void unknownKeys(JsonNode body, List<String> known) {
    for (java.util.Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        throw bad(k + " is not a known key (known: " + String.join(", ", known) + ")");
      }
    }
  }

  private static Instant time(String name, JsonNode v) {
    try {
      if (v.isIntegralNumber()) {
        return Instant.ofEpochMilli(v.asLong());
      }
      if (v.isTextual()) {
        String t = v.asText().strip();
        return t.matches("-?\\d{1,19}") ? Instant.ofEpochMilli(Long.parseLong(t)) : Instant.parse(t);
      }
    } catch (DateTimeParseException | NumberFormatException e) {
      // answered below
    }
    throw bad(name + ": " + v + " is neither an ISO-8601 instant (2024-05-01T00:00:00Z) nor epoch milliseconds");
  }

  private static String param(Context ctx, String name) {
    String v = ctx.queryParam(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static int limit(String v) {
    if (v == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiException(400, "invalid parameter", "limit: '" + v + "' must be a whole number 1.." + MAX_LIMIT);
  }

  private static PageKey cursor(String v) {
    if (v == null) {
      return null;
    }
    try {
      return PageKey.decode(v);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid parameter", e.getMessage());
    }
  }

  private static ApiException bad(String detail) {
    return new ApiException(400, "invalid request", detail);
  }

  /** The leader's the alert engine; 503 on a replica that does not lead (its writes are forwarded to the leader). */
  private AlertService alertService() {
    AlertService x = alertsSource.get();
    if (x == null) {
      throw new dev.nines.server.api.ApiException(
          503, "not the leader", "this replica does not lead: the alert engine run on the leader; retry, or ask the leader");
    }
    return x;
  }
}

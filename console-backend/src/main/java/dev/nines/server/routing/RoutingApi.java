package dev.nines.server.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.server.auth.Access;
import dev.nines.server.auth.Principal;
import dev.nines.server.config.Durations;
import dev.nines.server.api.ApiException;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Set;

/**
 * Operator actions on routing (operator role), each with a dry run ({@code "dryRun": true} in the
 * body, or {@code ?dryRun=true}) that answers what would happen, the guard's verdict included, and
 * changes nothing:
 *
 * <ul>
 *   <li>{@code POST /api/v1/hosts/{id}/drain} {@code {"reason", "timeout"?, "force"?, "dryRun"?}}:
 *       202 and the plan; 409 with the guard's verdict when the guard refuses and {@code force} is
 *       not set; 200 when the host is already draining or drained.
 *   <li>{@code POST /api/v1/hosts/{id}/maintenance} {@code {"reason", "until"?, "force"?, "dryRun"?}}.
 *   <li>{@code POST /api/v1/hosts/{id}/undrain} {@code {"reason"?, "dryRun"?}}.
 *   <li>{@code POST /api/v1/pools/{id}/failover} {@code {"dryRun"?}}: 202 and the plan; 409 for a
 *       pool without sides or with a failover under way.
 *   <li>{@code GET /api/v1/pools/{id}/routing} (readers): sides, active side, failover under way,
 *       N+1, the policy's recent decisions and refusals, the actuators' state.
 * </ul>
 */
public final class RoutingApi {
  private static final Set<String> DRAIN_FIELDS = Set.of("reason", "timeout", "force", "dryRun");
  private static final Set<String> MAINTENANCE_FIELDS = Set.of("reason", "until", "force", "dryRun");
  private static final Set<String> UNDRAIN_FIELDS = Set.of("reason", "dryRun");
  private static final Set<String> FAILOVER_FIELDS = Set.of("dryRun", "reason");

  private final java.util.function.Supplier<RoutingService> routingSource;
  private final Access access;
  private final ObjectMapper json;
  private final Clock clock;

  public RoutingApi(java.util.function.Supplier<RoutingService> routing, Access access, ObjectMapper json, Clock clock) {
    this.routingSource = routing;
    this.access = access;
    this.json = json;
    this.clock = clock;
  }

  /** {@code POST /api/v1/hosts/{id}/drain}. */
  public void drain(Context ctx) {
    Principal caller = access.require(ctx, Access.OPERATORS);
    JsonNode body = body(ctx, DRAIN_FIELDS, true);
    JsonNode t = body.get("timeout");
    Duration timeout = t == null || t.isNull() ? null : duration(t, "timeout");
    DrainRequest request = request(() -> new DrainRequest(
        text(body, "reason", null), timeout, bool(body, "force"), dryRun(ctx, body), false, null));
    answer(ctx, () -> routingService().drain(ctx.pathParam("id"), request, caller.actor()));
  }

  /** {@code POST /api/v1/hosts/{id}/maintenance}. */
  public void maintenance(Context ctx) {
    Principal caller = access.require(ctx, Access.OPERATORS);
    JsonNode body = body(ctx, MAINTENANCE_FIELDS, true);
    Instant until = null;
    JsonNode u = body.get("until");
    if (u != null && !u.isNull()) {
      until = instant(u);
      if (!until.isAfter(clock.instant())) {
        throw new ApiException(400, "invalid body", "until must be in the future (was " + until + ")");
      }
    }
    Instant end = until;
    DrainRequest request = request(() -> new DrainRequest(
        text(body, "reason", null), null, bool(body, "force"), dryRun(ctx, body), true, end));
    answer(ctx, () -> routingService().drain(ctx.pathParam("id"), request, caller.actor()));
  }

  /** {@code POST /api/v1/hosts/{id}/undrain}. */
  public void undrain(Context ctx) {
    Principal caller = access.require(ctx, Access.OPERATORS);
    JsonNode body = body(ctx, UNDRAIN_FIELDS, false);
    String reason = text(body, "reason", "undrained by " + RoutingService.operator(caller.actor()));
    if (reason.isBlank() || reason.length() > 1024) {
      throw new ApiException(400, "invalid body", "reason must be 1..1024 characters");
    }
    boolean dry = dryRun(ctx, body);
    answer(ctx, () -> routingService().undrain(ctx.pathParam("id"), reason, dry, caller.actor()));
  }

  /** {@code POST /api/v1/pools/{id}/failover}. */
  public void failover(Context ctx) {
    Principal caller = access.require(ctx, Access.OPERATORS);
    JsonNode body = body(ctx, FAILOVER_FIELDS, false);
    boolean dry = dryRun(ctx, body);
    answer(ctx, () -> routingService().failover(ctx.pathParam("id"), dry, caller.actor()));
  }

  /** {@code GET /api/v1/pools/{id}/routing}. */
  public void poolRouting(Context ctx) {
    access.require(ctx, Access.READERS);
    String pool = ctx.pathParam("id");
    if (!routingService().pools().contains(pool)) {
      throw new ApiException(404, "no such pool", "no pool named '" + pool + "'");
    }
    ctx.json(routingService().poolRouting(pool));
  }

  private interface Action {
    ActionResult run();
  }

  private void answer(Context ctx, Action action) {
    ActionResult r;
    try {
      r = action.run();
    } catch (RoutingRefused e) {
      throw new ApiException(e.status(), e.getMessage(), e.detail());
    }
    ctx.status(r.changed() ? 202 : 200).json(r);
  }

  private static DrainRequest request(java.util.function.Supplier<DrainRequest> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid body", e.getMessage());
    }
  }

  /** The JSON object body; an empty body is {} unless required. Unknown fields are refused. */
  private JsonNode body(Context ctx, Set<String> known, boolean required) {
    String text = ctx.body();
    if (text == null || text.isBlank()) {
      if (required) {
        throw new ApiException(400, "invalid body", "expected a JSON object with " + String.join(", ", known));
      }
      return json.createObjectNode();
    }
    JsonNode body;
    try {
      body = json.readTree(text);
    } catch (IOException e) {
      throw new ApiException(400, "invalid body", "not valid JSON");
    }
    if (body == null || !body.isObject()) {
      throw new ApiException(400, "invalid body", "expected a JSON object with " + String.join(", ", known));
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw new ApiException(400, "invalid body", f + " is not a known field (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
    return body;
  }

  private static boolean dryRun(Context ctx, JsonNode body) {
    String q = ctx.queryParam("dryRun");
    if (q != null) {
      if (!q.equals("true") && !q.equals("false")) {
        throw new ApiException(400, "invalid query", "dryRun must be true or false (was " + q + ")");
      }
      if (q.equals("true")) {
        return true;
      }
    }
    return bool(body, "dryRun");
  }

  private static boolean bool(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw new ApiException(400, "invalid body", field + " must be true or false");
    }
    return v.asBoolean();
  }

  private static String text(JsonNode body, String field, String otherwise) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      if (otherwise == null) {
        throw new ApiException(400, "invalid body", field + " is required (a string)");
      }
      return otherwise;
    }
    if (!v.isTextual()) {
      throw new ApiException(400, "invalid body", field + " must be a string");
    }
    return v.asText();
  }

  /** A duration: {@code "30s"}, {@code "2m"}, or a number of milliseconds. */
  private static Duration duration(JsonNode v, String field) {
    try {
      if (v.isIntegralNumber() && v.canConvertToLong()) {
        return Duration.ofMillis(v.asLong());
      }
      if (v.isTextual()) {
        return Durations.parse(field, v.asText());
      }
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ApiException(400, "invalid body", e.getMessage());
    }
    throw new ApiException(400, "invalid body", field + " must be a duration such as \"30s\" or milliseconds");
  }

  /** An ISO-8601 instant or epoch milliseconds. */
  private static Instant instant(JsonNode v) {
    try {
      if (v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0) {
        return Instant.ofEpochMilli(v.asLong());
      }
      if (v.isTextual()) {
        return Instant.parse(v.asText());
      }
    } catch (RuntimeException e) {
      // fall through
    }
    throw new ApiException(400, "invalid body", "until must be an ISO-8601 instant or epoch milliseconds");
  }

  /** The leader's drains and failovers; 503 on a replica that does not lead (its writes are forwarded to the leader). */
  private RoutingService routingService() {
    RoutingService x = routingSource.get();
    if (x == null) {
      throw new dev.nines.server.api.ApiException(
          503, "not the leader", "this replica does not lead: drains and failovers run on the leader; retry, or ask the leader");
    }
    return x;
  }
}

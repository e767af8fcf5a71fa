package dev.nines.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nines.server.audit.Audit;
import dev.nines.server.auth.Access;
import dev.nines.server.auth.Principal;
import dev.nines.server.notify.AlertInstance;
import dev.nines.server.notify.Notification;
import dev.nines.server.notify.NotificationSink;
import dev.nines.server.notify.ReceiverJson;
import dev.nines.server.notify.ReceiverSpec;
import dev.nines.server.notify.ReceiverStore;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Alert receivers for admins: {@code GET /api/v1/webhooks}, {@code GET /api/v1/webhooks/{id}},
 * {@code POST /api/v1/webhooks} (201; 409 when the id exists), {@code PUT /api/v1/webhooks/{id}}
 * (replace; a left-out {@code secret} or {@code routingKey} keeps the stored one, an explicit null
 * removes it), {@code DELETE /api/v1/webhooks/{id}} and {@code POST /api/v1/webhooks/{id}/test}
 * (202: one synthetic alert {@code alertname=nines-test} through the outbox; answers its eventId).
 * The secret and the routing key are never shown ({@code secretSet}, {@code routingKeySet}). Every
 * write is audited.
 */
public final class WebhooksApi {
  private final ReceiverStore receivers;
  private final NotificationSink sink;
  private final Audit audit;
  private final Access access;
  private final ObjectMapper json;
  private final Clock clock;

  public WebhooksApi(
      ReceiverStore receivers, NotificationSink sink, Audit audit, Access access, ObjectMapper json, Clock clock) {
    this.receivers = receivers;
    this.sink = sink;
    this.audit = audit;
    this.access = access;
    this.json = json;
    this.clock = clock;
  }

  /** {@code GET /api/v1/webhooks}: {@code {"items": [...]}}, ordered by id. */
  public void list(Context ctx) {
    access.require(ctx, Access.ADMINS);
    List<ObjectNode> items = new ArrayList<>();
    for (ReceiverStore.Stored s : receivers.stored()) {
      items.add(view(s));
    }
    ctx.json(Map.of("items", items));
  }

  /** {@code GET /api/v1/webhooks/{id}}; 404 for an unknown id. */
  public void one(Context ctx) {
    access.require(ctx, Access.ADMINS);
    ctx.json(view(existing(ctx.pathParam("id"))));
  }

  /** {@code POST /api/v1/webhooks}: 201 with the stored receiver; 409 when the id is taken. */
  public void create(Context ctx) {
    Principal caller = access.require(ctx, Access.ADMINS);
    ReceiverSpec spec = parse(ctx, null, null);
    if (!receivers.create(spec)) {
      throw new ApiException(409, "conflict", "a receiver with id '" + spec.id() + "' exists; PUT /api/v1/webhooks/" + spec.id() + " replaces it");
    }
    audit.record(caller.actor(), "webhook.create", spec.id(), detail(spec));
    ctx.status(201).json(view(receivers.get(spec.id()).orElseThrow()));
  }

  /** {@code PUT /api/v1/webhooks/{id}}: replaces a receiver; 404 for an unknown id. */
  public void replace(Context ctx) {
    Principal caller = access.require(ctx, Access.ADMINS);
    String id = ctx.pathParam("id");
    ReceiverStore.Stored previous = existing(id);
    ReceiverSpec spec = parse(ctx, id, previous.spec());
    if (!receivers.replace(spec)) {
      throw new ApiException(404, "unknown receiver", "no receiver with id '" + id + "'");
    }
    audit.record(caller.actor(), "webhook.replace", id, detail(spec));
    ctx.json(view(receivers.get(id).orElseThrow()));
  }

  /** {@code DELETE /api/v1/webhooks/{id}}: 204; 404 for an unknown id. */
  public void delete(Context ctx) {
    Principal caller = access.require(ctx, Access.ADMINS);
    String id = ctx.pathParam("id");
    if (!receivers.delete(id)) {
      throw new ApiException(404, "unknown receiver", "no receiver with id '" + id + "'");
    }
    audit.record(caller.actor(), "webhook.delete", id, Map.of());
    ctx.status(204);
  }

  /** {@code POST /api/v1/webhooks/{id}/test}: 202 {@code {"eventId", "receiver"}}; 404 for an unknown id. */
  public void test(Context ctx) {
    Principal caller = access.require(ctx, Access.ADMINS);
    String id = ctx.pathParam("id");
    existing(id);
    Notification n = testNotification(id, caller.actor().name(), clock.instant());
    sink.enqueue(List.of(n));
    audit.record(caller.actor(), "webhook.test", id, Map.of("eventId", n.eventId()));
    ctx.status(202).json(Map.of("eventId", n.eventId(), "receiver", id));
  }

  /**
   * A test message for a receiver: one firing alert {@code alertname=nines-test}, severity info, in
   * the receiver's own test group (so test messages arrive in the order they were fired).
   */
  public static Notification testNotification(String receiverId, String by, Instant at) {
    String eventId = "test-" + UUID.randomUUID();
    AlertInstance alert =
        new AlertInstance(
            "nines-test-" + receiverId,
            Map.of("alertname", "nines-test", "severity", "info", "receiver", receiverId),
            Map.of(
                "summary", "Test notification from Nines",
                "description", "Sent through POST /api/v1/webhooks/" + receiverId + "/test"
                    + (by == null || by.isBlank() ? "" : " by " + by) + "."),
            AlertInstance.FIRING, at, null);
    return new Notification(
        eventId, receiverId, receiverId + ":{alertname=\"nines-test\"}", Map.of("alertname", "nines-test"),
        AlertInstance.FIRING, List.of(alert), at);
  }

  private ReceiverStore.Stored existing(String id) {
    return receivers
        .get(id)
        .orElseThrow(() -> new ApiException(404, "unknown receiver", "no receiver with id '" + id + "'"));
  }

  private ReceiverSpec parse(Context ctx, String pathId, ReceiverSpec previous) {
    JsonNode body;
    try {
      body = json.readTree(ctx.body());
    } catch (IOException e) {
      throw new ApiException(400, "invalid body", "expected a JSON object describing the receiver");
    }
    try {
      return ReceiverJson.parse(body, pathId, previous);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid body", e.getMessage());
    }
  }

  private static ObjectNode view(ReceiverStore.Stored s) {
    ObjectNode o = ReceiverJson.view(s.spec());
    o.put("createdAtMs", s.createdAtMs());
    o.put("updatedAtMs", s.updatedAtMs());
    return o;
  }

  private static Map<String, Object> detail(ReceiverSpec spec) {
    return Map.of(
        "kind", spec.kind().wire(), "url", spec.url(), "secretSet", spec.secret() != null,
        "enabled", spec.enabled());
  }
}

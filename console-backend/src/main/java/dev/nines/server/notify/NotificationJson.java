package dev.nines.server.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link Notification} as the outbox stores it (JSON, times as ISO-8601 instants). Pure. */
final class NotificationJson {
  static final ObjectMapper JSON = new ObjectMapper();

  private NotificationJson() {}

  static String write(Notification n) {
    ObjectNode o = JSON.createObjectNode();
    o.put("eventId", n.eventId());
    o.put("receiverId", n.receiverId());
    o.put("groupKey", n.groupKey());
    o.set("groupLabels", strings(n.groupLabels()));
    o.put("status", n.status());
    ArrayNode alerts = o.putArray("alerts");
    for (AlertInstance a : n.alerts()) {
      ObjectNode j = alerts.addObject();
      j.put("fingerprint", a.fingerprint());
      j.set("labels", strings(a.labels()));
      j.set("annotations", strings(a.annotations()));
      j.put("status", a.status());
      j.put("startsAt", a.startsAt().toString());
      j.put("endsAt", a.endsAt() == null ? null : a.endsAt().toString());
    }
    o.put("createdAt", n.createdAt().toString());
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a notification as JSON", e);
    }
  }

  static Notification read(String json) {
    JsonNode o;
    try {
      o = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("stored notification is not JSON: " + e.getOriginalMessage(), e);
    }
    List<AlertInstance> alerts = new ArrayList<>();
    for (JsonNode a : o.path("alerts")) {
      JsonNode ends = a.get("endsAt");
      alerts.add(
          new AlertInstance(
              a.path("fingerprint").asText(), map(a.get("labels")), map(a.get("annotations")),
              a.path("status").asText(), Instant.parse(a.path("startsAt").asText()),
              ends == null || ends.isNull() ? null : Instant.parse(ends.asText())));
    }
    return new Notification(
        o.path("eventId").asText(), o.path("receiverId").asText(), o.path("groupKey").asText(),
        map(o.get("groupLabels")), o.path("status").asText(), alerts, Instant.parse(o.path("createdAt").asText()));
  }

  static ObjectNode strings(Map<String, String> m) {
    ObjectNode o = JSON.createObjectNode();
    m.forEach(o::put);
    return o;
  }

  private static Map<String, String> map(JsonNode o) {
    Map<String, String> out = new LinkedHashMap<>();
    if (o != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(e.getKey(), e.getValue().asText());
      }
    }
    return out;
  }
}

package dev.nines.server.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Nines' own JSON: {@code {"version": 1, "eventId", "receiver", "status", "groupKey", "groupLabels",
 * "externalURL", "createdAt", "alerts": [{"fingerprint", "labels", "annotations", "status",
 * "startsAt", "endsAt"}]}}; {@code endsAt} is null while an alert fires.
 */
final class WebhookRenderer implements Renderer {
  @Override
  public byte[] render(Notification n, ReceiverSpec receiver, String externalUrl) {
    ObjectNode o = NotificationJson.JSON.createObjectNode();
    o.put("version", 1);
    o.put("eventId", n.eventId());
    o.put("receiver", receiver.id());
    o.put("status", n.status());
    o.put("groupKey", n.groupKey());
    o.set("groupLabels", NotificationJson.strings(n.groupLabels()));
    o.put("externalURL", externalUrl == null ? "" : externalUrl);
    o.put("createdAt", n.createdAt().toString());
    ArrayNode alerts = o.putArray("alerts");
    for (AlertInstance a : n.alerts()) {
      ObjectNode j = alerts.addObject();
      j.put("fingerprint", a.fingerprint());
      j.set("labels", NotificationJson.strings(a.labels()));
      j.set("annotations", NotificationJson.strings(a.annotations()));
      j.put("status", a.status());
      j.put("startsAt", a.startsAt().toString());
      j.put("endsAt", a.endsAt() == null ? null : a.endsAt().toString());
    }
    return Renderer.bytes(o);
  }
}

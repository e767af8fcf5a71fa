package dev.nines.server.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The payload of Alertmanager's {@code webhook_config}, version 4, so that tools written for
 * Alertmanager take Nines' notifications as they are: {@code version "4"}, {@code groupKey}, {@code
 * truncatedAlerts}, {@code status}, {@code receiver}, {@code groupLabels}, {@code commonLabels},
 * {@code commonAnnotations}, {@code externalURL} and the alerts with {@code status}, {@code labels},
 * {@code annotations}, {@code startsAt}, {@code endsAt} (Go's zero time {@code
 * 0001-01-01T00:00:00Z} while firing), {@code generatorURL} and {@code fingerprint}.
 */
final class AlertmanagerRenderer implements Renderer {
  static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  @Override
  public byte[] render(Notification n, ReceiverSpec receiver, String externalUrl) {
    ObjectNode o = NotificationJson.JSON.createObjectNode();
    o.put("receiver", receiver.id());
    o.put("status", n.status());
    ArrayNode alerts = o.putArray("alerts");
    for (AlertInstance a : n.alerts()) {
      ObjectNode j = alerts.addObject();
      j.put("status", a.status());
      j.set("labels", NotificationJson.strings(a.labels()));
      j.set("annotations", NotificationJson.strings(a.annotations()));
      j.put("startsAt", a.startsAt().toString());
      j.put("endsAt", a.endsAt() == null ? ZERO_TIME : a.endsAt().toString());
      j.put("generatorURL", Renderer.link(a, externalUrl));
      j.put("fingerprint", a.fingerprint());
    }
    o.set("groupLabels", NotificationJson.strings(n.groupLabels()));
    o.set(
        "commonLabels",
        NotificationJson.strings(Renderer.common(n.alerts().stream().map(AlertInstance::labels).toList())));
    o.set(
        "commonAnnotations",
        NotificationJson.strings(Renderer.common(n.alerts().stream().map(AlertInstance::annotations).toList())));
    o.put("externalURL", externalUrl == null ? "" : externalUrl);
    o.put("version", "4");
    o.put("groupKey", n.groupKey());
    o.put("truncatedAlerts", 0);
    return Renderer.bytes(o);
  }
}

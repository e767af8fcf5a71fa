package dev.nines.server.notify;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A PagerDuty Events API v2 event, one per message: {@code trigger} while the group has a firing
 * alert, {@code resolve} when it has none; the {@code dedup_key} is the same for every message of the
 * group ({@code nines-} and a hash of the group key), so the resolve closes the alert the trigger
 * opened. The payload: {@code summary} (at most 1,024 characters), {@code source} (the host, else the
 * pool, else {@code nines}), {@code severity} (critical, error, warning or info), {@code timestamp},
 * {@code component} / {@code group} (the pool), {@code class} (the alert name) and {@code
 * custom_details} with every alert; {@code links} to the console.
 */
final class PagerDutyRenderer implements Renderer {
  static final int MAX_SUMMARY = 1024;

  @Override
  public byte[] render(Notification n, ReceiverSpec receiver, String externalUrl) {
    boolean firing = n.status().equals(AlertInstance.FIRING);
    ObjectNode o = NotificationJson.JSON.createObjectNode();
    o.put("routing_key", receiver.routingKey());
    o.put("event_action", firing ? "trigger" : "resolve");
    o.put("dedup_key", dedupKey(n.groupKey()));
    AlertInstance first = n.alerts().get(0);
    java.util.Map<String, String> common =
        Renderer.common(n.alerts().stream().map(AlertInstance::labels).toList());
    ObjectNode p = o.putObject("payload");
    String summary = first.annotations().get("summary");
    String text = Renderer.title(n) + (summary == null || n.alerts().size() > 1 ? "" : ": " + summary);
    p.put("summary", Renderer.cut(text, MAX_SUMMARY));
    String source = common.getOrDefault("host", common.getOrDefault("pool", "nines"));
    p.put("source", source);
    p.put("severity", severity(Renderer.severity(n)));
    p.put("timestamp", (firing ? first.startsAt() : n.createdAt()).toString());
    if (common.containsKey("pool")) {
      p.put("component", common.get("pool"));
      p.put("group", common.get("pool"));
    }
    if (common.containsKey("alertname")) {
      p.put("class", common.get("alertname"));
    }
    ObjectNode details = p.putObject("custom_details");
    details.put("eventId", n.eventId());
    details.put("receiver", receiver.id());
    details.set("groupLabels", NotificationJson.strings(n.groupLabels()));
    ArrayNode alerts = details.putArray("alerts");
    for (AlertInstance a : n.alerts()) {
      ObjectNode j = alerts.addObject();
      j.put("status", a.status());
      j.put("fingerprint", a.fingerprint());
      j.set("labels", NotificationJson.strings(a.labels()));
      j.set("annotations", NotificationJson.strings(a.annotations()));
      j.put("startsAt", a.startsAt().toString());
      j.put("endsAt", a.endsAt() == null ? null : a.endsAt().toString());
    }
    o.put("client", "Nines");
    if (externalUrl != null && !externalUrl.isEmpty()) {
      o.put("client_url", externalUrl);
    }
    String link = Renderer.link(first, externalUrl);
    if (!link.isEmpty()) {
      o.putArray("links").addObject().put("href", link).put("text", "Open in Nines");
    }
    return Renderer.bytes(o);
  }

  /** PagerDuty's four severities from a Nines severity label. */
  static String severity(String s) {
    return switch (s) {
      case "critical", "page" -> "critical";
      case "error" -> "error";
      case "info", "none" -> "info";
      default -> "warning";
    };
  }

  /** {@code nines-<first 32 hex of SHA-256(groupKey)>}: stable per group, well under 255 characters. */
  static String dedupKey(String groupKey) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(groupKey.getBytes(UTF_8));
      return "nines-" + HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}

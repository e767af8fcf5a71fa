package dev.nines.server.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Slack incoming-webhook message: {@code text} (the title, for notifications and clients without
 * blocks), a header section, and one attachment coloured by status and severity (green resolved, red
 * critical, orange error, amber warning, blue otherwise) that lists the alerts (ten at most, then how
 * many more). Slack's control characters {@code & < >} are escaped in every text taken from alerts.
 */
final class SlackRenderer implements Renderer {
  static final int MAX_LISTED = 10;

  @Override
  public byte[] render(Notification n, ReceiverSpec receiver, String externalUrl) {
    String title = Renderer.title(n);
    ObjectNode o = NotificationJson.JSON.createObjectNode();
    o.put("text", title);
    ArrayNode blocks = o.putArray("blocks");
    blocks.addObject().put("type", "section").set("text", mrkdwn("*" + escape(title) + "*"));
    ObjectNode attachment = o.putArray("attachments").addObject();
    attachment.put("color", color(n));
    ArrayNode inner = attachment.putArray("blocks");
    int listed = 0;
    for (AlertInstance a : n.alerts()) {
      if (listed == MAX_LISTED) {
        inner.addObject()
            .put("type", "context")
            .putArray("elements")
            .add(mrkdwn("and " + (n.alerts().size() - MAX_LISTED) + " more"));
        break;
      }
      StringBuilder b = new StringBuilder();
      b.append(a.status().equals(AlertInstance.FIRING) ? ":red_circle: " : ":large_green_circle: ");
      b.append('*').append(escape(a.annotations().getOrDefault("summary", a.labels().get("alertname")))).append('*');
      String description = a.annotations().get("description");
      if (description != null && !description.isBlank()) {
        b.append('\n').append(escape(description));
      }
      String link = Renderer.link(a, externalUrl);
      if (!link.isEmpty()) {
        b.append("\n<").append(escape(link)).append("|Open in Nines>");
      }
      inner.addObject().put("type", "section").set("text", mrkdwn(Renderer.cut(b.toString(), 2900)));
      listed++;
    }
    attachment.put("footer", "Nines · " + receiver.id() + " · " + n.eventId());
    attachment.put("ts", n.createdAt().getEpochSecond());
    return Renderer.bytes(o);
  }

  static String color(Notification n) {
    if (n.status().equals(AlertInstance.RESOLVED)) {
      return "#2eb67d";
    }
    return switch (Renderer.severity(n)) {
      case "critical", "page" -> "#e01e5a";
      case "error" -> "#f2711c";
      case "warning" -> "#ecb22e";
      default -> "#36c5f0";
    };
  }

  private static ObjectNode mrkdwn(String text) {
    ObjectNode t = NotificationJson.JSON.createObjectNode();
    t.put("type", "mrkdwn");
    t.put("text", text);
    return t;
  }

  static String escape(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}

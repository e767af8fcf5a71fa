package dev.nines.server.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Microsoft Teams incoming-webhook message carrying one Adaptive Card (version 1.4): the title in
 * the status colour ({@code attention} firing critical/error, {@code warning} other firing, {@code
 * good} resolved), the group labels as facts, one block per alert (ten at most), and a button to the
 * console when a link is known.
 */
final class TeamsRenderer implements Renderer {
  static final int MAX_LISTED = 10;

  @Override
  public byte[] render(Notification n, ReceiverSpec receiver, String externalUrl) {
    ObjectNode o = NotificationJson.JSON.createObjectNode();
    o.put("type", "message");
    ObjectNode att = o.putArray("attachments").addObject();
    att.put("contentType", "application/vnd.microsoft.card.adaptive");
    att.putNull("contentUrl");
    ObjectNode card = att.putObject("content");
    card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
    card.put("type", "AdaptiveCard");
    card.put("version", "1.4");
    ArrayNode body = card.putArray("body");
    body.addObject()
        .put("type", "TextBlock")
        .put("size", "Medium")
        .put("weight", "Bolder")
        .put("color", color(n))
        .put("wrap", true)
        .put("text", Renderer.title(n));
    if (!n.groupLabels().isEmpty()) {
      ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
      n.groupLabels().forEach((k, v) -> facts.addObject().put("title", k).put("value", v));
    }
    int listed = 0;
    for (AlertInstance a : n.alerts()) {
      if (listed == MAX_LISTED) {
        body.addObject()
            .put("type", "TextBlock")
            .put("isSubtle", true)
            .put("wrap", true)
            .put("text", "and " + (n.alerts().size() - MAX_LISTED) + " more");
        break;
      }
      String summary = a.annotations().getOrDefault("summary", a.labels().get("alertname"));
      body.addObject()
          .put("type", "TextBlock")
          .put("weight", "Bolder")
          .put("wrap", true)
          .put("separator", true)
          .put("text", (a.status().equals(AlertInstance.FIRING) ? "FIRING: " : "RESOLVED: ") + summary);
      String description = a.annotations().get("description");
      if (description != null && !description.isBlank()) {
        body.addObject().put("type", "TextBlock").put("wrap", true).put("text", Renderer.cut(description, 2000));
      }
      listed++;
    }
    body.addObject()
        .put("type", "TextBlock")
        .put("isSubtle", true)
        .put("size", "Small")
        .put("wrap", true)
        .put("text", "Nines · " + receiver.id() + " · " + n.eventId());
    String link = Renderer.link(n.alerts().get(0), externalUrl);
    if (!link.isEmpty()) {
      card.putArray("actions")
          .addObject()
          .put("type", "Action.OpenUrl")
          .put("title", "Open in Nines")
          .put("url", link);
    }
    card.putObject("msteams").put("width", "Full");
    return Renderer.bytes(o);
  }

  static String color(Notification n) {
    if (n.status().equals(AlertInstance.RESOLVED)) {
      return "good";
    }
    return switch (Renderer.severity(n)) {
      case "critical", "page", "error" -> "attention";
      default -> "warning";
    };
  }
}

package dev.nines.server.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a notification into the body one kind of receiver takes. Pure: the same notification,
 * receiver and external URL give the same bytes.
 */
interface Renderer {
  /**
   * @param n the message
   * @param receiver the receiver it goes to
   * @param externalUrl the console's base URL for links (may be empty)
   * @return the UTF-8 JSON body
   */
  byte[] render(Notification n, ReceiverSpec receiver, String externalUrl);

  /** The renderer of a kind. */
  static Renderer of(ReceiverSpec.Kind kind) {
    return switch (kind) {
      case WEBHOOK -> new WebhookRenderer();
      case ALERTMANAGER -> new AlertmanagerRenderer();
      case SLACK -> new SlackRenderer();
      case PAGERDUTY -> new PagerDutyRenderer();
      case TEAMS -> new TeamsRenderer();
    };
  }

  static byte[] bytes(JsonNode body) {
    try {
      return NotificationJson.JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a payload as JSON", e);
    }
  }

  /** Labels (or annotations) that every alert has with the same value. */
  static Map<String, String> common(Iterable<Map<String, String>> all) {
    Map<String, String> out = null;
    for (Map<String, String> m : all) {
      if (out == null) {
        out = new TreeMap<>(m);
      } else {
        out.entrySet().removeIf(e -> !e.getValue().equals(m.get(e.getKey())));
      }
    }
    return out == null ? Map.of() : out;
  }

  /** The most severe {@code severity} label of the firing alerts (of all, when none fires). */
  static String severity(Notification n) {
    String best = null;
    int rank = -1;
    boolean firing = n.alerts().stream().anyMatch(a -> a.status().equals(AlertInstance.FIRING));
    for (AlertInstance a : n.alerts()) {
      if (firing && !a.status().equals(AlertInstance.FIRING)) {
        continue;
      }
      String s = a.labels().getOrDefault("severity", "warning");
      int r = switch (s) {
        case "critical", "page" -> 3;
        case "error" -> 2;
        case "warning" -> 1;
        default -> 0;
      };
      if (r > rank) {
        rank = r;
        best = s;
      }
    }
    return best == null ? "warning" : best;
  }

  /** A title like {@code [FIRING:2] HostDown pool=chat}. */
  static String title(Notification n) {
    long firing = n.alerts().stream().filter(a -> a.status().equals(AlertInstance.FIRING)).count();
    String head =
        n.status().equals(AlertInstance.FIRING) ? "[FIRING:" + firing + "]" : "[RESOLVED]";
    StringBuilder b = new StringBuilder(head);
    String alertname = n.groupLabels().get("alertname");
    if (alertname == null) {
      alertname = common(n.alerts().stream().map(AlertInstance::labels).toList()).get("alertname");
    }
    if (alertname != null) {
      b.append(' ').append(alertname);
    }
    n.groupLabels().forEach(
        (k, v) -> {
          if (!k.equals("alertname")) {
            b.append(' ').append(k).append('=').append(v);
          }
        });
    return b.toString();
  }

  /** An alert's link: its {@code link} annotation, made absolute with the external URL when relative. */
  static String link(AlertInstance a, String externalUrl) {
    String l = a.annotations().get("link");
    String base = externalUrl == null ? "" : externalUrl;
    if (l == null || l.isBlank()) {
      return base;
    }
    if (l.startsWith("http://") || l.startsWith("https://") || base.isEmpty()) {
      return l;
    }
    return base.replaceAll("/+$", "") + (l.startsWith("/") ? l : "/" + l);
  }

  /** Cuts text to at most {@code max} characters, marking the cut. */
  static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}

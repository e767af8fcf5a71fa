package dev.nines.console.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** How the operations screens write times, durations, labels and JSON details for people. Pure. */
public final class OpsText {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private OpsText() {}

  /** "2024-05-01 12:03:04" in {@code zone}. */
  public static String time(long epochMs, ZoneId zone) {
    return TIME.withZone(zone).format(Instant.ofEpochMilli(epochMs));
  }

  /** "2024-05-01 12:03:04" in UTC. */
  public static String time(long epochMs) {
    return time(epochMs, ZoneOffset.UTC);
  }

  /** "45s", "3m 20s", "1h 02m", "2d 4h"; a negative duration counts as zero. */
  public static String duration(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m " + String.format("%02ds", s % 60);
    }
    if (s < 86_400) {
      return (s / 3600) + "h " + String.format("%02dm", (s % 3600) / 60);
    }
    return (s / 86_400) + "d " + ((s % 86_400) / 3600) + "h";
  }

  /** "for 3m 20s" since {@code epochMs}, as of {@code now}. */
  public static String since(long epochMs, Instant now) {
    return duration(Duration.ofMillis(now.toEpochMilli() - epochMs));
  }

  /** {@code k=v} pairs sorted by key, joined with ", ". */
  public static String labels(Map<String, String> labels) {
    List<String> out = new ArrayList<>();
    new TreeMap<>(labels).forEach((k, v) -> out.add(k + "=" + v));
    return String.join(", ", out);
  }

  /** A JSON object on one line as {@code k=v} pairs (nested values as JSON), or "" for none. */
  public static String detail(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "";
    }
    if (!n.isObject()) {
      return n.isTextual() ? n.asText() : n.toString();
    }
    List<String> out = new ArrayList<>();
    n.fields().forEachRemaining(e -> {
      JsonNode v = e.getValue();
      if (!v.isNull()) {
        out.add(e.getKey() + "=" + (v.isValueNode() ? v.asText() : v.toString()));
      }
    });
    return String.join(", ", out);
  }

  /** An incident's cause for a table cell: its reason, else its rules, else its figures. */
  public static String cause(JsonNode cause) {
    if (cause == null || cause.isNull() || cause.isMissingNode()) {
      return "";
    }
    String reason = cause.path("reason").asText("");
    if (!reason.isBlank()) {
      return reason;
    }
    JsonNode rules = cause.path("rules");
    if (rules.isArray() && !rules.isEmpty()) {
      List<String> r = new ArrayList<>();
      rules.forEach(x -> r.add(x.asText()));
      return String.join(", ", r);
    }
    return detail(cause);
  }
}

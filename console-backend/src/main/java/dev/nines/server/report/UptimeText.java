package dev.nines.server.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How the report's figures and texts read for people (HTML, PDF, the CSV's action cells). Pure. */
final class UptimeText {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SECOND =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private UptimeText() {}

  /** A ratio as a percentage with three decimals, "-" for not available. */
  static String pct(Double ratio) {
    return ratio == null ? "-" : String.format(Locale.ROOT, "%.3f %%", ratio * 100);
  }

  /** Minutes with one decimal, "-" for not available. */
  static String minutes(Double m) {
    return m == null ? "-" : String.format(Locale.ROOT, "%.1f", m);
  }

  /** yes / no / "-". */
  static String met(Boolean met) {
    return met == null ? "-" : met ? "yes" : "no";
  }

  /** An instant as "yyyy-MM-dd HH:mm" UTC. */
  static String minute(long ms) {
    return MINUTE.format(Instant.ofEpochMilli(ms));
  }

  /** An instant as "yyyy-MM-dd HH:mm:ss" UTC. */
  static String second(long ms) {
    return SECOND.format(Instant.ofEpochMilli(ms));
  }

  /**
   * A stored cause (a JSON object) as one line for people: its {@code state}, {@code reason} and
   * {@code rules} first, then every other plain field as "name: value" (lists joined with commas);
   * nested objects (the raw figures) are left to the JSON and CSV. Text that is not a JSON object is
   * returned as it is.
   */
  static String cause(String causeJson) {
    if (causeJson == null || causeJson.isBlank()) {
      return "";
    }
    JsonNode node;
    try {
      node = JSON.readTree(causeJson);
    } catch (JsonProcessingException e) {
      return causeJson;
    }
    if (!node.isObject()) {
      return causeJson;
    }
    StringBuilder b = new StringBuilder();
    if (node.path("state").isValueNode()) {
      b.append(node.path("state").asText());
    }
    if (node.path("reason").isValueNode()) {
      b.append(b.length() > 0 ? ": " : "").append(node.path("reason").asText());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      JsonNode v = f.getValue();
      if (f.getKey().equals("state") || f.getKey().equals("reason") || v.isNull() || v.isObject()) {
        continue;
      }
      String text = value(v);
      if (text.isEmpty()) {
        continue;
      }
      b.append(b.length() > 0 ? "; " : "").append(f.getKey()).append(": ").append(text);
    }
    return b.toString();
  }

  private static String value(JsonNode v) {
    if (v.isValueNode()) {
      return v.asText();
    }
    StringBuilder b = new StringBuilder();
    for (JsonNode e : v) {
      b.append(b.length() > 0 ? ", " : "").append(e.isValueNode() ? e.asText() : e.toString());
    }
    return b.toString();
  }

  /** One action as "yyyy-MM-dd HH:mm:ss actor: text" (no actor part where it is not known). */
  static String action(UptimeReport.Action a) {
    return second(a.atMs()) + (a.actor() == null ? "" : " " + a.actor()) + ": " + a.text();
  }

  /** The actions one per line ("\n"), empty for none. */
  static String actions(List<UptimeReport.Action> actions) {
    StringBuilder b = new StringBuilder();
    for (UptimeReport.Action a : actions) {
      if (b.length() > 0) {
        b.append('\n');
      }
      b.append(action(a));
    }
    return b.toString();
  }
}

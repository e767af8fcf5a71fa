package dev.nines.server.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
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
    return ratio == null ? "-" : fixed(ratio * 100, 3) + " %";
  }

  /** Minutes with one decimal, "-" for not available. */
  static String minutes(Double m) {
    return m == null ? "-" : fixed(m, 1);
  }

  /**
   * {@code v} with {@code decimals} decimals, as {@code String.format(Locale.ROOT, "%.<decimals>f", v)}
   * writes it (the shortest decimal that identifies the double, rounded half up; "-0.0" for a
   * negative value that rounds to zero) without the formatter's cost: tens of thousands of cells in
   * a large report.
   */
  static String fixed(double v, int decimals) {
    if (!Double.isFinite(v)) {
      return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
    String s = BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    boolean negative = (Double.doubleToRawLongBits(v) & Long.MIN_VALUE) != 0;
    return negative && s.charAt(0) != '-' ? "-" + s : s;
  }

  /** yes / no / "-". */
  static String met(Boolean met) {
    return met == null ? "-" : met ? "yes" : "no";
  }

  /** An instant as "yyyy-MM-dd HH:mm" UTC. */
  static String minute(long ms) {
    return MINUTE.format(Instant.ofEpochMilli(ms));
  }

  /**
   * An instant as "yyyy-MM-dd HH:mm:ss" UTC (written by hand for the years 1 to 9999, as the
   * formatter writes them: a report has thousands).
   */
  static String second(long ms) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(ms, 1000L), 0, ZoneOffset.UTC);
    int year = t.getYear();
    if (year < 1 || year > 9999) {
      return SECOND.format(Instant.ofEpochMilli(ms));
    }
    char[] b = new char[19];
    two(b, 0, year / 100);
    two(b, 2, year % 100);
    b[4] = '-';
    two(b, 5, t.getMonthValue());
    b[7] = '-';
    two(b, 8, t.getDayOfMonth());
    b[10] = ' ';
    two(b, 11, t.getHour());
    b[13] = ':';
    two(b, 14, t.getMinute());
    b[16] = ':';
    two(b, 17, t.getSecond());
    return new String(b);
  }

  private static void two(char[] b, int at, int v) {
    b[at] = (char) ('0' + v / 10);
    b[at + 1] = (char) ('0' + v % 10);
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

package dev.nines.server.maintenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nines.server.config.Durations;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A window's JSON form, the same in the API body and in storage. Pure.
 *
 * <pre>
 * one-off:   {"pool"?, "hosts"?, "startsAt", "endsAt", "comment"}
 * recurring: {"pool"?, "hosts"?, "every": "daily"|"weekly", "days"?: ["MON".."SUN"], "at": "HH:mm",
 *             "duration": "2h", "zone"?: "Europe/Berlin" (default UTC), "from"?, "until"?, "comment"}
 * </pre>
 *
 * Instants are ISO-8601 ({@code 2026-05-01T22:00:00Z}) or epoch milliseconds; durations {@code 90m},
 * {@code 2h}, ISO {@code PT2H} or milliseconds. Every refusal is an {@link IllegalArgumentException}
 * whose message starts with the offending field.
 */
public final class MaintenanceJson {
  /** The fields of a request body. */
  public static final Set<String> FIELDS =
      Set.of("pool", "hosts", "startsAt", "endsAt", "every", "days", "at", "duration", "zone", "from", "until", "comment");
  private static final Set<String> RECURRING_ONLY = Set.of("every", "days", "at", "duration", "zone", "from", "until");

  private MaintenanceJson() {}

  /**
   * Parses a request body (or a stored spec with its comment).
   *
   * @throws IllegalArgumentException naming the field for anything wrong
   */
  public static MaintenanceSpec parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new IllegalArgumentException("body must be a JSON object with " + String.join(", ", new TreeSet<>(FIELDS)));
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new IllegalArgumentException(f + " is not a known field (known: " + String.join(", ", new TreeSet<>(FIELDS)) + ")");
      }
    }
    String pool = text(body, "pool");
    List<String> hosts = hosts(body.get("hosts"));
    Schedule schedule;
    if (present(body, "every")) {
      for (String f : List.of("startsAt", "endsAt")) {
        if (present(body, f)) {
          throw new IllegalArgumentException(f + " applies to one-off windows only; a recurring window has every, at and duration");
        }
      }
      Schedule.Every every = Schedule.Every.parse(text(body, "every"));
      String zoneText = text(body, "zone");
      ZoneId zone;
      try {
        zone = zoneText == null ? ZoneOffset.UTC : ZoneId.of(zoneText.strip());
      } catch (DateTimeException e) {
        throw new IllegalArgumentException("zone: '" + zoneText + "' is not a time zone id such as Europe/Berlin or UTC");
      }
      schedule =
          new Schedule.Recurring(
              every, days(body.get("days")), time(body), duration(body.get("duration")), zone,
              instant(body, "from"), instant(body, "until"));
    } else {
      for (String f : RECURRING_ONLY) {
        if (present(body, f)) {
          throw new IllegalArgumentException(f + " applies to recurring windows only: set every (daily or weekly)");
        }
      }
      Instant starts = instant(body, "startsAt");
      if (starts == null) {
        throw new IllegalArgumentException("startsAt is required (or every, at and duration for a recurring window)");
      }
      Instant ends = instant(body, "endsAt");
      if (ends == null) {
        throw new IllegalArgumentException("endsAt is required for a one-off window");
      }
      schedule = new Schedule.OneOff(starts, ends);
    }
    return new MaintenanceSpec(pool, hosts, schedule, text(body, "comment"));
  }

  /** The JSON form of a spec (instants in epoch ms), which {@link #parse} reads back to an equal spec. */
  public static ObjectNode write(ObjectMapper json, MaintenanceSpec spec) {
    ObjectNode o = json.createObjectNode();
    if (spec.pool() != null) {
      o.put("pool", spec.pool());
    }
    ArrayNode hosts = o.putArray("hosts");
    spec.hosts().forEach(hosts::add);
    if (spec.schedule() instanceof Schedule.OneOff one) {
      o.put("startsAt", one.startsAt().toEpochMilli());
      o.put("endsAt", one.endsAt().toEpochMilli());
    } else {
      Schedule.Recurring r = (Schedule.Recurring) spec.schedule();
      o.put("every", r.every().wire());
      if (!r.days().isEmpty()) {
        ArrayNode days = o.putArray("days");
        EnumSet.copyOf(r.days()).forEach(d -> days.add(abbreviation(d)));
      }
      o.put("at", r.at().toString());
      o.put("duration", Durations.format(r.duration()));
      o.put("zone", r.zone().getId());
      if (r.from() != null) {
        o.put("from", r.from().toEpochMilli());
      }
      if (r.until() != null) {
        o.put("until", r.until().toEpochMilli());
      }
    }
    o.put("comment", spec.comment());
    return o;
  }

  /** {@code MON} .. {@code SUN}. */
  public static String abbreviation(DayOfWeek d) {
    return d.name().substring(0, 3);
  }

  private static boolean present(JsonNode body, String field) {
    JsonNode v = body.get(field);
    return v != null && !v.isNull();
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return v.asText();
  }

  private static List<String> hosts(JsonNode v) {
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException("hosts must be an array of host ids");
    }
    List<String> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) {
        throw new IllegalArgumentException("hosts[" + i + "] must be a string");
      }
      out.add(v.get(i).asText());
    }
    return out;
  }

  private static Set<DayOfWeek> days(JsonNode v) {
    if (v == null || v.isNull()) {
      return Set.of();
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException("days must be an array of MON, TUE, WED, THU, FRI, SAT, SUN");
    }
    EnumSet<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
    for (int i = 0; i < v.size(); i++) {
      JsonNode d = v.get(i);
      DayOfWeek day = d.isTextual() ? day(d.asText()) : null;
      if (day == null) {
        throw new IllegalArgumentException(
            "days: '" + d.asText() + "' is not a day (MON, TUE, WED, THU, FRI, SAT, SUN)");
      }
      out.add(day);
    }
    return out;
  }

  private static DayOfWeek day(String text) {
    String t = text.strip().toUpperCase(Locale.ROOT);
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.name().equals(t) || abbreviation(d).equals(t)) {
        return d;
      }
    }
    return null;
  }

  private static LocalTime time(JsonNode body) {
    String t = text(body, "at");
    if (t == null) {
      throw new IllegalArgumentException("at is required for a recurring window (HH:mm, e.g. 02:30)");
    }
    if (!t.strip().matches("\\d{2}:\\d{2}")) {
      throw new IllegalArgumentException("at must be a time of day HH:mm, e.g. 02:30 (was '" + t + "')");
    }
    try {
      return LocalTime.parse(t.strip());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("at must be a time of day HH:mm, e.g. 02:30 (was '" + t + "')");
    }
  }

  private static Duration duration(JsonNode v) {
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("duration is required for a recurring window (e.g. 2h)");
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return Duration.ofMillis(v.asLong());
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException("duration must be a duration such as 90m or 2h, or milliseconds");
    }
    String t = v.asText().strip();
    if (t.startsWith("-")) {
      throw new IllegalArgumentException("duration must be above zero (was '" + t + "')");
    }
    return Durations.parse("duration", t);
  }

  private static Instant instant(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    try {
      if (v.isIntegralNumber() && v.canConvertToLong()) {
        return Instant.ofEpochMilli(v.asLong());
      }
      if (v.isTextual()) {
        String t = v.asText().strip();
        if (t.matches("-?\\d{1,19}")) {
          return Instant.ofEpochMilli(Long.parseLong(t));
        }
        return Instant.parse(t);
      }
    } catch (DateTimeException | NumberFormatException | ArithmeticException e) {
      // answered below
    }
    throw new IllegalArgumentException(
        field + ": '" + v.asText() + "' is neither an ISO-8601 instant (2026-05-01T22:00:00Z) nor epoch milliseconds");
  }
}

package dev.nines.console.host;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Text the host and pool screens show for times (UTC, as the charts). */
final class Formats {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private Formats() {}

  static String time(Instant at) {
    return at == null ? "–" : TIME.format(at);
  }

  /** {@code 5 min ago}, {@code 3 h ago}, {@code 2 d ago}. */
  static String ago(Instant at, Instant now) {
    if (at == null) {
      return "";
    }
    Duration d = Duration.between(at, now);
    if (d.isNegative() || d.toSeconds() < 60) {
      return "just now";
    }
    if (d.toMinutes() < 60) {
      return d.toMinutes() + " min ago";
    }
    if (d.toHours() < 48) {
      return d.toHours() + " h ago";
    }
    return d.toDays() + " d ago";
  }

  /** {@code since 2025-03-03 08:00:00 UTC (5 min ago)}. */
  static String since(Instant at, Instant now) {
    return at == null ? "" : "since " + time(at) + " (" + ago(at, now) + ")";
  }
}

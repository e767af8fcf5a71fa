package dev.nines.server.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the config file writes them: a whole number and a unit, {@code 500ms}, {@code 30s},
 * {@code 5m}, {@code 1h}, {@code 30d} (an ISO-8601 {@code PT30S} is accepted too). Pure.
 */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses a duration; the message of the exception names {@code path}.
   *
   * @throws IllegalArgumentException when the text is not a duration
   */
  public static Duration parse(String path, String text) {
    String t = text == null ? "" : text.strip();
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms":
          return Duration.ofMillis(n);
        case "s":
          return Duration.ofSeconds(n);
        case "m":
          return Duration.ofMinutes(n);
        case "h":
          return Duration.ofHours(n);
        default:
          return Duration.ofDays(n);
      }
    }
    if (t.startsWith("P") || t.startsWith("p")) {
      try {
        return Duration.parse(t);
      } catch (DateTimeParseException | ArithmeticException e) {
        // fall through to the message below
      }
    }
    throw new IllegalArgumentException(
        path + " must be a duration such as 500ms, 30s, 5m, 1h or 30d (was '" + text + "')");
  }

  /**
   * As {@link #parse}, and the duration must be above zero (retention periods, windows).
   *
   * @throws IllegalArgumentException naming {@code path} for anything else, zero or negative
   */
  public static Duration positive(String path, String text) {
    Duration d = parse(path, text);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(path + " must be positive (was '" + text + "')");
    }
    return d;
  }

  /** The shortest exact spelling: {@code 30d}, {@code 90m}, {@code 1500ms}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms != 0 && ms % 86_400_000L == 0) {
      return ms / 86_400_000L + "d";
    }
    if (ms != 0 && ms % 3_600_000L == 0) {
      return ms / 3_600_000L + "h";
    }
    if (ms != 0 && ms % 60_000L == 0) {
      return ms / 60_000L + "m";
    }
    if (ms % 1000L == 0) {
      return ms / 1000L + "s";
    }
    return ms + "ms";
  }
}

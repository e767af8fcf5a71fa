package dev.nines.server.samples;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written as people write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 48h}, {@code 30d}. */
public final class DurationText {
  private static final Pattern FORM = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

  private DurationText() {}

  /**
   * Parses a positive whole number followed by a unit ({@code ms}, {@code s}, {@code m}, {@code h},
   * {@code d}), or an ISO-8601 duration ({@code PT30S}). Pure.
   *
   * @param name the setting's name, for the message
   * @throws IllegalArgumentException naming {@code name} for anything else, zero or negative
   */
  public static Duration parse(String name, String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(name + " is empty: give a duration such as 30s, 5m, 48h or 30d");
    }
    String v = text.strip();
    Duration d;
    Matcher m = FORM.matcher(v);
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        d =
            switch (m.group(2)) {
              case "ms" -> Duration.ofMillis(n);
              case "s" -> Duration.ofSeconds(n);
              case "m" -> Duration.ofMinutes(n);
              case "h" -> Duration.ofHours(n);
              default -> Duration.ofDays(n);
            };
      } else if (v.startsWith("P") || v.startsWith("p")) {
        d = Duration.parse(v);
      } else {
        d = null;
      }
    } catch (RuntimeException e) {
      d = null;
    }
    if (d == null) {
      throw new IllegalArgumentException(
          name + ": '" + text + "' is not a duration; write a whole number and a unit (ms, s, m, h, d), e.g. 48h or 30d");
    }
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive (was " + text + ")");
    }
    return d;
  }
}

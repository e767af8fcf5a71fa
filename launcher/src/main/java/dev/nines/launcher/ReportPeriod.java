package dev.nines.launcher;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The period of a report as the command line gives it: {@code --from}/{@code --to}, {@code --month}
 * or {@code --last}, exactly one of them. Pure; {@code now} is passed in.
 *
 * @param from the start (inclusive)
 * @param to the end (exclusive)
 */
record ReportPeriod(Instant from, Instant to) {
  static final int MAX_DAYS = 400;
  private static final Pattern LAST = Pattern.compile("(\\d{1,3})([dh])");

  ReportPeriod {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("the period must end after it starts (from " + from + ", to " + to + ")");
    }
  }

  /**
   * Resolves the options into a period.
   *
   * @throws IllegalArgumentException naming the options when none or more than one way is given, or
   *     a value cannot be read
   */
  static ReportPeriod of(String from, String to, String month, String last, Instant now) {
    List<String> ways = new ArrayList<>();
    if (from != null || to != null) {
      ways.add("--from/--to");
    }
    if (month != null) {
      ways.add("--month");
    }
    if (last != null) {
      ways.add("--last");
    }
    if (ways.size() != 1) {
      throw new IllegalArgumentException(
          (ways.isEmpty() ? "no period given" : "give the period one way, not " + String.join(" and ", ways))
              + ": use --from [--to], --month YYYY-MM or --last 7d|30d|90d");
    }
    if (month != null) {
      YearMonth m;
      try {
        m = YearMonth.parse(month.strip());
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("--month: '" + month + "' is not a month like 2026-11");
      }
      return new ReportPeriod(
          m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC),
          m.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));
    }
    if (last != null) {
      Matcher x = LAST.matcher(last.strip());
      if (!x.matches()) {
        throw new IllegalArgumentException("--last: '" + last + "' is not a length like 7d, 30d, 90d or 12h");
      }
      long n = Long.parseLong(x.group(1));
      Duration length = x.group(2).equals("d") ? Duration.ofDays(n) : Duration.ofHours(n);
      if (n == 0 || length.compareTo(Duration.ofDays(MAX_DAYS)) > 0) {
        throw new IllegalArgumentException("--last: '" + last + "' must be more than 0 and at most " + MAX_DAYS + "d");
      }
      return new ReportPeriod(now.minus(length), now);
    }
    if (from == null) {
      throw new IllegalArgumentException("--to needs --from");
    }
    Instant start = instant("--from", from, false);
    Instant end = to == null ? now : instant("--to", to, true);
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("--from (" + start + ") must be before --to (" + end + ")");
    }
    return new ReportPeriod(start, end);
  }

  /**
   * An ISO-8601 instant ({@code 2026-11-02T10:00:00Z}) or a date ({@code 2026-11-02}, UTC): its start,
   * or for an end its end (the next day's start), so {@code --to 2026-11-30} includes the 30th.
   */
  static Instant instant(String option, String text, boolean end) {
    String s = text.strip();
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      // not an instant; a date?
    }
    try {
      LocalDate d = LocalDate.parse(s);
      return (end ? d.plusDays(1) : d).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          option + ": '" + text + "' is neither an ISO-8601 instant (2026-11-02T10:00:00Z) nor a date (2026-11-02)");
    }
  }
}

package dev.nines.server.maintenance;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** When a maintenance window applies: once, or on a daily or weekly recurrence. Pure. */
public sealed interface Schedule permits Schedule.OneOff, Schedule.Recurring {
  /** The longest one-off window. */
  Duration MAX_ONE_OFF = Duration.ofDays(30);
  /** The longest occurrence of a recurring window. */
  Duration MAX_OCCURRENCE = Duration.ofDays(7);

  /**
   * The occurrences that share time with {@code [from, to)}, oldest first, unclipped (one that
   * crosses an edge of the query is returned whole).
   */
  List<Occurrence> occurrences(Instant from, Instant to);

  /** The longest a single occurrence lasts. */
  Duration longest();

  /** A one-off window {@code [startsAt, endsAt)}, at most 30 days long. */
  record OneOff(Instant startsAt, Instant endsAt) implements Schedule {
    public OneOff {
      if (startsAt == null) {
        throw new IllegalArgumentException("startsAt is required for a one-off window");
      }
      if (endsAt == null) {
        throw new IllegalArgumentException("endsAt is required for a one-off window");
      }
      startsAt = startsAt.truncatedTo(ChronoUnit.MILLIS);
      endsAt = endsAt.truncatedTo(ChronoUnit.MILLIS);
      if (!endsAt.isAfter(startsAt)) {
        throw new IllegalArgumentException("endsAt must be after startsAt (startsAt " + startsAt + ", endsAt " + endsAt + ")");
      }
      if (Duration.between(startsAt, endsAt).compareTo(MAX_ONE_OFF) > 0) {
        throw new IllegalArgumentException(
            "endsAt: a one-off window may last at most 30 days (was " + Duration.between(startsAt, endsAt) + ")");
      }
    }

    @Override
    public List<Occurrence> occurrences(Instant from, Instant to) {
      Occurrence o = new Occurrence(startsAt, endsAt);
      return o.overlaps(from, to) ? List.of(o) : List.of();
    }

    @Override
    public Duration longest() {
      return Duration.between(startsAt, endsAt);
    }
  }

  /** How often a recurring window comes back. */
  enum Every {
    DAILY,
    WEEKLY;

    /** As written in the API: {@code daily} or {@code weekly}. */
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@code daily} or {@code weekly} (any case); the message names the field {@code every}. */
    public static Every parse(String text) {
      if (text != null) {
        for (Every e : values()) {
          if (e.wire().equalsIgnoreCase(text.strip())) {
            return e;
          }
        }
      }
      throw new IllegalArgumentException("every must be daily or weekly (was '" + text + "')");
    }
  }

  /**
   * A window that starts every day, or on the given days of the week, at a local time in a time
   * zone, and lasts {@code duration} (real, elapsed time: a 4 h window that spans a daylight-saving
   * change still lasts 4 h).
   *
   * <p>The recurrence is expanded in {@code zone} with {@link ZonedDateTime#of}: a start time that
   * does not exist on a day (02:30 on the night clocks go forward) moves forward by the length of
   * the gap (to 03:30); a start time that exists twice (the night clocks go back) takes the earlier
   * of the two (summer time).
   *
   * @param every daily or weekly
   * @param days the days of the week (weekly only; at least one); empty for daily
   * @param at the local start time, to the minute
   * @param duration how long each occurrence lasts, above 0 and at most 7 days
   * @param zone the time zone of {@code at} and of the days
   * @param from no occurrence starts before this (null: no bound)
   * @param until no occurrence starts at or after this (null: no bound)
   */
  record Recurring(
      Every every, Set<DayOfWeek> days, LocalTime at, Duration duration, ZoneId zone, Instant from, Instant until)
      implements Schedule {
    public Recurring {
      if (every == null) {
        throw new IllegalArgumentException("every is required for a recurring window (daily or weekly)");
      }
      if (days == null) {
        days = Set.of();
      }
      if (every == Every.WEEKLY && days.isEmpty()) {
        throw new IllegalArgumentException("days is required for a weekly window (e.g. [\"SAT\", \"SUN\"])");
      }
      if (every == Every.DAILY && !days.isEmpty()) {
        throw new IllegalArgumentException("days applies to weekly windows only");
      }
      days = days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
      if (at == null) {
        throw new IllegalArgumentException("at is required for a recurring window (HH:mm)");
      }
      if (at.getSecond() != 0 || at.getNano() != 0) {
        throw new IllegalArgumentException("at must be a time of day to the minute, HH:mm (was " + at + ")");
      }
      if (duration == null) {
        throw new IllegalArgumentException("duration is required for a recurring window");
      }
      if (duration.isZero() || duration.isNegative()) {
        throw new IllegalArgumentException("duration must be above zero (was " + duration + ")");
      }
      if (duration.compareTo(MAX_OCCURRENCE) > 0) {
        throw new IllegalArgumentException("duration must be at most 7 days (was " + duration + ")");
      }
      if (duration.toMillis() * 1_000_000L != duration.toNanos()) {
        throw new IllegalArgumentException("duration must be whole milliseconds (was " + duration + ")");
      }
      if (zone == null) {
        throw new IllegalArgumentException("zone is required");
      }
      from = from == null ? null : from.truncatedTo(ChronoUnit.MILLIS);
      until = until == null ? null : until.truncatedTo(ChronoUnit.MILLIS);
      if (from != null && until != null && !until.isAfter(from)) {
        throw new IllegalArgumentException("until must be after from (from " + from + ", until " + until + ")");
      }
    }

    @Override
    public List<Occurrence> occurrences(Instant qFrom, Instant qTo) {
      if (!qTo.isAfter(qFrom)) {
        return List.of();
      }
      Instant lo = from != null && from.isAfter(qFrom.minus(duration)) ? from : qFrom.minus(duration);
      Instant hi = until != null && until.isBefore(qTo) ? until : qTo;
      if (!hi.isAfter(lo)) {
        return List.of();
      }
      // Local dates whose start could fall in [lo, hi): a day either side covers any zone offset.
      LocalDate day = lo.atZone(zone).toLocalDate().minusDays(1);
      LocalDate last = hi.atZone(zone).toLocalDate().plusDays(1);
      List<Occurrence> out = new ArrayList<>();
      for (; !day.isAfter(last); day = day.plusDays(1)) {
        if (every == Every.WEEKLY && !days.contains(day.getDayOfWeek())) {
          continue;
        }
        Instant start = ZonedDateTime.of(day, at, zone).toInstant();
        if (from != null && start.isBefore(from)) {
          continue;
        }
        if (until != null && !start.isBefore(until)) {
          continue;
        }
        Instant end = start.plus(duration);
        if (start.isBefore(qTo) && end.isAfter(qFrom)) {
          out.add(new Occurrence(start, end));
        }
      }
      return out;
    }

    @Override
    public Duration longest() {
      return duration;
    }
  }
}

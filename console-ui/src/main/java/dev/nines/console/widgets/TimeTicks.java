package dev.nines.console.widgets;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tick marks for a time axis, from 15 minutes to 30 days and beyond. Ticks fall on round local times
 * of the chosen zone (every 2 minutes, 1 hour, a day at midnight, Mondays...), so a 6 h chart reads
 * 10:00, 11:00, 12:00 and a 30 d chart reads the Mondays. Within a day the label is {@code HH:mm}; a
 * tick at local midnight, and every tick of a day or longer step, is labelled with the date
 * ({@code Mar 3}). Pure: no JavaFX.
 */
public final class TimeTicks {
  /** One tick: where it is and what it says. */
  public record Tick(Instant at, String label) {
    public Tick {
      if (at == null) {
        throw new IllegalArgumentException("at must not be null");
      }
      if (label == null) {
        throw new IllegalArgumentException("label must not be null");
      }
    }
  }

  /** The steps tried, smallest first; every step below a day divides a day. */
  static final List<Duration> STEPS =
      List.of(
          Duration.ofMinutes(1),
          Duration.ofMinutes(2),
          Duration.ofMinutes(5),
          Duration.ofMinutes(10),
          Duration.ofMinutes(15),
          Duration.ofMinutes(30),
          Duration.ofHours(1),
          Duration.ofHours(2),
          Duration.ofHours(3),
          Duration.ofHours(6),
          Duration.ofHours(12),
          Duration.ofDays(1),
          Duration.ofDays(2),
          Duration.ofDays(7),
          Duration.ofDays(14),
          Duration.ofDays(28));

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("MMM d", Locale.ENGLISH);
  private static final DateTimeFormatter FULL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ENGLISH);

  private TimeTicks() {}

  /**
   * The ticks in {@code [from, to)}, at most about {@code maxTicks} of them, on round local times of
   * {@code zone}.
   */
  public static List<Tick> compute(Instant from, Instant to, ZoneId zone, int maxTicks) {
    if (from == null || to == null || zone == null) {
      throw new IllegalArgumentException("from, to and zone must not be null");
    }
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("to must be after from, was " + from + " .. " + to);
    }
    if (maxTicks < 1) {
      throw new IllegalArgumentException("maxTicks must be at least 1, was " + maxTicks);
    }
    Duration step = step(Duration.between(from, to), maxTicks);
    List<Tick> ticks = new ArrayList<>();
    ZonedDateTime start = from.atZone(zone);
    if (step.compareTo(Duration.ofDays(1)) < 0) {
      long stepMinutes = step.toMinutes();
      LocalDate day = start.toLocalDate();
      long minuteOfDay = start.toLocalTime().toSecondOfDay() / 60;
      LocalDateTime cursor = day.atStartOfDay().plusMinutes(minuteOfDay / stepMinutes * stepMinutes);
      Instant last = null;
      while (true) {
        ZonedDateTime at = cursor.atZone(zone);
        Instant instant = at.toInstant();
        if (!instant.isBefore(to)) {
          break;
        }
        // a DST change may map two local times to one instant, or skip one: keep each instant once
        if (!instant.isBefore(from) && !instant.equals(last)) {
          String label =
              at.toLocalTime().equals(LocalTime.MIDNIGHT) ? DATE.format(at) : TIME.format(at);
          ticks.add(new Tick(instant, label));
          last = instant;
        }
        cursor = cursor.plusMinutes(stepMinutes);
      }
    } else {
      long stepDays = step.toDays();
      LocalDate cursor = start.toLocalDate();
      if (stepDays == 7 || stepDays == 14 || stepDays == 28) {
        while (cursor.getDayOfWeek() != DayOfWeek.MONDAY) {
          cursor = cursor.minusDays(1);
        }
        if (stepDays > 7) {
          // keep the same Mondays whatever the window's start: align on the epoch's weeks
          long week = Math.floorDiv(cursor.toEpochDay() - 4, 7); // 1970-01-05 was a Monday
          cursor = cursor.minusWeeks(Math.floorMod(week, stepDays / 7));
        }
      } else {
        cursor = cursor.minusDays(Math.floorMod(cursor.toEpochDay(), stepDays));
      }
      while (true) {
        ZonedDateTime at = cursor.atStartOfDay(zone);
        Instant instant = at.toInstant();
        if (!instant.isBefore(to)) {
          break;
        }
        if (!instant.isBefore(from)) {
          ticks.add(new Tick(instant, DATE.format(at)));
        }
        cursor = cursor.plusDays(stepDays);
      }
    }
    return List.copyOf(ticks);
  }

  /** The smallest step that gives at most {@code maxTicks} ticks over {@code range}. */
  static Duration step(Duration range, int maxTicks) {
    for (Duration step : STEPS) {
      if (range.toMillis() / step.toMillis() <= maxTicks) {
        return step;
      }
    }
    return STEPS.get(STEPS.size() - 1);
  }

  /** A full local time for a readout: {@code 2025-03-03 14:05:00}. */
  public static String formatFull(Instant at, ZoneId zone) {
    return FULL.format(at.atZone(zone));
  }
}

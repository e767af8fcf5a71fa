package dev.nines.server.samples;

import java.time.Duration;

/**
 * How long each kind of data is kept.
 *
 * @param raw raw samples and report bodies
 * @param minute 1-minute rollups
 * @param hour 1-hour rollups
 */
public record Retention(Duration raw, Duration minute, Duration hour) {
  public Retention {
    if (raw == null || raw.isZero() || raw.isNegative()) {
      throw new IllegalArgumentException("raw must be positive (was " + raw + ")");
    }
    if (minute == null || minute.compareTo(raw) < 0) {
      throw new IllegalArgumentException("minute must be at least raw (was " + minute + ")");
    }
    if (hour == null || hour.compareTo(minute) < 0) {
      throw new IllegalArgumentException("hour must be at least minute (was " + hour + ")");
    }
  }

  /** 48 hours, 30 days, 400 days. */
  public static Retention defaults() {
    return new Retention(Duration.ofHours(48), Duration.ofDays(30), Duration.ofDays(400));
  }
}

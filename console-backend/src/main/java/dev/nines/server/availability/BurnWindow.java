package dev.nines.server.availability;

import java.time.Duration;

/** The windows over which burn rates are computed, each ending at {@code now}. */
public enum BurnWindow {
  M5(Duration.ofMinutes(5), "5m"),
  M30(Duration.ofMinutes(30), "30m"),
  H1(Duration.ofHours(1), "1h"),
  H6(Duration.ofHours(6), "6h"),
  D1(Duration.ofDays(1), "1d"),
  D3(Duration.ofDays(3), "3d");

  private final Duration duration;
  private final String label;

  BurnWindow(Duration duration, String label) {
    this.duration = duration;
    this.label = label;
  }

  public Duration duration() {
    return duration;
  }

  /** A short label such as {@code 5m} or {@code 3d} (for metric labels and JSON). */
  public String label() {
    return label;
  }
}

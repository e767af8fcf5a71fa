package dev.nines.console.host;

import java.time.Duration;

/** The ranges the host screen's charts show, each read at about {@link #POINTS} points. */
public enum HostRange {
  M15("15 m", Duration.ofMinutes(15)),
  H1("1 h", Duration.ofHours(1)),
  H6("6 h", Duration.ofHours(6)),
  H24("24 h", Duration.ofHours(24)),
  D7("7 d", Duration.ofDays(7)),
  D30("30 d", Duration.ofDays(30));

  /** How many points a chart gets over its range. */
  public static final int POINTS = 300;

  private final String label;
  private final Duration length;

  HostRange(String label, Duration length) {
    this.label = label;
    this.length = length;
  }

  /** The button's text ({@code 6 h}). */
  public String label() {
    return label;
  }

  /** How far back the charts reach. */
  public Duration length() {
    return length;
  }

  /** The bucket width asked of the backend: the range over {@link #POINTS} (15 m: 3 s, 30 d: 2 h 24 m). */
  public Duration step() {
    return length.dividedBy(POINTS);
  }
}

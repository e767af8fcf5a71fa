package dev.nines.server.availability;

import java.util.OptionalDouble;

/**
 * The multi-window, multi-burn-rate conditions of the SRE workbook ("Alerting on SLOs"): each fires
 * when the burn rate exceeds its threshold over both its long and its short window (the short one
 * makes the alert stop soon after the burning stops). Thresholds are exceeded strictly, as in the
 * workbook's {@code >} expressions.
 */
public enum BurnCondition {
  /** 2 % of a 30-day budget in one hour. */
  PAGE_FAST("page-14.4x-1h-5m", Severity.PAGE, 14.4, BurnWindow.H1, BurnWindow.M5),
  /** 5 % of a 30-day budget in six hours. */
  PAGE_SLOW("page-6x-6h-30m", Severity.PAGE, 6.0, BurnWindow.H6, BurnWindow.M30),
  /** 10 % of a 30-day budget in three days. */
  TICKET("ticket-1x-3d-6h", Severity.TICKET, 1.0, BurnWindow.D3, BurnWindow.H6);

  /** What a firing condition asks for. */
  public enum Severity {
    PAGE,
    TICKET
  }

  private final String conditionName;
  private final Severity severity;
  private final double threshold;
  private final BurnWindow longWindow;
  private final BurnWindow shortWindow;

  BurnCondition(String conditionName, Severity severity, double threshold, BurnWindow longWindow, BurnWindow shortWindow) {
    this.conditionName = conditionName;
    this.severity = severity;
    this.threshold = threshold;
    this.longWindow = longWindow;
    this.shortWindow = shortWindow;
  }

  /** A stable name such as {@code page-14.4x-1h-5m}, for alerts, JSON and metric labels. */
  public String conditionName() {
    return conditionName;
  }

  /** A sentence such as {@code page: 14.4x over 1h and 5m}. */
  public String description() {
    String rate = threshold == Math.rint(threshold) ? String.valueOf((long) threshold) : String.valueOf(threshold);
    return severity.name().toLowerCase(java.util.Locale.ROOT)
        + ": " + rate + "x over " + longWindow.label() + " and " + shortWindow.label();
  }

  public Severity severity() {
    return severity;
  }

  public double threshold() {
    return threshold;
  }

  public BurnWindow longWindow() {
    return longWindow;
  }

  public BurnWindow shortWindow() {
    return shortWindow;
  }

  /** True when both rates are known and both exceed the threshold. */
  public boolean firesOn(OptionalDouble longRate, OptionalDouble shortRate) {
    return longRate.isPresent()
        && shortRate.isPresent()
        && longRate.getAsDouble() > threshold
        && shortRate.getAsDouble() > threshold;
  }
}

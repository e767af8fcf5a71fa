package dev.nines.console.widgets;

import java.util.Locale;

/**
 * The unit of a chart's values: how a raw value (as the backend sends it) is shown. Axis ticks are
 * computed on the shown number, so a byte count gets round GiB ticks and a ratio gets round percents.
 */
public enum Unit {
  /** A plain number. */
  NONE("", 1),
  /** The value is a ratio (0.42), shown as a percent ({@code 42 %}). */
  RATIO_AS_PERCENT("%", 100),
  /** Degrees Celsius. */
  CELSIUS("°C", 1),
  /** Watts. */
  WATTS("W", 1),
  /** The value is a byte count, shown in GiB. */
  BYTES_AS_GIB("GiB", 1.0 / (1L << 30)),
  /** Milliseconds. */
  MILLISECONDS("ms", 1);

  private final String symbol;
  private final double scale;

  Unit(String symbol, double scale) {
    this.symbol = symbol;
    this.scale = scale;
  }

  /** The symbol shown after a number ({@code %}, {@code °C}); empty for {@link #NONE}. */
  public String symbol() {
    return symbol;
  }

  /** The shown number for a raw value. */
  public double toDisplay(double raw) {
    return raw * scale;
  }

  /** The raw value for a shown number. */
  public double fromDisplay(double display) {
    return display / scale;
  }

  /** A raw value with {@code decimals} decimals and the symbol: {@code 42.5 %}; a NaN is {@code –}. */
  public String format(double raw, int decimals) {
    if (!Double.isFinite(raw)) {
      return "–";
    }
    String number = String.format(Locale.ROOT, "%." + Math.max(0, decimals) + "f", toDisplay(raw));
    if (number.startsWith("-") && Double.parseDouble(number) == 0) {
      number = number.substring(1);
    }
    return symbol.isEmpty() ? number : number + " " + symbol;
  }

  /** A raw value with as many decimals as make sense for its size (3 significant digits, at most 2). */
  public String format(double raw) {
    if (!Double.isFinite(raw)) {
      return "–";
    }
    double shown = Math.abs(toDisplay(raw));
    int decimals = shown >= 100 || shown == 0 ? 0 : shown >= 10 ? 1 : 2;
    return format(raw, decimals);
  }
}

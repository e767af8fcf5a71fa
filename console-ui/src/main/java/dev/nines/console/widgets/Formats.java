package dev.nines.console.widgets;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Number texts shared by the widgets. */
final class Formats {
  private Formats() {}

  /**
   * A ratio as a percent with as few decimals as show it (at most 3, trailing zeros dropped, rounded
   * down so 99.9999 % never reads 100 %): 0.9995 is {@code 99.95 %}, 0.999 is {@code 99.9 %}.
   */
  static String percent(double ratio) {
    if (!Double.isFinite(ratio)) {
      return "–";
    }
    BigDecimal p =
        BigDecimal.valueOf(ratio).movePointRight(2).setScale(3, RoundingMode.FLOOR).stripTrailingZeros();
    if (p.scale() < 0) {
      p = p.setScale(0);
    }
    return p.toPlainString() + " %";
  }
}

package dev.nines.console.widgets;

import dev.nines.console.theme.Palette;
import dev.nines.console.theme.Tone;
import javafx.geometry.VPos;
import javafx.scene.AccessibleRole;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * The error budget left, as a ratio of the whole budget: 1 untouched, 0 spent, negative overspent
 * (-0.4 = 40 % more than the budget was spent). The right three quarters of the bar show 0..100 %
 * left, the left quarter left of the zero mark shows overspending down to -100 % (clamped). Text
 * {@code 62 % left} or {@code 40 % overspent}; OK from 25 % left, WARNING below, CRITICAL overspent.
 */
public final class BudgetBar extends CanvasWidget {
  private static final Font FONT = Font.font("System", 11);
  static final double ZERO_AT = 0.25;
  private double remaining = Double.NaN;

  public BudgetBar() {
    setAccessibleRole(AccessibleRole.TEXT);
    setPrefSize(260, 22);
    setMinSize(80, 14);
    setAccessibleText("error budget " + text());
  }

  /** The budget left as a ratio (may be negative); NaN = not available. */
  public void setRemaining(double ratio) {
    this.remaining = ratio;
    setAccessibleText("error budget " + text());
    invalidate();
  }

  /** The ratio shown. */
  public double remaining() {
    return remaining;
  }

  /** OK from 25 % left, WARNING from 0, CRITICAL when overspent, UNKNOWN without data. */
  public Tone tone() {
    if (!Double.isFinite(remaining)) {
      return Tone.UNKNOWN;
    }
    return remaining >= 0.25 ? Tone.OK : remaining >= 0 ? Tone.WARNING : Tone.CRITICAL;
  }

  /** The text shown: {@code 62 % left}, {@code 40 % overspent}, {@code no data}. */
  public String text() {
    if (!Double.isFinite(remaining)) {
      return "no data";
    }
    long pct = Math.round(Math.abs(remaining) * 100);
    return remaining < 0 && pct > 0 ? pct + " % overspent" : pct + " % left";
  }

  @Override
  protected void draw(GraphicsContext g, double w, double h, Palette palette) {
    g.setFont(FONT);
    g.setTextBaseline(VPos.CENTER);
    String text = text();
    // room for the usual text, or more when this one is longer (a budget overspent many times)
    double textW = Math.max(TimeSeriesChart.textWidth("100 % overspent", FONT), TimeSeriesChart.textWidth(text, FONT)) + 8;
    double barW = Math.max(10, w - textW);
    double barH = Math.min(10, h - 4);
    double y = (h - barH) / 2;
    double zero = Math.round(barW * ZERO_AT);
    g.setFill(palette.grid());
    g.fillRect(0, y, barW, barH);
    if (Double.isFinite(remaining)) {
      g.setFill(palette.color(tone()));
      if (remaining >= 0) {
        double fw = Math.min(1, remaining) * (barW - zero);
        g.fillRect(zero, y, Math.max(1, fw), barH);
      } else {
        double fw = Math.min(1, -remaining) * zero;
        g.fillRect(zero - fw, y, fw, barH);
      }
    }
    g.setStroke(palette.foreground());
    g.setLineWidth(2);
    g.strokeLine(zero + 0.5, y - 3, zero + 0.5, y + barH + 3);
    g.setFill(tone() == Tone.CRITICAL ? palette.critical() : palette.foreground());
    g.setTextAlign(TextAlignment.LEFT);
    g.fillText(text, barW + 8, h / 2);
  }
}

package dev.nines.console.widgets;

import dev.nines.console.theme.Palette;
import dev.nines.console.theme.Tone;
import javafx.geometry.VPos;
import javafx.scene.AccessibleRole;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * Availability against an SLO target: a bar whose scale starts at {@code 1 - 10 x (1 - target)} so
 * the target sits at 90 % of the width and 99.95 % vs 99.9 % is visibly apart, a target mark, and the
 * text ({@code 99.95 %  SLO 99.9 %}). Green when at or above target, red below, grey without data.
 */
public final class AvailabilityBar extends CanvasWidget {
  private static final Font FONT = Font.font("System", 11);
  private String label = "";
  private double availability = Double.NaN;
  private double target = 0.999;

  public AvailabilityBar() {
    setAccessibleRole(AccessibleRole.TEXT);
    setPrefSize(300, 22);
    setMinSize(80, 14);
    updateAccessibleText();
  }

  /** A short label drawn on the left ("30 d"). */
  public void setLabel(String label) {
    this.label = label == null ? "" : label;
    updateAccessibleText();
    invalidate();
  }

  /**
   * The availability and the target, both ratios (0.9995, 0.999); availability NaN = not available.
   */
  public void setValues(double availability, double target) {
    if (!(target > 0 && target < 1)) {
      throw new IllegalArgumentException("target must be between 0 and 1, was " + target);
    }
    if (Double.isFinite(availability) && (availability < 0 || availability > 1)) {
      throw new IllegalArgumentException("availability must be between 0 and 1, was " + availability);
    }
    this.availability = availability;
    this.target = target;
    updateAccessibleText();
    invalidate();
  }

  /** OK at or above target, CRITICAL below, UNKNOWN without data. */
  public Tone tone() {
    if (!Double.isFinite(availability)) {
      return Tone.UNKNOWN;
    }
    return availability >= target ? Tone.OK : Tone.CRITICAL;
  }

  /** The text shown (and read out): {@code 99.95 % (SLO 99.9 %)}. */
  public String text() {
    String a = Double.isFinite(availability) ? Formats.percent(availability) : "no data";
    return a + "  SLO " + Formats.percent(target);
  }

  /** Where on the bar (0..1 of its width) a ratio lies. */
  double position(double ratio) {
    double floor = Math.max(0, 1 - 10 * (1 - target));
    return Math.max(0, Math.min(1, (ratio - floor) / (1 - floor)));
  }

  private void updateAccessibleText() {
    setAccessibleText((label.isEmpty() ? "" : label + " ") + "availability " + text());
  }

  @Override
  protected void draw(GraphicsContext g, double w, double h, Palette palette) {
    g.setFont(FONT);
    g.setTextBaseline(VPos.CENTER);
    double x = 0;
    if (!label.isEmpty()) {
      g.setFill(palette.muted());
      g.setTextAlign(TextAlignment.LEFT);
      g.fillText(label, 0, h / 2);
      x = TimeSeriesChart.textWidth(label, FONT) + 8;
    }
    String text = text();
    double textW = TimeSeriesChart.textWidth(text, FONT) + 8;
    double barW = Math.max(10, w - x - textW);
    double barH = Math.min(10, h - 4);
    double y = (h - barH) / 2;
    g.setFill(palette.grid());
    g.fillRoundRect(x, y, barW, barH, barH, barH);
    Color c = palette.color(tone());
    if (Double.isFinite(availability)) {
      double fw = Math.max(barH, position(availability) * barW);
      g.setFill(c);
      g.fillRoundRect(x, y, fw, barH, barH, barH);
    }
    double tx = Math.round(x + position(target) * barW) + 0.5;
    g.setStroke(palette.foreground());
    g.setLineWidth(2);
    g.strokeLine(tx, y - 3, tx, y + barH + 3);
    g.setFill(palette.foreground());
    g.setTextAlign(TextAlignment.LEFT);
    g.fillText(text, x + barW + 8, h / 2);
  }
}

package dev.nines.console.widgets;

import dev.nines.console.theme.Palette;
import dev.nines.console.theme.Tone;
import java.util.Locale;
import javafx.geometry.VPos;
import javafx.scene.AccessibleRole;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

/**
 * One multi-window burn-rate condition at a glance: a state icon and word (FIRING: cross octagon,
 * ELEVATED: warning triangle, OK: check, UNKNOWN: ring), then each window's rate against the threshold
 * with a small bar per window that turns to the state colour when over it:
 * {@code FIRING  1h 15.2x  5m 18.0x  / 14.4x}. For a table column use {@link BurnRateCell}.
 */
public final class BurnRateIndicator extends CanvasWidget {
  private static final Font FONT = Font.font("System", 11);
  private static final Font BOLD = Font.font("System", FontWeight.BOLD, 11);
  private BurnCondition condition;

  public BurnRateIndicator() {
    setAccessibleRole(AccessibleRole.TEXT);
    setPrefSize(300, 22);
    setMinSize(120, 16);
  }

  /** Shows {@code condition}; null shows nothing. */
  public void setCondition(BurnCondition condition) {
    this.condition = condition;
    setAccessibleText(condition == null ? "" : text());
    invalidate();
  }

  /** The condition shown, or null. */
  public BurnCondition condition() {
    return condition;
  }

  /** The text shown and read out: {@code FIRING: 1h 15.2x, 5m 18.0x, threshold 14.4x}. */
  public String text() {
    if (condition == null) {
      return "";
    }
    return condition.state()
        + ": "
        + condition.longWindow()
        + " "
        + rate(condition.longRate())
        + ", "
        + condition.shortWindow()
        + " "
        + rate(condition.shortRate())
        + ", threshold "
        + rate(condition.threshold());
  }

  /** The colour's meaning for a state. */
  public static Tone tone(BurnCondition.State state) {
    switch (state) {
      case FIRING:
        return Tone.CRITICAL;
      case ELEVATED:
        return Tone.WARNING;
      case OK:
        return Tone.OK;
      default:
        return Tone.UNKNOWN;
    }
  }

  static String rate(double r) {
    if (!Double.isFinite(r)) {
      return "–";
    }
    return String.format(Locale.ROOT, r >= 100 ? "%.0fx" : "%.1fx", r);
  }

  @Override
  protected void draw(GraphicsContext g, double w, double h, Palette palette) {
    if (condition == null) {
      return;
    }
    BurnCondition.State state = condition.state();
    Color c = palette.color(tone(state));
    double cy = h / 2;
    StateBadge.Glyph glyph;
    switch (state) {
      case FIRING:
        glyph = StateBadge.Glyph.CROSS_OCTAGON;
        break;
      case ELEVATED:
        glyph = StateBadge.Glyph.WARNING_TRIANGLE;
        break;
      case OK:
        glyph = StateBadge.Glyph.CHECK_CIRCLE;
        break;
      default:
        glyph = StateBadge.Glyph.QUESTION_RING;
    }
    StateBadge.drawGlyph(g, glyph, 7, cy, 12, c, palette.surface());
    g.setTextBaseline(VPos.CENTER);
    g.setTextAlign(TextAlignment.LEFT);
    g.setFont(BOLD);
    g.setFill(state == BurnCondition.State.OK ? palette.foreground() : c);
    String word = state.name();
    g.fillText(word, 18, cy);
    double x = 18 + TimeSeriesChart.textWidth("ELEVATED", BOLD) + 10;
    g.setFont(FONT);
    x = window(g, palette, x, cy, condition.longWindow(), condition.longRate(), c);
    x = window(g, palette, x + 8, cy, condition.shortWindow(), condition.shortRate(), c);
    g.setFill(palette.muted());
    g.fillText("/ " + rate(condition.threshold()), x + 8, cy);
  }

  private double window(
      GraphicsContext g, Palette palette, double x, double cy, String label, double r, Color c) {
    g.setFill(palette.muted());
    g.fillText(label, x, cy);
    x += TimeSeriesChart.textWidth(label, FONT) + 4;
    // a 24 px bar: full at twice the threshold, a tick at the threshold
    double bw = 24;
    g.setFill(palette.grid());
    g.fillRect(x, cy - 3, bw, 6);
    boolean over = Double.isFinite(r) && r >= condition.threshold();
    if (Double.isFinite(r)) {
      g.setFill(over ? c : palette.muted());
      g.fillRect(x, cy - 3, Math.min(1, r / (2 * condition.threshold())) * bw, 6);
    }
    g.setStroke(palette.foreground());
    g.setLineWidth(1);
    g.strokeLine(x + bw / 2 + 0.5, cy - 5, x + bw / 2 + 0.5, cy + 5);
    x += bw + 4;
    String text = rate(r);
    g.setFill(over ? c : palette.foreground());
    g.fillText(text, x, cy);
    return x + TimeSeriesChart.textWidth(text, FONT);
  }
}

package dev.nines.console.widgets;

import dev.nines.console.theme.Palette;
import dev.nines.console.theme.Tone;
import dev.nines.protocol.RoutingState;
import java.util.Locale;
import javafx.geometry.VPos;
import javafx.scene.AccessibleRole;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.shape.StrokeLineCap;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

/**
 * A host's health or routing state as colour AND a word AND an icon shape (never colour alone), with
 * accessible text ({@code Health: degraded}). Health: HEALTHY (check in a circle), DEGRADED (warning
 * triangle), UNHEALTHY (cross in an octagon), UNKNOWN (question mark in a ring). Routing: ACTIVE
 * (play triangle), DRAINING (half-filled circle), DRAINED (pause bars), MAINTENANCE (diamond with a
 * bar). Sizes itself to its text.
 */
public final class StateBadge extends CanvasWidget {
  /** The icon shapes. */
  public enum Glyph {
    CHECK_CIRCLE,
    WARNING_TRIANGLE,
    CROSS_OCTAGON,
    QUESTION_RING,
    PLAY,
    HALF_CIRCLE,
    PAUSE,
    DIAMOND
  }

  private static final Font FONT = Font.font("System", FontWeight.BOLD, 11);
  private static final double ICON = 12;
  private static final double PAD = 6;

  private String kind = "Health";
  private String text = "UNKNOWN";
  private Tone tone = Tone.UNKNOWN;
  private Glyph glyph = Glyph.QUESTION_RING;

  /** A badge showing health UNKNOWN. */
  public StateBadge() {
    setAccessibleRole(AccessibleRole.TEXT);
    setMinHeight(18);
    setPrefHeight(20);
    update();
  }

  /** A badge showing {@code health}. */
  public static StateBadge of(Health health) {
    StateBadge b = new StateBadge();
    b.setHealth(health);
    return b;
  }

  /** A badge showing {@code routing}. */
  public static StateBadge of(RoutingState routing) {
    StateBadge b = new StateBadge();
    b.setRouting(routing);
    return b;
  }

  /** Shows a health state (null = UNKNOWN). */
  public void setHealth(Health health) {
    Health h = health == null ? Health.UNKNOWN : health;
    kind = "Health";
    text = h.name();
    switch (h) {
      case HEALTHY:
        set(Tone.OK, Glyph.CHECK_CIRCLE);
        break;
      case DEGRADED:
        set(Tone.WARNING, Glyph.WARNING_TRIANGLE);
        break;
      case UNHEALTHY:
        set(Tone.CRITICAL, Glyph.CROSS_OCTAGON);
        break;
      default:
        set(Tone.UNKNOWN, Glyph.QUESTION_RING);
    }
  }

  /** Shows a routing state (null = UNKNOWN). */
  public void setRouting(RoutingState routing) {
    kind = "Routing";
    if (routing == null) {
      text = "UNKNOWN";
      set(Tone.UNKNOWN, Glyph.QUESTION_RING);
      return;
    }
    text = routing.name();
    switch (routing) {
      case ACTIVE:
        set(Tone.OK, Glyph.PLAY);
        break;
      case DRAINING:
        set(Tone.INFO, Glyph.HALF_CIRCLE);
        break;
      case DRAINED:
        set(Tone.MAINTENANCE, Glyph.PAUSE);
        break;
      case MAINTENANCE:
        set(Tone.MAINTENANCE, Glyph.DIAMOND);
        break;
      default:
        throw new AssertionError(routing);
    }
  }

  private void set(Tone tone, Glyph glyph) {
    this.tone = tone;
    this.glyph = glyph;
    update();
  }

  private void update() {
    setAccessibleText(kind + ": " + text.toLowerCase(Locale.ROOT));
    setPrefWidth(Math.ceil(PAD + ICON + 5 + TimeSeriesChart.textWidth(text, FONT) + PAD));
    setMinWidth(getPrefWidth());
    invalidate();
  }

  /** The word shown ({@code DEGRADED}). */
  public String text() {
    return text;
  }

  /** The colour's meaning. */
  public Tone tone() {
    return tone;
  }

  /** The icon shape. */
  public Glyph glyph() {
    return glyph;
  }

  @Override
  protected void draw(GraphicsContext g, double w, double h, Palette palette) {
    Color c = palette.color(tone);
    double bh = Math.min(h, 20);
    double by = (h - bh) / 2;
    g.setFill(c.deriveColor(0, 1, 1, 0.16));
    g.fillRoundRect(0, by, w, bh, bh, bh);
    g.setStroke(c.deriveColor(0, 1, 1, 0.55));
    g.setLineWidth(1);
    g.strokeRoundRect(0.5, by + 0.5, w - 1, bh - 1, bh, bh);
    double cx = PAD + ICON / 2;
    double cy = h / 2;
    drawGlyph(g, glyph, cx, cy, ICON, c, palette.surface());
    g.setFont(FONT);
    g.setTextBaseline(VPos.CENTER);
    g.setTextAlign(TextAlignment.LEFT);
    g.setFill(palette.foreground());
    g.fillText(text, PAD + ICON + 5, cy + 0.5);
  }

  static void drawGlyph(
      GraphicsContext g, Glyph glyph, double cx, double cy, double size, Color c, Color cut) {
    double r = size / 2;
    g.setLineCap(StrokeLineCap.ROUND);
    switch (glyph) {
      case CHECK_CIRCLE:
        g.setFill(c);
        g.fillOval(cx - r, cy - r, size, size);
        g.setStroke(cut);
        g.setLineWidth(1.8);
        g.strokePolyline(
            new double[] {cx - r * 0.5, cx - r * 0.1, cx + r * 0.55},
            new double[] {cy, cy + r * 0.4, cy - r * 0.4},
            3);
        break;
      case WARNING_TRIANGLE:
        g.setFill(c);
        g.fillPolygon(
            new double[] {cx, cx + r * 1.1, cx - r * 1.1},
            new double[] {cy - r * 1.05, cy + r * 0.9, cy + r * 0.9},
            3);
        g.setStroke(cut);
        g.setLineWidth(1.6);
        g.strokeLine(cx, cy - r * 0.35, cx, cy + r * 0.2);
        g.setFill(cut);
        g.fillOval(cx - 0.9, cy + r * 0.45, 1.8, 1.8);
        break;
      case CROSS_OCTAGON:
        {
          double[] xs = new double[8];
          double[] ys = new double[8];
          for (int i = 0; i < 8; i++) {
            double a = Math.PI / 8 + i * Math.PI / 4;
            xs[i] = cx + r * 1.05 * Math.cos(a);
            ys[i] = cy + r * 1.05 * Math.sin(a);
          }
          g.setFill(c);
          g.fillPolygon(xs, ys, 8);
          g.setStroke(cut);
          g.setLineWidth(1.8);
          double d = r * 0.4;
          g.strokeLine(cx - d, cy - d, cx + d, cy + d);
          g.strokeLine(cx - d, cy + d, cx + d, cy - d);
          break;
        }
      case QUESTION_RING:
        g.setStroke(c);
        g.setLineWidth(1.5);
        g.strokeOval(cx - r + 0.75, cy - r + 0.75, size - 1.5, size - 1.5);
        g.setFill(c);
        g.setFont(Font.font("System", FontWeight.BOLD, size * 0.75));
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        g.fillText("?", cx, cy + 0.5);
        break;
      case PLAY:
        g.setFill(c);
        g.fillPolygon(
            new double[] {cx - r * 0.7, cx + r, cx - r * 0.7},
            new double[] {cy - r, cy, cy + r},
            3);
        break;
      case HALF_CIRCLE:
        g.setStroke(c);
        g.setLineWidth(1.5);
        g.strokeOval(cx - r + 0.75, cy - r + 0.75, size - 1.5, size - 1.5);
        g.setFill(c);
        g.fillArc(cx - r, cy - r, size, size, 90, 180, javafx.scene.shape.ArcType.ROUND);
        break;
      case PAUSE:
        g.setFill(c);
        g.fillRect(cx - r * 0.8, cy - r, r * 0.6, size);
        g.fillRect(cx + r * 0.2, cy - r, r * 0.6, size);
        break;
      case DIAMOND:
        g.setFill(c);
        g.fillPolygon(
            new double[] {cx, cx + r, cx, cx - r}, new double[] {cy - r, cy, cy + r, cy}, 4);
        g.setStroke(cut);
        g.setLineWidth(1.6);
        g.strokeLine(cx - r * 0.4, cy, cx + r * 0.4, cy);
        break;
      default:
        throw new AssertionError(glyph);
    }
  }
}

package dev.nines.console.fleet;

import dev.nines.console.theme.Palette;
import dev.nines.console.widgets.CanvasWidget;
import javafx.geometry.VPos;
import javafx.scene.AccessibleRole;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * A figure's text drawn on a fixed-size canvas, right-aligned: unlike a Label, a new text costs no
 * layout pass, only a redraw at the next pulse (a thousand hosts update their figures every second).
 */
final class ValueText extends CanvasWidget {
  private final Font font;
  private final boolean left;
  private String text = "";

  /** Right-aligned figures (12 px) of a fixed size. */
  ValueText(double width, double height) {
    this(width, height, Font.font("System", 12), false);
    setMaxSize(width, height);
  }

  /** Text in {@code font}, left- or right-aligned, clipped to the width. */
  ValueText(double width, double height, Font font, boolean left) {
    this.font = font;
    this.left = left;
    setAccessibleRole(AccessibleRole.TEXT);
    setMinSize(10, height);
    setPrefSize(width, height);
  }

  void setText(String value) {
    String v = value == null ? "" : value;
    if (!v.equals(text)) {
      text = v;
      setAccessibleText(v);
      invalidate();
    }
  }

  String text() {
    return text;
  }

  @Override
  protected void draw(GraphicsContext g, double w, double h, Palette palette) {
    g.setFont(font);
    g.setFill(palette.foreground());
    g.setTextAlign(left ? TextAlignment.LEFT : TextAlignment.RIGHT);
    g.setTextBaseline(VPos.CENTER);
    g.beginPath();
    g.rect(0, 0, w, h);
    g.clip();
    g.fillText(text, left ? 0 : w - 1, h / 2 + 0.5);
  }
}

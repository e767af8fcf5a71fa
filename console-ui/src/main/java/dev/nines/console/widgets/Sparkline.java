package dev.nines.console.widgets;

import dev.nines.console.theme.Palette;
import dev.nines.console.theme.Tone;
import javafx.scene.AccessibleRole;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.shape.StrokeLineCap;
import javafx.scene.shape.StrokeLineJoin;

/**
 * A small line of the last N samples (newest at the right), scaled to their min/max (or a fixed
 * range), with gaps where a sample is missing ({@link Double#NaN}), an optional dashed threshold line
 * and a colour by {@link Tone}. Cheap: one Canvas, drawn at most once per pulse and only after a
 * change. Preferred size 120 x 24.
 */
public final class Sparkline extends CanvasWidget {
  private final DoubleRing data;
  private double threshold = Double.NaN;
  private double fixedMin = Double.NaN;
  private double fixedMax = Double.NaN;
  private Tone tone = Tone.NEUTRAL;

  /** A sparkline of the last 60 samples. */
  public Sparkline() {
    this(60);
  }

  /** A sparkline of the last {@code capacity} samples. */
  public Sparkline(int capacity) {
    data = new DoubleRing(capacity);
    setAccessibleRole(AccessibleRole.IMAGE_VIEW);
    setPrefSize(120, 24);
    setMinSize(20, 8);
  }

  /** Appends one sample ({@code NaN} for a missing one), dropping the oldest when full. */
  public void append(double value) {
    data.append(value);
    invalidate();
  }

  /** Shows the last {@code capacity} of {@code values} (oldest first; NaN = gap). */
  public void setData(double... values) {
    data.setAll(values);
    invalidate();
  }

  /** Shows a copy of the last {@code capacity} samples of {@code ring}. */
  public void setData(DoubleRing ring) {
    data.setAll(ring.toArray());
    invalidate();
  }

  /** Removes every sample. */
  public void clear() {
    data.clear();
    invalidate();
  }

  /** The samples shown, oldest first (a copy). */
  public double[] values() {
    return data.toArray();
  }

  /** How many samples the line holds at most. */
  public int capacity() {
    return data.capacity();
  }

  /** Draws a dashed line at {@code value}; NaN removes it. */
  public void setThreshold(double value) {
    if (Double.compare(threshold, value) != 0) {
      threshold = value;
      invalidate();
    }
  }

  /** Scales to {@code [min, max]} instead of the data's own range; NaN for either end = automatic. */
  public void setScale(double min, double max) {
    if (Double.compare(fixedMin, min) != 0 || Double.compare(fixedMax, max) != 0) {
      fixedMin = min;
      fixedMax = max;
      invalidate();
    }
  }

  /** The line's colour by meaning (NEUTRAL by default). */
  public void setTone(Tone tone) {
    if (tone == null) {
      throw new IllegalArgumentException("tone must not be null");
    }
    if (this.tone != tone) {
      this.tone = tone;
      invalidate();
    }
  }

  /** The current tone. */
  public Tone tone() {
    return tone;
  }

  @Override
  protected void draw(GraphicsContext g, double w, double h, Palette palette) {
    int n = data.size();
    double min = Double.isNaN(fixedMin) ? data.min() : fixedMin;
    double max = Double.isNaN(fixedMax) ? data.max() : fixedMax;
    if (Double.isFinite(threshold) && Double.isNaN(fixedMin) && Double.isNaN(fixedMax)) {
      min = Double.isNaN(min) ? threshold : Math.min(min, threshold);
      max = Double.isNaN(max) ? threshold : Math.max(max, threshold);
    }
    double pad = 2;
    double top = pad;
    double bottom = h - pad;
    if (Double.isNaN(min) || Double.isNaN(max)) {
      // nothing to scale: a flat muted baseline says "no data"
      g.setStroke(palette.grid());
      g.setLineWidth(1);
      g.strokeLine(0, h / 2 + 0.5, w, h / 2 + 0.5);
      return;
    }
    if (max - min < 1e-12) {
      min -= 1;
      max += 1;
    }
    int slots = data.capacity();
    double dx = slots > 1 ? (w - 2 * pad) / (slots - 1) : 0;
    double x0 = w - pad - (n - 1) * dx; // newest at the right edge
    Color line = palette.color(tone);

    if (Double.isFinite(threshold)) {
      double ty = Math.round(y(threshold, min, max, top, bottom)) + 0.5;
      g.setStroke(palette.threshold());
      g.setLineWidth(1);
      g.setLineDashes(3, 3);
      g.strokeLine(0, ty, w, ty);
      g.setLineDashes((double[]) null);
    }

    // area under the line, one closed shape per run without gaps
    g.setFill(line.deriveColor(0, 1, 1, 0.18));
    int runStart = -1;
    for (int i = 0; i <= n; i++) {
      boolean present = i < n && Double.isFinite(data.get(i));
      if (present && runStart < 0) {
        runStart = i;
      } else if (!present && runStart >= 0) {
        if (i - runStart > 1) {
          g.beginPath();
          g.moveTo(x0 + runStart * dx, bottom);
          for (int j = runStart; j < i; j++) {
            g.lineTo(x0 + j * dx, y(data.get(j), min, max, top, bottom));
          }
          g.lineTo(x0 + (i - 1) * dx, bottom);
          g.closePath();
          g.fill();
        }
        runStart = -1;
      }
    }

    g.setStroke(line);
    g.setLineWidth(1.5);
    g.setLineJoin(StrokeLineJoin.ROUND);
    g.setLineCap(StrokeLineCap.ROUND);
    g.beginPath();
    boolean penDown = false;
    g.setFill(line);
    for (int i = 0; i < n; i++) {
      double v = data.get(i);
      if (!Double.isFinite(v)) {
        penDown = false;
        continue;
      }
      double x = x0 + i * dx;
      double y = y(v, min, max, top, bottom);
      if (penDown) {
        g.lineTo(x, y);
      } else {
        g.moveTo(x, y);
        boolean alone = (i + 1 >= n || !Double.isFinite(data.get(i + 1)));
        if (alone) {
          g.fillOval(x - 1.5, y - 1.5, 3, 3); // a lone sample between gaps still shows
        }
      }
      penDown = true;
    }
    g.stroke();
    double last = data.last();
    if (Double.isFinite(last)) {
      double y = y(last, min, max, top, bottom);
      g.fillOval(w - pad - 2, y - 2, 4, 4);
    }
  }

  private static double y(double v, double min, double max, double top, double bottom) {
    double clamped = Math.max(min, Math.min(max, v));
    return bottom - (clamped - min) / (max - min) * (bottom - top);
  }
}

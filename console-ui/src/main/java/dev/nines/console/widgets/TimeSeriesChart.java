package dev.nines.console.widgets;

import dev.nines.console.theme.Palette;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.VPos;
import javafx.scene.AccessibleRole;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseEvent;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

/**
 * A time chart of several series (p50/p95/p99, or one line per GPU) on one Canvas: a time axis with
 * round local-time ticks ({@link TimeTicks}, UTC by default), a value axis in a {@link Unit}, a legend,
 * gaps where a value is NaN, an optional threshold line, shaded bands (maintenance, outages) and a hover
 * readout (a cursor line, the time and every series' value) that is also published as
 * {@link #readoutProperty()}.
 */
public final class TimeSeriesChart extends CanvasWidget {
  /** What a shaded band stands for; it sets the band's colour. */
  public enum BandKind {
    MAINTENANCE,
    OUTAGE,
    DEGRADED
  }

  /** A shaded time interval with a short label. */
  public record Band(Instant from, Instant to, BandKind kind, String label) {
    public Band {
      if (from == null || to == null) {
        throw new IllegalArgumentException("from and to must not be null");
      }
      if (to.isBefore(from)) {
        throw new IllegalArgumentException("to must not be before from: " + from + " .. " + to);
      }
      if (kind == null) {
        throw new IllegalArgumentException("kind must not be null");
      }
      label = label == null ? "" : label;
    }
  }

  /** One series' value in a readout; {@code value} NaN when it has no sample there. */
  public record SeriesValue(String series, double value, String text) {}

  /** What the hover readout shows: the sample time and each series' value at it. */
  public record Readout(Instant at, List<SeriesValue> values) {
    public Readout {
      values = List.copyOf(values);
    }

    /** The value of {@code series}, NaN if absent. */
    public double valueOf(String series) {
      for (SeriesValue v : values) {
        if (v.series().equals(series)) {
          return v.value();
        }
      }
      return Double.NaN;
    }
  }

  private static final double LEFT = 58;
  private static final double RIGHT = 12;
  private static final double TOP = 26;
  private static final double BOTTOM = 22;
  private static final Font FONT = Font.font("System", 11);
  private static final Font TITLE_FONT = Font.font("System", FontWeight.BOLD, 12);
  private static final Text MEASURE = new Text();

  private final Map<String, TimeSeriesBuffer> series = new LinkedHashMap<>();
  private final ReadOnlyObjectWrapper<Readout> readout = new ReadOnlyObjectWrapper<>(this, "readout");
  private String title = "";
  private Unit unit = Unit.NONE;
  private ZoneId zone = ZoneOffset.UTC;
  private Instant from;
  private Instant to;
  private double fixedMin = Double.NaN;
  private double fixedMax = Double.NaN;
  private double threshold = Double.NaN;
  private String thresholdLabel = "";
  private List<Band> bands = List.of();
  private double hoverX = Double.NaN;

  public TimeSeriesChart() {
    setAccessibleRole(AccessibleRole.IMAGE_VIEW);
    setPrefSize(640, 240);
    setMinSize(160, 90);
    addEventHandler(MouseEvent.MOUSE_MOVED, e -> hover(e.getX()));
    addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> hover(e.getX()));
    addEventHandler(MouseEvent.MOUSE_EXITED, e -> hover(Double.NaN));
  }

  /** A title drawn at the top left ("GPU temperature"). */
  public void setTitle(String title) {
    this.title = title == null ? "" : title;
    setAccessibleText(this.title);
    invalidate();
  }

  /** The unit of every series' values (labels and ticks). */
  public void setUnit(Unit unit) {
    if (unit == null) {
      throw new IllegalArgumentException("unit must not be null");
    }
    this.unit = unit;
    invalidate();
  }

  /** The zone of the time axis and readout (UTC by default). */
  public void setZone(ZoneId zone) {
    if (zone == null) {
      throw new IllegalArgumentException("zone must not be null");
    }
    this.zone = zone;
    invalidate();
  }

  /** The visible time window; null for either end = the data's own extent. */
  public void setTimeRange(Instant from, Instant to) {
    if (from != null && to != null && !to.isAfter(from)) {
      throw new IllegalArgumentException("to must be after from: " + from + " .. " + to);
    }
    this.from = from;
    this.to = to;
    invalidate();
  }

  /** A fixed value range in raw units (0..1 for a ratio); NaN for either end = automatic. */
  public void setValueRange(double min, double max) {
    this.fixedMin = min;
    this.fixedMax = max;
    invalidate();
  }

  /** A horizontal threshold/target line at a raw value, with a label ("SLO 500 ms"). */
  public void setThreshold(double value, String label) {
    this.threshold = value;
    this.thresholdLabel = label == null ? "" : label;
    invalidate();
  }

  /** Removes the threshold line. */
  public void clearThreshold() {
    setThreshold(Double.NaN, "");
  }

  /** The shaded intervals, replacing the earlier ones. */
  public void setBands(List<Band> bands) {
    this.bands = List.copyOf(bands);
    invalidate();
  }

  /**
   * Adds (or replaces) a series shown from {@code data}. The chart keeps the buffer: after changing it
   * directly, call {@link #refresh()}; {@link #append} does both.
   */
  public void setSeries(String name, TimeSeriesBuffer data) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    if (data == null) {
      throw new IllegalArgumentException("data must not be null");
    }
    series.put(name, data);
    invalidate();
  }

  /** Appends a sample to series {@code name} (created with room for 4,096 samples if new). */
  public void append(String name, long epochMillis, double value) {
    series.computeIfAbsent(name, n -> new TimeSeriesBuffer(4096)).append(epochMillis, value);
    invalidate();
  }

  /** Removes a series. */
  public void removeSeries(String name) {
    if (series.remove(name) != null) {
      invalidate();
    }
  }

  /** Removes every series. */
  public void clearSeries() {
    series.clear();
    invalidate();
  }

  /** The series names in legend order. */
  public List<String> seriesNames() {
    return List.copyOf(series.keySet());
  }

  /** Redraws after the buffers given to {@link #setSeries} changed. */
  public void refresh() {
    invalidate();
  }

  /** The hover readout; null while the pointer is outside the plot or over no data. */
  public ReadOnlyObjectProperty<Readout> readoutProperty() {
    return readout.getReadOnlyProperty();
  }

  /** Shows the readout for a pointer at {@code x} (local coordinates); NaN hides it. */
  public void hover(double x) {
    hoverX = x;
    readout.set(Double.isNaN(x) ? null : readoutAt(x).orElse(null));
    invalidate();
  }

  /** What the readout shows for a pointer at {@code x} (local coordinates), if over data. */
  public Optional<Readout> readoutAt(double x) {
    double w = getWidth();
    long[] window = window();
    if (window == null || x < LEFT || x > w - RIGHT) {
      return Optional.empty();
    }
    long t = timeAtX(x, window, w);
    long best = Long.MIN_VALUE;
    for (TimeSeriesBuffer b : series.values()) {
      int i = b.nearestIndex(t);
      if (i >= 0 && (best == Long.MIN_VALUE || Math.abs(b.timeAt(i) - t) < Math.abs(best - t))) {
        best = b.timeAt(i);
      }
    }
    if (best == Long.MIN_VALUE || best < window[0] || best > window[1]) {
      return Optional.empty();
    }
    // a series counts at the readout time if it has a sample within ~6 px of it
    long tolerance = Math.max(1, (long) ((window[1] - window[0]) * 6 / Math.max(1, w - LEFT - RIGHT)));
    List<SeriesValue> values = new ArrayList<>();
    for (Map.Entry<String, TimeSeriesBuffer> e : series.entrySet()) {
      TimeSeriesBuffer b = e.getValue();
      int i = b.nearestIndex(best);
      double v = i >= 0 && Math.abs(b.timeAt(i) - best) <= tolerance ? b.valueAt(i) : Double.NaN;
      values.add(new SeriesValue(e.getKey(), v, unit.format(v)));
    }
    return Optional.of(new Readout(Instant.ofEpochMilli(best), values));
  }

  /** The visible window [from, to] in epoch ms, or null when there is nothing to show. */
  private long[] window() {
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (TimeSeriesBuffer b : series.values()) {
      if (b.size() > 0) {
        lo = Math.min(lo, b.timeAt(0));
        hi = Math.max(hi, b.timeAt(b.size() - 1));
      }
    }
    long start = from != null ? from.toEpochMilli() : lo;
    long end = to != null ? to.toEpochMilli() : hi;
    if (start == Long.MAX_VALUE || end == Long.MIN_VALUE) {
      return null;
    }
    if (end <= start) {
      end = start + 60_000;
    }
    return new long[] {start, end};
  }

  private static long timeAtX(double x, long[] window, double w) {
    double f = (x - LEFT) / Math.max(1, w - LEFT - RIGHT);
    return window[0] + Math.round(f * (window[1] - window[0]));
  }

  private static double xAt(long t, long[] window, double w) {
    return LEFT + (double) (t - window[0]) / (window[1] - window[0]) * (w - LEFT - RIGHT);
  }

  @Override
  protected void draw(GraphicsContext g, double w, double h, Palette palette) {
    g.setFill(palette.surface());
    g.fillRect(0, 0, w, h);
    g.setFont(FONT);
    g.setTextBaseline(VPos.CENTER);
    double plotW = w - LEFT - RIGHT;
    double plotH = h - TOP - BOTTOM;
    double legendX = LEFT;
    if (!title.isEmpty()) {
      g.setFont(TITLE_FONT);
      g.setFill(palette.foreground());
      g.setTextAlign(TextAlignment.LEFT);
      g.fillText(title, 8, 12);
      legendX = Math.max(LEFT, 8 + textWidth(title, TITLE_FONT) + 16);
      g.setFont(FONT);
    }
    drawLegend(g, palette, legendX, w);
    long[] window = window();
    if (window == null || plotW < 10 || plotH < 10) {
      g.setFill(palette.muted());
      g.setTextAlign(TextAlignment.CENTER);
      g.fillText("no data", w / 2, h / 2);
      return;
    }

    // value scale over the visible samples (and the threshold), zero included for positive data
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (TimeSeriesBuffer b : series.values()) {
      for (int i = 0; i < b.size(); i++) {
        long t = b.timeAt(i);
        double v = b.valueAt(i);
        if (t >= window[0] && t <= window[1] && Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (Double.isFinite(threshold)) {
      lo = Math.min(lo, threshold);
      hi = Math.max(hi, threshold);
    }
    if (lo == Double.POSITIVE_INFINITY) {
      lo = 0;
      hi = 1;
    }
    lo = Math.min(lo, 0);
    lo = Double.isNaN(fixedMin) ? lo : fixedMin;
    hi = Double.isNaN(fixedMax) ? hi : fixedMax;
    if (hi < lo) {
      hi = lo;
    }
    int maxValueTicks = Math.max(2, (int) (plotH / 28));
    ValueTicks.Scale scale =
        ValueTicks.scale(unit.toDisplay(lo), unit.toDisplay(hi), maxValueTicks);
    double vmin = Double.isNaN(fixedMin) ? unit.fromDisplay(scale.first()) : fixedMin;
    double vmax = Double.isNaN(fixedMax) ? unit.fromDisplay(scale.last()) : fixedMax;
    if (vmax <= vmin) {
      vmax = vmin + 1;
    }
    final double fMin = vmin;
    final double fMax = vmax;
    java.util.function.DoubleUnaryOperator yOf =
        v -> TOP + plotH - (v - fMin) / (fMax - fMin) * plotH;

    // bands under everything else
    for (Band band : bands) {
      long b0 = Math.max(window[0], band.from().toEpochMilli());
      long b1 = Math.min(window[1], band.to().toEpochMilli());
      if (b1 <= b0) {
        continue;
      }
      Color c = bandColor(band.kind(), palette);
      double x0 = xAt(b0, window, w);
      double x1 = Math.max(x0 + 1, xAt(b1, window, w));
      g.setFill(c.deriveColor(0, 1, 1, 0.16));
      g.fillRect(x0, TOP, x1 - x0, plotH);
      g.setFill(c.deriveColor(0, 1, 1, 0.7));
      g.fillRect(x0, TOP, x1 - x0, 3);
      if (!band.label().isEmpty() && x1 - x0 > textWidth(band.label(), FONT) + 6) {
        g.setFill(c);
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText(band.label(), x0 + 4, TOP + 12);
      }
    }

    // grid and value labels
    g.setLineWidth(1);
    g.setTextAlign(TextAlignment.RIGHT);
    for (double shown : scale.values()) {
      double raw = unit.fromDisplay(shown);
      if (raw < fMin - 1e-9 * Math.abs(fMax - fMin) || raw > fMax + 1e-9 * Math.abs(fMax - fMin)) {
        continue;
      }
      double y = Math.round(yOf.applyAsDouble(raw)) + 0.5;
      g.setStroke(palette.grid());
      g.strokeLine(LEFT, y, w - RIGHT, y);
      g.setFill(palette.muted());
      g.fillText(unit.format(raw, scale.decimals()), LEFT - 6, y);
    }
    // time ticks
    int maxTimeTicks = Math.max(2, (int) (plotW / 80));
    g.setTextAlign(TextAlignment.CENTER);
    for (TimeTicks.Tick tick :
        TimeTicks.compute(
            Instant.ofEpochMilli(window[0]), Instant.ofEpochMilli(window[1]), zone, maxTimeTicks)) {
      double x = Math.round(xAt(tick.at().toEpochMilli(), window, w)) + 0.5;
      g.setStroke(palette.grid());
      g.strokeLine(x, TOP, x, TOP + plotH + 4);
      g.setFill(palette.muted());
      g.fillText(tick.label(), x, TOP + plotH + 13);
    }
    g.setStroke(palette.muted());
    g.strokeLine(LEFT + 0.5, TOP, LEFT + 0.5, TOP + plotH);
    g.strokeLine(LEFT, TOP + plotH + 0.5, w - RIGHT, TOP + plotH + 0.5);

    // series, clipped to the plot
    g.save();
    g.beginPath();
    g.rect(LEFT, TOP, plotW, plotH);
    g.clip();
    int index = 0;
    for (TimeSeriesBuffer b : series.values()) {
      Color c = palette.seriesColor(index++);
      g.setStroke(c);
      g.setFill(c);
      g.setLineWidth(1.6);
      g.beginPath();
      boolean penDown = false;
      int first = Math.max(0, b.nearestIndex(window[0]) - 1);
      for (int i = first; i < b.size(); i++) {
        long t = b.timeAt(i);
        double v = b.valueAt(i);
        if (!Double.isFinite(v)) {
          penDown = false;
          continue;
        }
        double x = xAt(t, window, w);
        double y = yOf.applyAsDouble(v);
        if (penDown) {
          g.lineTo(x, y);
        } else {
          g.moveTo(x, y);
          if (i + 1 >= b.size() || !Double.isFinite(b.valueAt(i + 1))) {
            g.fillOval(x - 1.5, y - 1.5, 3, 3);
          }
        }
        penDown = true;
        if (t > window[1]) {
          break;
        }
      }
      g.stroke();
    }
    g.restore();

    if (Double.isFinite(threshold)) {
      double y = Math.round(yOf.applyAsDouble(Math.max(fMin, Math.min(fMax, threshold)))) + 0.5;
      g.setStroke(palette.threshold());
      g.setLineWidth(1.2);
      g.setLineDashes(6, 4);
      g.strokeLine(LEFT, y, w - RIGHT, y);
      g.setLineDashes((double[]) null);
      String label = thresholdLabel.isEmpty() ? unit.format(threshold) : thresholdLabel;
      g.setFill(palette.threshold());
      g.setTextAlign(TextAlignment.RIGHT);
      g.fillText(label, w - RIGHT - 4, y - 8);
    }

    drawReadout(g, palette, w, window, yOf);
  }

  private void drawLegend(GraphicsContext g, Palette palette, double x, double w) {
    g.setTextAlign(TextAlignment.LEFT);
    int index = 0;
    Readout r = readout.get();
    for (Map.Entry<String, TimeSeriesBuffer> e : series.entrySet()) {
      String text = e.getKey();
      if (r != null) {
        text += " " + unit.format(r.valueOf(e.getKey()));
      }
      double tw = textWidth(text, FONT);
      if (x + 14 + tw > w - RIGHT) {
        break;
      }
      g.setFill(palette.seriesColor(index++));
      g.fillRect(x, 8, 10, 8);
      g.setFill(palette.foreground());
      g.fillText(text, x + 14, 12);
      x += 14 + tw + 14;
    }
  }

  private void drawReadout(
      GraphicsContext g,
      Palette palette,
      double w,
      long[] window,
      java.util.function.DoubleUnaryOperator yOf) {
    Readout r = readout.get();
    if (r == null || Double.isNaN(hoverX)) {
      return;
    }
    double plotH = getHeight() - TOP - BOTTOM;
    double x = Math.round(xAt(r.at().toEpochMilli(), window, w)) + 0.5;
    g.setStroke(palette.foreground().deriveColor(0, 1, 1, 0.6));
    g.setLineWidth(1);
    g.strokeLine(x, TOP, x, TOP + plotH);
    List<String> lines = new ArrayList<>();
    lines.add(TimeTicks.formatFull(r.at(), zone));
    int index = 0;
    for (SeriesValue v : r.values()) {
      Color c = palette.seriesColor(index++);
      if (Double.isFinite(v.value())) {
        double y = yOf.applyAsDouble(v.value());
        g.setFill(c);
        g.fillOval(x - 3.5, y - 3.5, 7, 7);
      }
      lines.add(v.series() + ": " + v.text());
    }
    double boxW = 0;
    for (String line : lines) {
      boxW = Math.max(boxW, textWidth(line, FONT));
    }
    boxW += 16;
    double boxH = lines.size() * 15 + 8;
    double bx = x + 10 + boxW > w - RIGHT ? x - 10 - boxW : x + 10;
    double by = TOP + 6;
    g.setFill(palette.background().deriveColor(0, 1, 1, 0.92));
    g.fillRoundRect(bx, by, boxW, boxH, 6, 6);
    g.setStroke(palette.grid());
    g.strokeRoundRect(bx + 0.5, by + 0.5, boxW - 1, boxH - 1, 6, 6);
    g.setTextAlign(TextAlignment.LEFT);
    for (int i = 0; i < lines.size(); i++) {
      g.setFill(i == 0 ? palette.muted() : palette.seriesColor(i - 1));
      g.fillText(lines.get(i), bx + 8, by + 11 + i * 15);
    }
  }

  private static Color bandColor(BandKind kind, Palette palette) {
    switch (kind) {
      case MAINTENANCE:
        return palette.maintenance();
      case OUTAGE:
        return palette.critical();
      case DEGRADED:
        return palette.warning();
      default:
        throw new AssertionError(kind);
    }
  }

  static double textWidth(String text, Font font) {
    MEASURE.setFont(font);
    MEASURE.setText(text);
    return MEASURE.getLayoutBounds().getWidth();
  }
}

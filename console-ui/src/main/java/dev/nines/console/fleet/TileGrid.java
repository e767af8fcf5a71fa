package dev.nines.console.fleet;

import dev.nines.console.theme.Palette;
import dev.nines.console.theme.Tone;
import dev.nines.console.widgets.CanvasWidget;
import dev.nines.console.widgets.Health;
import dev.nines.console.widgets.Sparkline;
import dev.nines.console.widgets.StateBadge;
import java.util.List;
import javafx.collections.ObservableList;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

/**
 * The fleet as tiles, every visible tile drawn on ONE canvas at most once per pulse: a host's new
 * figures cost no layout pass and no node, only the next redraw of the visible tiles (virtualised:
 * 1,000 hosts, about 30 drawn). Each tile: id, pool, health and routing badges, CPU, GPU temperature
 * and latency p95 with their sparklines. The widgets ({@link StateBadge}, {@link Sparkline}) are
 * used as stamps ({@link CanvasWidget#paintOnto}), as in {@link FleetTable}, so tiles look like the table.
 * Click selects a tile, double-click or Enter opens the host, Escape clears the selection.
 */
final class TileGrid extends FleetCanvas {
  static final double WIDTH = 250;
  static final double HEIGHT = 118;
  static final double GAP = 10;
  private static final Metric[] SHOWN = {Metric.CPU, Metric.GPU_TEMP, Metric.LATENCY_P95};
  private static final Font ID_FONT = Font.font("System", FontWeight.BOLD, 13);
  private static final Font FONT = Font.font("System", 13);

  // stamps: configured per tile, drawn onto the surface
  private final StateBadge healthStamp = new StateBadge();
  private final StateBadge routingStamp = new StateBadge();
  private final Sparkline[] lineStamps = new Sparkline[SHOWN.length];
  private int perLine = 1;

  TileGrid(FleetViewModel vm, ObservableList<FleetRow> rows) {
    super(vm, rows, "nines-tiles");
    setAccessibleText("Hosts as tiles: click selects, double-click or Enter opens the host");
    for (int i = 0; i < SHOWN.length; i++) {
      lineStamps[i] = new Sparkline(History.CAPACITY);
      FleetView.scale(lineStamps[i], SHOWN[i]);
    }
    setOnScroll(e -> vbar.setValue(clamp(vbar, vbar.getValue() - e.getDeltaY())));
  }

  /** How many tiles a line holds at the current width. */
  int perLine() {
    return perLine;
  }

  /** The host whose tile is at ({@code x}, {@code y}) in this region, or null. */
  @Override
  public FleetRow rowAt(double x, double y) {
    double cx = x - GAP;
    double cy = y + vbar.getValue() - GAP;
    if (cx < 0 || cy < 0) {
      return null;
    }
    int col = (int) (cx / (WIDTH + GAP));
    int line = (int) (cy / (HEIGHT + GAP));
    if (col >= perLine || cx - col * (WIDTH + GAP) > WIDTH || cy - line * (HEIGHT + GAP) > HEIGHT) {
      return null;
    }
    int index = line * perLine + col;
    return index < rows.size() ? rows.get(index) : null;
  }

  @Override
  protected void layoutChildren() {
    double w = getWidth();
    double h = getHeight();
    double bar = vbar.prefWidth(-1);
    perLine = Math.max(1, (int) ((w - bar - GAP) / (WIDTH + GAP)));
    int lines = (rows.size() + perLine - 1) / perLine;
    double content = GAP + lines * (HEIGHT + GAP);
    double max = Math.max(0, content - h);
    vbar.setMax(max);
    vbar.setVisibleAmount(max == 0 ? 1 : h * max / content);
    vbar.setUnitIncrement(HEIGHT / 4);
    vbar.setBlockIncrement(h);
    vbar.setValue(clamp(vbar, vbar.getValue()));
    vbar.setVisible(max > 0);
    vbar.resizeRelocate(w - bar, 0, bar, h);
    placeSurface(0, 0, w - bar, h);
  }

  @Override
  protected void draw(GraphicsContext g, double w, double h, Palette palette) {
    double top = vbar.getValue();
    int first = Math.max(0, (int) ((top - GAP) / (HEIGHT + GAP)));
    int last = (int) ((top + h) / (HEIGHT + GAP));
    List<FleetRow> all = rows;
    for (int line = first; line <= last; line++) {
      for (int col = 0; col < perLine; col++) {
        int index = line * perLine + col;
        if (index >= all.size()) {
          return;
        }
        double x = GAP + col * (WIDTH + GAP);
        double y = GAP + line * (HEIGHT + GAP) - top;
        tile(g, all.get(index), x, y, palette);
      }
    }
  }

  private void tile(GraphicsContext g, FleetRow row, double x, double y, Palette palette) {
    boolean isSelected = row == selectedProperty().get();
    g.setFill(palette.surface());
    g.fillRoundRect(x, y, WIDTH, HEIGHT, 12, 12);
    g.setStroke(isSelected ? palette.info() : row == hovered() ? palette.muted() : palette.grid());
    g.setLineWidth(isSelected || row == hovered() ? 2 : 1);
    g.strokeRoundRect(x + 0.5, y + 0.5, WIDTH - 1, HEIGHT - 1, 12, 12);
    g.setTextBaseline(VPos.CENTER);
    g.setTextAlign(TextAlignment.LEFT);
    g.setFont(ID_FONT);
    g.setFill(palette.foreground());
    g.fillText(row.id(), x + 8, y + 15);
    g.setFont(FONT);
    g.setFill(palette.muted());
    g.setTextAlign(TextAlignment.RIGHT);
    g.fillText(row.pool(), x + WIDTH - 8, y + 15);
    healthStamp.setHealth(Health.parse(row.health()));
    double hw = healthStamp.getPrefWidth();
    healthStamp.paintOnto(g, x + 8, y + 26, hw, 20, palette);
    routingStamp.setRouting(FleetView.routingOf(row.routing()));
    routingStamp.paintOnto(g, x + 14 + hw, y + 26, routingStamp.getPrefWidth(), 20, palette);
    g.setTextAlign(TextAlignment.LEFT);
    g.setFont(FONT);
    for (int i = 0; i < SHOWN.length; i++) {
      Sample s = row.metric(SHOWN[i]);
      double ly = y + 60 + i * 19;
      g.setFill(palette.foreground());
      g.fillText(SHOWN[i].title() + " " + FleetView.format(SHOWN[i], s.value()), x + 8, ly);
      Sparkline line = lineStamps[i];
      line.setData(s.history());
      Tone t = FleetView.toneOf(SHOWN[i], s.value());
      line.setTone(t == Tone.UNKNOWN ? Tone.NEUTRAL : t);
      line.paintOnto(g, x + 142, ly - 7, 98, 14, palette);
      g.setFont(FONT);
      g.setTextBaseline(VPos.CENTER);
      g.setTextAlign(TextAlignment.LEFT);
    }
  }
}

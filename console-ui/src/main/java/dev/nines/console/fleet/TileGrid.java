package dev.nines.console.fleet;

import dev.nines.console.theme.Palette;
import dev.nines.console.theme.Tone;
import dev.nines.console.widgets.CanvasWidget;
import dev.nines.console.widgets.Health;
import dev.nines.console.widgets.Sparkline;
import dev.nines.console.widgets.StateBadge;
import java.util.List;
import javafx.beans.InvalidationListener;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ObservableList;
import javafx.geometry.Orientation;
import javafx.geometry.VPos;
import javafx.scene.AccessibleRole;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.ScrollBar;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.Region;
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
final class TileGrid extends Region {
  static final double WIDTH = 250;
  static final double HEIGHT = 118;
  static final double GAP = 10;
  private static final Metric[] SHOWN = {Metric.CPU, Metric.GPU_TEMP, Metric.LATENCY_P95};
  private static final Font ID_FONT = Font.font("System", FontWeight.BOLD, 13);
  private static final Font FONT = Font.font("System", 13);

  private final FleetViewModel vm;
  private final ObservableList<FleetRow> rows;
  private final Surface surface = new Surface();
  private final ScrollBar scroll = new ScrollBar();
  private final ReadOnlyObjectWrapper<FleetRow> selected = new ReadOnlyObjectWrapper<>(this, "selected");
  // stamps: configured per tile, drawn onto the surface
  private final StateBadge healthStamp = new StateBadge();
  private final StateBadge routingStamp = new StateBadge();
  private final Sparkline[] lineStamps = new Sparkline[SHOWN.length];
  private int perLine = 1;
  private FleetRow hovered;

  TileGrid(FleetViewModel vm, ObservableList<FleetRow> rows) {
    this.vm = vm;
    this.rows = rows;
    getStyleClass().add("nines-tiles");
    setAccessibleRole(AccessibleRole.LIST_VIEW);
    setAccessibleText("Hosts as tiles: click selects, double-click or Enter opens the host");
    setFocusTraversable(true);
    for (int i = 0; i < SHOWN.length; i++) {
      lineStamps[i] = new Sparkline(History.CAPACITY);
      FleetView.scale(lineStamps[i], SHOWN[i]);
    }
    scroll.setOrientation(Orientation.VERTICAL);
    getChildren().addAll(surface, scroll);
    InvalidationListener redraw = o -> surface.changed();
    rows.addListener((InvalidationListener) o -> {
      if (selected.get() != null && !rows.contains(selected.get())) {
        selected.set(null);
      }
      requestLayout(); // the number of lines may have changed
      surface.changed();
    });
    vm.revisionProperty().addListener(redraw); // figures moved on (in place)
    scroll.valueProperty().addListener(redraw);
    selected.addListener(redraw);
    setOnScroll(e -> scroll.setValue(clamp(scroll.getValue() - e.getDeltaY())));
    // the tile under the pointer is outlined: the operator sees which host holds still
    setOnMouseMoved(e -> hover(rowAt(e.getX(), e.getY())));
    setOnMouseExited(e -> hover(null));
    setOnMouseClicked(e -> {
      if (e.getButton() != MouseButton.PRIMARY) {
        return;
      }
      requestFocus();
      FleetRow r = rowAt(e.getX(), e.getY());
      if (e.getClickCount() == 2 && r != null) {
        vm.open(r);
      } else {
        selected.set(r);
      }
    });
    setOnKeyPressed(e -> {
      if (e.getCode() == KeyCode.ESCAPE && selected.get() != null) {
        selected.set(null);
        e.consume();
      } else if (e.getCode() == KeyCode.ENTER && selected.get() != null) {
        vm.open(selected.get());
        e.consume();
      }
    });
  }

  private void hover(FleetRow r) {
    if (r != hovered) {
      hovered = r;
      surface.changed();
    }
  }

  /** The selected host's row, or null. */
  ReadOnlyObjectProperty<FleetRow> selectedProperty() {
    return selected.getReadOnlyProperty();
  }

  void select(FleetRow row) {
    selected.set(row);
  }

  /** How many tiles a line holds at the current width. */
  int perLine() {
    return perLine;
  }

  /** How often the tiles were drawn (a cost figure for tests and benchmarks). */
  long drawCount() {
    return surface.drawCount();
  }

  /** The host whose tile is at ({@code x}, {@code y}) in this region, or null. */
  FleetRow rowAt(double x, double y) {
    double cx = x - GAP;
    double cy = y + scroll.getValue() - GAP;
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
    double bar = scroll.prefWidth(-1);
    perLine = Math.max(1, (int) ((w - bar - GAP) / (WIDTH + GAP)));
    int lines = (rows.size() + perLine - 1) / perLine;
    double content = GAP + lines * (HEIGHT + GAP);
    double max = Math.max(0, content - h);
    scroll.setMax(max);
    scroll.setVisibleAmount(max == 0 ? 1 : h * max / content);
    scroll.setUnitIncrement(HEIGHT / 4);
    scroll.setBlockIncrement(h);
    scroll.setValue(clamp(scroll.getValue()));
    scroll.setVisible(max > 0);
    surface.resizeRelocate(0, 0, w - bar, h);
    scroll.resizeRelocate(w - bar, 0, bar, h);
    surface.changed();
  }

  private double clamp(double v) {
    return Math.max(0, Math.min(scroll.getMax(), v));
  }

  /** The canvas every visible tile is drawn on. */
  private final class Surface extends CanvasWidget {
    void changed() {
      invalidate();
    }

    @Override
    protected void draw(GraphicsContext g, double w, double h, Palette palette) {
      double top = scroll.getValue();
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
      boolean isSelected = row == selected.get();
      g.setFill(palette.surface());
      g.fillRoundRect(x, y, WIDTH, HEIGHT, 12, 12);
      g.setStroke(isSelected ? palette.info() : row == hovered ? palette.muted() : palette.grid());
      g.setLineWidth(isSelected || row == hovered ? 2 : 1);
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
}

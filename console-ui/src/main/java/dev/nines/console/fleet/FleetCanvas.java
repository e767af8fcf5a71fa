package dev.nines.console.fleet;

import dev.nines.console.theme.Palette;
import dev.nines.console.widgets.CanvasWidget;
import javafx.beans.InvalidationListener;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ObservableList;
import javafx.geometry.Orientation;
import javafx.scene.AccessibleRole;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.ScrollBar;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;

/**
 * What the fleet's two layouts ({@link FleetTable}, {@link TileGrid}) share: the shown hosts drawn on
 * ONE canvas at most once per pulse (after new figures, a new order, a scroll, a selection or the
 * pointer moving to another host), a vertical scroll bar, one selected host (dropped when it is
 * filtered out), the host under the pointer, and the keys and clicks every layout answers: a click
 * selects, a double-click or Enter opens the host, Escape clears the selection. A layout draws and
 * says which host is where.
 */
abstract class FleetCanvas extends Region {
  protected final FleetViewModel vm;
  protected final ObservableList<FleetRow> rows;
  protected final ScrollBar vbar = new ScrollBar();
  private final ReadOnlyObjectWrapper<FleetRow> selected = new ReadOnlyObjectWrapper<>(this, "selected");
  private final Surface surface = new Surface();
  private FleetRow hovered;

  FleetCanvas(FleetViewModel vm, ObservableList<FleetRow> rows, String styleClass) {
    this.vm = vm;
    this.rows = rows;
    getStyleClass().add(styleClass);
    setAccessibleRole(AccessibleRole.LIST_VIEW);
    setFocusTraversable(true);
    vbar.setOrientation(Orientation.VERTICAL);
    getChildren().addAll(surface, vbar);
    InvalidationListener redraw = o -> redraw();
    rows.addListener((InvalidationListener) o -> {
      if (selected.get() != null && !rows.contains(selected.get())) {
        selected.set(null);
      }
      requestLayout(); // the scroll range may have changed
      redraw();
    });
    vm.revisionProperty().addListener(redraw); // figures moved on (in place)
    vbar.valueProperty().addListener(redraw);
    focusedProperty().addListener(redraw);
    selected.addListener(redraw);
    // the host under the pointer is marked: the operator sees which one holds still
    addEventHandler(MouseEvent.MOUSE_MOVED, e -> hover(rowAt(e.getX(), e.getY())));
    addEventHandler(MouseEvent.MOUSE_EXITED, e -> hover(null));
    addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
      if (e.getButton() != MouseButton.PRIMARY) {
        return;
      }
      requestFocus();
      if (clickedBesideTheHosts(e)) {
        return;
      }
      FleetRow r = rowAt(e.getX(), e.getY());
      if (e.getClickCount() == 2 && r != null) {
        vm.open(r);
      } else {
        selected.set(r);
      }
    });
    addEventHandler(KeyEvent.KEY_PRESSED, e -> {
      if (e.getCode() == KeyCode.ESCAPE && selected.get() != null) {
        selected.set(null);
        e.consume();
      } else if (e.getCode() == KeyCode.ENTER && selected.get() != null) {
        vm.open(selected.get());
        e.consume();
      }
    });
  }

  /**
   * A layout's own answer to a primary click that is not on the hosts (a table's header): true when
   * it took the click, which then neither selects nor clears the selection.
   */
  protected boolean clickedBesideTheHosts(MouseEvent e) {
    return false;
  }

  /** The host drawn at ({@code x}, {@code y}) in this region, or null. */
  public abstract FleetRow rowAt(double x, double y);

  /** Draws the visible hosts on the cleared canvas of {@code w} x {@code h}. */
  protected abstract void draw(GraphicsContext g, double w, double h, Palette palette);

  /** The selected host's row, or null. */
  public ReadOnlyObjectProperty<FleetRow> selectedProperty() {
    return selected.getReadOnlyProperty();
  }

  /** Selects {@code row} (null: nothing). */
  void select(FleetRow row) {
    selected.set(row);
  }

  public void clearSelection() {
    selected.set(null);
  }

  /** The rows as shown (filtered and sorted). */
  public ObservableList<FleetRow> items() {
    return rows;
  }

  /** How often the hosts were drawn (a cost figure for tests and benchmarks). */
  public long drawCount() {
    return surface.drawCount();
  }

  /** The host under the pointer (drawn outlined or shaded), or null. */
  protected final FleetRow hovered() {
    return hovered;
  }

  protected final void hover(FleetRow r) {
    if (r != hovered) {
      hovered = r;
      redraw();
    }
  }

  /** Draws again at the next pulse (once, however often it is called). */
  protected final void redraw() {
    surface.changed();
  }

  /** The canvas's size as laid out. */
  protected final double surfaceWidth() {
    return surface.getWidth();
  }

  protected final double surfaceHeight() {
    return surface.getHeight();
  }

  /** Lays the canvas out at ({@code x}, {@code y}) in {@code w} x {@code h} and draws it again. */
  protected final void placeSurface(double x, double y, double w, double h) {
    surface.resizeRelocate(x, y, w, h);
    redraw();
  }

  /** {@code v} within the bar's range. */
  protected static double clamp(ScrollBar bar, double v) {
    return Math.max(0, Math.min(bar.getMax(), v));
  }

  /** The one canvas; what it shows is the layout's {@link #draw}. */
  private final class Surface extends CanvasWidget {
    void changed() {
      invalidate();
    }

    @Override
    protected void draw(GraphicsContext g, double w, double h, Palette palette) {
      FleetCanvas.this.draw(g, w, h, palette);
    }
  }
}

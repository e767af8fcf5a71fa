package dev.nines.console.widgets;

import dev.nines.console.theme.Palette;
import dev.nines.console.theme.Themes;
import javafx.collections.MapChangeListener;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;

/**
 * The base of every widget here: one {@link Canvas} that fills the region, drawn again only when the
 * data, the size or the scene's theme changed, and at most once per pulse (changes are coalesced).
 * All methods of the widgets run on the FX application thread, as for any node.
 */
public abstract class CanvasWidget extends Region {
  private final Canvas canvas = new Canvas();
  private boolean dirty = true;
  private long draws;
  private final MapChangeListener<Object, Object> themeListener =
      change -> {
        if (change.getKey() == Themes.KEY) {
          invalidate();
        }
      };

  protected CanvasWidget() {
    getStyleClass().add("nines-widget");
    canvas.setManaged(false);
    getChildren().add(canvas);
    sceneProperty()
        .addListener(
            (obs, old, now) -> {
              if (old != null) {
                old.getProperties().removeListener(themeListener);
              }
              if (now != null) {
                now.getProperties().addListener(themeListener);
                dirty = false; // schedule even if a change came while outside a scene
                invalidate();
              }
            });
  }

  /** Marks the widget for a redraw at the next pulse (once, however often it is called). */
  protected final void invalidate() {
    if (dirty) {
      return;
    }
    dirty = true;
    if (getScene() != null) {
      RedrawScheduler.schedule(this);
    }
  }

  @Override
  protected void layoutChildren() {
    double w = snapSizeX(getWidth());
    double h = snapSizeY(getHeight());
    if (canvas.getWidth() != w || canvas.getHeight() != h) {
      canvas.setWidth(w);
      canvas.setHeight(h);
      dirty = true;
    }
    redrawIfDirty();
  }

  /** Draws now if something changed since the last drawing; true if it drew. */
  final boolean redrawIfDirty() {
    if (!dirty || getScene() == null) {
      return false;
    }
    dirty = false;
    GraphicsContext g = canvas.getGraphicsContext2D();
    double w = canvas.getWidth();
    double h = canvas.getHeight();
    g.clearRect(0, 0, w, h);
    if (w > 0 && h > 0) {
      g.save();
      draw(g, w, h, Themes.paletteOf(this));
      g.restore();
    }
    draws++;
    return true;
  }

  /**
   * Draws this widget's picture onto another canvas, in {@code width} x {@code height} at
   * ({@code x}, {@code y}): one canvas may then show many items (a grid of tiles) with a widget used
   * as a stamp, not as a node. The widget need not be in a scene.
   */
  public final void paintOnto(GraphicsContext g, double x, double y, double width, double height, Palette palette) {
    g.save();
    g.translate(x, y);
    draw(g, width, height, palette);
    g.restore();
  }

  /** True while a change waits for the next pulse. */
  public final boolean isDirty() {
    return dirty;
  }

  /** How often this widget drew itself (a cost figure for tests and benchmarks). */
  public final long drawCount() {
    return draws;
  }

  /** Draws the whole widget on a cleared canvas of {@code width} x {@code height}. */
  protected abstract void draw(GraphicsContext g, double width, double height, Palette palette);
}

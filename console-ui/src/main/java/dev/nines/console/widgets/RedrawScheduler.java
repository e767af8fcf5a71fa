package dev.nines.console.widgets;

import java.util.ArrayList;
import java.util.List;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;

/**
 * Coalesces widget redraws to the next pulse: however many times a widget's data changes between two
 * pulses, it draws once. The timer runs only while something waits to be drawn, so an idle console
 * asks for no pulses. FX application thread only.
 */
final class RedrawScheduler {
  private static final List<CanvasWidget> PENDING = new ArrayList<>();
  private static final List<CanvasWidget> DRAWING = new ArrayList<>();
  private static long redraws;
  private static boolean running;

  private static final AnimationTimer TIMER =
      new AnimationTimer() {
        @Override
        public void handle(long now) {
          flush();
        }
      };

  private RedrawScheduler() {}

  static void schedule(CanvasWidget widget) {
    if (!Platform.isFxApplicationThread()) {
      throw new IllegalStateException(
          "widgets change on the FX application thread only (Platform.runLater)");
    }
    PENDING.add(widget);
    if (!running) {
      running = true;
      TIMER.start();
    }
  }

  /** Draws every widget waiting to be drawn (the timer's pulse work; tests may call it). */
  static void flush() {
    DRAWING.addAll(PENDING);
    PENDING.clear();
    for (CanvasWidget widget : DRAWING) {
      if (widget.redrawIfDirty()) {
        redraws++;
      }
    }
    DRAWING.clear();
    if (PENDING.isEmpty()) {
      TIMER.stop();
      running = false;
    }
  }

  /** How many scheduled redraws ran so far (tests: a change draws once per pulse). */
  static long redraws() {
    return redraws;
  }
}

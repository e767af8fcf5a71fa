package dev.nines.console.app;

import dev.nines.console.client.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When a live list screen reads its list again: on every event of the types it names, folded into at
 * most one read a second ({@link Coalescer}), and only while the screen is shown; a hidden screen
 * that missed events reads once when it is shown again. The screen's view-model owns one and calls
 * {@link #reading()} at the start of each read.
 */
public final class LiveRefresh implements AutoCloseable {
  private final Coalescer live;
  private final List<Runnable> subscriptions = new ArrayList<>();
  private final Runnable refresh;
  private volatile boolean shown;
  private volatile boolean stale = true;

  /**
   * @param refresh the view-model's read (it calls {@link #reading()} first)
   * @param eventTypes the event types that change the list (none without an event stream)
   */
  public LiveRefresh(ConsoleContext ctx, Scheduler scheduler, Runnable refresh, List<String> eventTypes) {
    this.refresh = refresh;
    this.live = new Coalescer(Duration.ofSeconds(1), ctx.clock(), scheduler, refresh);
    if (ctx.events() != null) {
      for (String type : eventTypes) {
        subscriptions.add(ctx.events().onEvent(type, e -> changed()));
      }
    }
  }

  /** The screen is shown (read now if anything changed meanwhile) or hidden (no reads). */
  public void setShown(boolean visible) {
    shown = visible;
    if (visible && stale) {
      refresh.run();
    }
  }

  /** A read starts: what it reads is current. */
  public void reading() {
    stale = false;
  }

  private void changed() {
    stale = true;
    if (shown) {
      live.request();
    }
  }

  /** How many reads the events caused (tests: the coalescing). */
  public int runs() {
    return live.runs();
  }

  /** Stops listening; later events change nothing. */
  @Override
  public void close() {
    live.close();
    subscriptions.forEach(Runnable::run);
    subscriptions.clear();
  }
}

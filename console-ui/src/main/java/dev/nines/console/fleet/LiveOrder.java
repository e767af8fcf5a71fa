package dev.nines.console.fleet;

import dev.nines.console.app.UiExecutor;
import dev.nines.console.client.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.IntSupplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * When a live-sorted list may change its order, so that rows do not move under the operator: while
 * the pointer is over the list or a row is selected the order is <em>paused</em> (figures still update
 * in place) and {@link #hintProperty()} says how many rows would move; it re-sorts when the pointer
 * leaves and nothing is selected, on {@link #resortNow()} (a click on the hint), and otherwise at most
 * once every {@link #MIN_GAP}. The view re-sorts whenever {@link #orderProperty()} changes.
 *
 * <p>No toolkit: UI-thread calls only ({@code changed}, {@code set*}, {@code resortNow}); the deferred
 * re-sort is scheduled on the injected {@link Scheduler} and hops back through the {@link UiExecutor}.
 * A test moves the clock and runs the scheduler by hand.
 */
public final class LiveOrder implements AutoCloseable {
  /** The least time between two re-sorts that nobody asked for. */
  public static final Duration MIN_GAP = Duration.ofSeconds(2);
  /** What {@link #measureWith} answers when it cannot tell how many rows would move. */
  public static final int UNKNOWN = -1;

  private final Clock clock;
  private final Scheduler scheduler;
  private final UiExecutor ui;
  private final ReadOnlyLongWrapper order = new ReadOnlyLongWrapper(this, "order");
  private final ReadOnlyBooleanWrapper paused = new ReadOnlyBooleanWrapper(this, "paused");
  private final ReadOnlyIntegerWrapper waiting = new ReadOnlyIntegerWrapper(this, "waiting");
  private final ReadOnlyStringWrapper hint = new ReadOnlyStringWrapper(this, "hint", "");
  private IntSupplier measure = () -> UNKNOWN;
  private boolean pointerInside;
  private boolean selected;
  private boolean pending;
  private boolean closed;
  private Instant lastSort;
  private Scheduler.Cancellable deferred;

  public LiveOrder(Clock clock, Scheduler scheduler, UiExecutor ui) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.ui = Objects.requireNonNull(ui, "ui");
  }

  /** Changes each time the list should be sorted again. */
  public ReadOnlyLongProperty orderProperty() {
    return order.getReadOnlyProperty();
  }

  /** The pointer is over the list or a row is selected: the order holds still. */
  public ReadOnlyBooleanProperty pausedProperty() {
    return paused.getReadOnlyProperty();
  }

  /** How many rows a re-sort would move while paused (0: none, {@link #UNKNOWN}: some). */
  public ReadOnlyIntegerProperty waitingProperty() {
    return waiting.getReadOnlyProperty();
  }

  /** {@code Order paused – 3 changes (click to re-sort)} while paused with changes waiting, else empty. */
  public ReadOnlyStringProperty hintProperty() {
    return hint.getReadOnlyProperty();
  }

  /** How the view counts the rows a re-sort would move now (asked only while paused). */
  public void measureWith(IntSupplier rowsOutOfPlace) {
    this.measure = Objects.requireNonNull(rowsOutOfPlace, "rowsOutOfPlace");
  }

  /** New figures arrived that may change the order. */
  public void changed() {
    if (closed) {
      return;
    }
    pending = true;
    if (held()) {
      count();
      return;
    }
    Instant now = clock.instant();
    if (lastSort == null || !now.isBefore(lastSort.plus(MIN_GAP))) {
      sort();
    } else if (deferred == null) {
      deferred = scheduler.schedule(() -> ui.run(this::deferredDue), Duration.between(now, lastSort.plus(MIN_GAP)));
    }
  }

  /** The pointer entered ({@code true}) or left the list. */
  public void setPointerInside(boolean inside) {
    pointerInside = inside;
    holdChanged();
  }

  /** A row is selected ({@code true}) or the selection is empty. */
  public void setSelected(boolean any) {
    selected = any;
    holdChanged();
  }

  /** Sorts now, paused or not (a click on the hint). */
  public void resortNow() {
    if (!closed) {
      sort();
    }
  }

  /** Whether changes wait for a re-sort. */
  public boolean pending() {
    return pending;
  }

  @Override
  public void close() {
    closed = true;
    cancelDeferred();
  }

  private boolean held() {
    return pointerInside || selected;
  }

  private void holdChanged() {
    boolean h = held();
    paused.set(h);
    if (closed) {
      return;
    }
    if (h) {
      if (pending) {
        count();
      }
    } else if (pending) {
      sort(); // released: catch up at once
    }
  }

  private void deferredDue() {
    deferred = null;
    if (closed || !pending) {
      return;
    }
    if (held()) {
      count();
    } else {
      sort();
    }
  }

  private void count() {
    int n = measure.getAsInt();
    if (n == 0) {
      pending = false;
      waiting.set(0);
      hint.set("");
      return;
    }
    waiting.set(n);
    hint.set(n == UNKNOWN
        ? "Order paused \u2013 new figures (click to re-sort)"
        : "Order paused \u2013 " + n + (n == 1 ? " change" : " changes") + " (click to re-sort)");
  }

  private void sort() {
    cancelDeferred();
    pending = false;
    lastSort = clock.instant();
    waiting.set(0);
    hint.set("");
    order.set(order.get() + 1);
  }

  private void cancelDeferred() {
    if (deferred != null) {
      deferred.cancel();
      deferred = null;
    }
  }
}

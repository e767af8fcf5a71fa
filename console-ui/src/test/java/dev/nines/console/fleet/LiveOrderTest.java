package dev.nines.console.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.console.app.ManualTime;
import dev.nines.console.app.UiExecutor;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The live order without the toolkit: the clock and the scheduler move by hand. */
class LiveOrderTest {
  final ManualTime time = new ManualTime();
  final LiveOrder order = new LiveOrder(time, time, UiExecutor.direct());
  final AtomicInteger outOfPlace = new AtomicInteger(3);

  LiveOrderTest() {
    order.measureWith(outOfPlace::get);
  }

  long sorts() {
    return order.orderProperty().get();
  }

  @Test
  void withNobodyOnTheListItSortsAtOnceThenAtMostEveryTwoSeconds() {
    order.changed();
    assertThat(sorts()).isEqualTo(1);
    time.advance(Duration.ofMillis(500));
    order.changed();
    order.changed();
    assertThat(sorts()).isEqualTo(1);
    assertThat(order.pending()).isTrue();
    assertThat(order.hintProperty().get()).isEmpty(); // a short wait, not a pause: no hint
    time.advance(Duration.ofMillis(1499));
    assertThat(sorts()).isEqualTo(1);
    time.advance(Duration.ofMillis(1));
    assertThat(sorts()).isEqualTo(2);
    assertThat(order.pending()).isFalse();
    time.advance(Duration.ofSeconds(5));
    order.changed();
    assertThat(sorts()).isEqualTo(3);
  }

  @Test
  void thePointerOverTheListPausesTheOrderAndCountsTheRowsThatWouldMove() {
    order.setPointerInside(true);
    assertThat(order.pausedProperty().get()).isTrue();
    assertThat(order.hintProperty().get()).isEmpty(); // nothing waits yet
    order.changed();
    time.advance(Duration.ofSeconds(10));
    order.changed();
    assertThat(sorts()).isZero();
    assertThat(order.waitingProperty().get()).isEqualTo(3);
    assertThat(order.hintProperty().get()).isEqualTo("Order paused \u2013 3 changes (click to re-sort)");
    outOfPlace.set(1);
    order.changed();
    assertThat(order.hintProperty().get()).startsWith("Order paused \u2013 1 change ");
    // the pointer leaves: the order catches up at once, even within two seconds of the last sort
    order.setPointerInside(false);
    assertThat(sorts()).isEqualTo(1);
    assertThat(order.pausedProperty().get()).isFalse();
    assertThat(order.hintProperty().get()).isEmpty();
    assertThat(order.waitingProperty().get()).isZero();
  }

  @Test
  void aSelectedRowPausesTooUntilTheSelectionClears() {
    order.setSelected(true);
    order.changed();
    order.setPointerInside(true);
    order.setPointerInside(false); // still selected: still paused
    assertThat(sorts()).isZero();
    assertThat(order.hintProperty().get()).contains("3 changes");
    order.setSelected(false);
    assertThat(sorts()).isEqualTo(1);
  }

  @Test
  void aClickOnTheHintSortsWhilePaused() {
    order.setPointerInside(true);
    order.changed();
    order.resortNow();
    assertThat(sorts()).isEqualTo(1);
    assertThat(order.hintProperty().get()).isEmpty();
    assertThat(order.pausedProperty().get()).isTrue();
    order.setPointerInside(false); // nothing waits: no second sort
    assertThat(sorts()).isEqualTo(1);
  }

  @Test
  void changesThatMoveNoRowShowNoHintAndNeedNoSort() {
    outOfPlace.set(0);
    order.setPointerInside(true);
    order.changed();
    assertThat(order.hintProperty().get()).isEmpty();
    assertThat(order.pending()).isFalse();
    order.setPointerInside(false);
    assertThat(sorts()).isZero();
  }

  @Test
  void aDeferredSortThatFallsDueWhilePausedWaitsForTheRelease() {
    order.changed(); // sorted at once
    time.advance(Duration.ofMillis(300));
    order.changed(); // deferred to 2 s after the first
    order.setPointerInside(true);
    time.advance(Duration.ofSeconds(3));
    assertThat(sorts()).isEqualTo(1);
    assertThat(order.hintProperty().get()).contains("3 changes");
    order.setPointerInside(false);
    assertThat(sorts()).isEqualTo(2);
    assertThat(time.waiting()).isZero();
  }

  @Test
  void closedItNeitherSortsNorSchedules() {
    order.changed();
    time.advance(Duration.ofMillis(100));
    order.changed();
    order.close();
    time.advance(Duration.ofSeconds(5));
    order.changed();
    assertThat(sorts()).isEqualTo(1);
  }
}

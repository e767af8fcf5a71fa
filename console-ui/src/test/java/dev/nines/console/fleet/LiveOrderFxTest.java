package dev.nines.console.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nines.console.client.Host;
import dev.nines.console.fx.Fx;
import dev.nines.console.fx.FxExtension;
import dev.nines.console.fx.Snapshots;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;

/**
 * The fleet table sorted live by GPU temperature, with the real pointer (TestFX robot on the headless
 * Monocle screen): the row under the pointer stays while updates would reorder it; moving away
 * re-sorts. A selected row pauses it too, and the hint re-sorts on a click.
 */
@ExtendWith(FxExtension.class)
class LiveOrderFxTest {
  static final int HOSTS = 12;
  final FxRobot robot = new FxRobot();
  ShownFleet shown;
  FleetViewModel vm;
  FleetView view;
  List<String> opened;
  long seq;

  static String id(int i) {
    return String.format(Locale.ROOT, "gpu-node-%02d", i);
  }

  /** Host {@code i} at {@code temp} °C, report number {@code seq}. */
  static Host host(int i, double temp, long seq) {
    return new Host(
        id(i), "llama-70b", Map.of(), 0, seq * 1000, seq, seq * 1000, 500,
        new Host.Routing("ACTIVE", null, 0, null),
        new Host.Health("HEALTHY", 0L, null, List.of()),
        new Host.Summary(0.5, 0.5, 4.0,
            new Host.GpuSummary(true, null, 8, temp, 0.6, 60_000_000_000L, 141_000_000_000L, 0L),
            List.of(new Host.EndpointSummary("http://x", "vllm", true, true, 40.0, 100.0, 150.0, 400L, 1L))),
        null, null, List.of());
  }

  /** Every host once; host {@code i} at {@code 40 + i} °C unless {@code temps} says otherwise. */
  void push(Map<Integer, Double> temps) {
    shown.accept(round(temps));
  }

  List<Host> round(Map<Integer, Double> temps) {
    seq++;
    List<Host> hosts = new ArrayList<>();
    for (int i = 0; i < HOSTS; i++) {
      hosts.add(host(i, temps.getOrDefault(i, 40.0 + i), seq));
    }
    return hosts;
  }

  @BeforeEach
  void show() {
    shown = new ShownFleet(1280, 800, round(Map.of()));
    vm = shown.vm;
    view = shown.view;
    opened = shown.opened.hosts;
    Fx.run(() -> view.table().sortBy(Metric.GPU_TEMP.name(), true));
    await().atMost(10, TimeUnit.SECONDS).until(() -> Fx.call(() -> view.shownRows().size()) == HOSTS);
    Fx.waitForPulses(3);
    assertThat(shownIds().get(0)).isEqualTo(id(HOSTS - 1)); // hottest first
  }

  @AfterEach
  void close() {
    robot.moveTo(0, 0);
    shown.close();
  }

  List<String> shownIds() {
    return shown.shownIds();
  }

  @Test
  void theRowUnderThePointerStaysWhileUpdatesWouldReorderAndMovingAwayReSorts() {
    // the pointer on the third row: gpu-node-09
    javafx.geometry.Point2D third = shown.rowOnScreen(2);
    String under = shown.hostAt(third);
    assertThat(under).isEqualTo(id(HOSTS - 3));
    robot.moveTo(third);
    await().atMost(5, TimeUnit.SECONDS).until(() -> Fx.call(() -> view.table().isHover()));
    assertThat(Fx.call(() -> vm.liveOrder().pausedProperty().get())).isTrue();

    // it becomes the coolest host, and the coolest the hottest: a sort would move both (and others)
    push(Map.of(HOSTS - 3, 20.0, 0, 99.0));
    FleetRow row = Fx.call(() -> vm.row(under));
    await().atMost(5, TimeUnit.SECONDS).until(() -> Fx.call(() -> row.metric(Metric.GPU_TEMP).value()) == 20.0);
    Fx.waitForPulses(3);
    // figures changed in place, the order did not: the same host under the pointer, on the same row
    assertThat(shownIds().get(2)).isEqualTo(under);
    assertThat(shown.hostAt(third)).isEqualTo(under);
    assertThat(Fx.call(() -> view.orderHint().isVisible())).isTrue();
    assertThat(Fx.call(() -> view.orderHint().getText())).matches("Order paused \u2013 \\d+ changes \\(click to re-sort\\)");
    Snapshots.write(Fx.call(() -> view.getScene()), Path.of("fleet-order-paused.png"));

    // the pointer leaves the table (onto the filter field): the order catches up at once
    robot.moveTo(Fx.call(() -> view.filterField()));
    await().atMost(5, TimeUnit.SECONDS).until(() -> shownIds().get(0).equals(id(0)));
    assertThat(shownIds().get(HOSTS - 1)).isEqualTo(under);
    assertThat(Fx.call(() -> view.orderHint().isVisible())).isFalse();
  }

  @Test
  void theTilesKeepTheHostUnderThePointerTooAndADoubleClickOpensIt() {
    Fx.run(() -> view.setTiles(true));
    Fx.waitForPulses(3);
    TileGrid tiles = Fx.call(() -> view.tiles());
    // the second tile of the first line: gpu-node-10
    javafx.geometry.Point2D at = Fx.call(() -> tiles.localToScreen(
        TileGrid.GAP * 2 + TileGrid.WIDTH + TileGrid.WIDTH / 2, TileGrid.GAP + TileGrid.HEIGHT / 2));
    javafx.geometry.Point2D local = Fx.call(() -> tiles.screenToLocal(at));
    String under = Fx.call(() -> tiles.rowAt(local.getX(), local.getY()).id());
    assertThat(under).isEqualTo(id(HOSTS - 2));
    robot.moveTo(at);
    await().atMost(5, TimeUnit.SECONDS).until(() -> Fx.call(tiles::isHover));
    long draws = Fx.call(tiles::drawCount);
    push(Map.of(HOSTS - 2, 20.0));
    await().atMost(5, TimeUnit.SECONDS).until(() -> Fx.call(() -> view.orderHint().isVisible()));
    await().atMost(5, TimeUnit.SECONDS).until(() -> Fx.call(tiles::drawCount) > draws); // new figures drawn
    assertThat(Fx.call(() -> tiles.rowAt(local.getX(), local.getY()).id())).isEqualTo(under);
    Snapshots.write(Fx.call(() -> view.getScene()), Path.of("fleet-tiles-order-paused.png"));
    robot.doubleClickOn(javafx.scene.input.MouseButton.PRIMARY);
    await().atMost(5, TimeUnit.SECONDS).until(() -> opened.contains(under));
    // a click selected it: the order still waits; Escape clears the selection, the pointer leaves
    assertThat(Fx.call(() -> tiles.selectedProperty().get().id())).isEqualTo(under);
    Fx.run(() -> tiles.fireEvent(new javafx.scene.input.KeyEvent(javafx.scene.input.KeyEvent.KEY_PRESSED, "", "",
        javafx.scene.input.KeyCode.ESCAPE, false, false, false, false)));
    assertThat(Fx.call(() -> tiles.selectedProperty().get())).isNull();
    robot.moveTo(Fx.call(() -> view.filterField()));
    await().atMost(5, TimeUnit.SECONDS).until(() -> shownIds().get(HOSTS - 1).equals(under));
    assertThat(Fx.call(() -> tiles.rowAt(local.getX(), local.getY()).id())).isNotEqualTo(under);
  }

  @Test
  void aSelectedRowPausesTheOrderAndTheHintReSortsOnAClick() {
    Fx.run(() -> view.table().select(0));
    push(Map.of(HOSTS - 1, 20.0));
    await().atMost(5, TimeUnit.SECONDS).until(() -> Fx.call(() -> view.orderHint().isVisible()));
    assertThat(shownIds().get(0)).isEqualTo(id(HOSTS - 1));
    Fx.run(() -> view.orderHint().fire());
    assertThat(shownIds().get(HOSTS - 1)).isEqualTo(id(HOSTS - 1));
    assertThat(Fx.call(() -> view.orderHint().isVisible())).isFalse();
    // still selected: the next change waits again; clearing the selection (Escape) catches up
    push(Map.of(HOSTS - 1, 120.0));
    await().atMost(5, TimeUnit.SECONDS).until(() -> Fx.call(() -> view.orderHint().isVisible()));
    assertThat(shownIds().get(HOSTS - 1)).isEqualTo(id(HOSTS - 1));
    Fx.run(() -> view.table().clearSelection());
    assertThat(shownIds().get(0)).isEqualTo(id(HOSTS - 1));
  }
}

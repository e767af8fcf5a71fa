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
import javafx.geometry.Point2D;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.input.ScrollEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;

/**
 * The fleet table (one canvas) driven by the real pointer and keyboard (TestFX robot on the headless
 * Monocle screen): header clicks sort (ascending, descending, none; Shift adds a key), a drag on a
 * header edge resizes a column, the keys move the selection and scroll, double-click and Enter open
 * the host, Escape clears, a narrow window scrolls sideways, hovering a state explains it.
 */
@ExtendWith(FxExtension.class)
class FleetTableFxTest {
  final FxRobot robot = new FxRobot();
  ShownFleet shown;
  List<String> opened;
  FleetViewModel vm;
  FleetView view;
  FleetTable table;

  static String id(int i) {
    return String.format(Locale.ROOT, "gpu-node-%02d", i);
  }

  /** Host {@code i}: pool a or b by parity, GPU at 40 + i °C, host 3 UNHEALTHY with a reason. */
  static Host host(int i) {
    boolean sick = i == 3;
    return new Host(
        id(i), i % 2 == 0 ? "pool-a" : "pool-b", Map.of(), 0, 1000, 1, 1000, 500,
        new Host.Routing(i == 5 ? "DRAINED" : "ACTIVE", i == 5 ? "drained by alice: kernel update" : null, 0, null),
        new Host.Health(sick ? "UNHEALTHY" : "HEALTHY", 0L, sick ? "GPU 0 fell off the bus (XID 79)" : null,
            List.of()),
        new Host.Summary(0.1 * (i % 10), 0.5, 4.0,
            new Host.GpuSummary(true, null, 8, 40.0 + i, 0.6, 60_000_000_000L, 141_000_000_000L, 0L),
            List.of(new Host.EndpointSummary("http://x", "vllm", true, true, 40.0, 100.0 + i, 150.0, 400L, 1L))),
        null, null, List.of());
  }

  void show(int count, double width, double height) {
    List<Host> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      all.add(host(i));
    }
    shown = new ShownFleet(width, height, all);
    opened = shown.opened.hosts;
    vm = shown.vm;
    view = shown.view;
    table = Fx.call(view::table);
    await().atMost(10, TimeUnit.SECONDS).until(() -> Fx.call(() -> view.shownRows().size()) == count);
    Fx.waitForPulses(3);
  }

  @AfterEach
  void close() {
    robot.moveTo(0, 0);
    if (shown != null) {
      shown.close();
    }
  }

  List<String> shownIds() {
    return shown.shownIds();
  }

  Point2D onScreen(Point2D local) {
    return Fx.call(() -> table.localToScreen(local));
  }

  void clickHeader(String column) {
    robot.moveTo(onScreen(Fx.call(() -> table.headerCentre(column))));
    robot.clickOn(MouseButton.PRIMARY);
    Fx.waitForPulses(2);
  }

  @Test
  void headerClicksSortAscendingThenDescendingThenNotAndShiftAddsAKey() {
    show(12, 1280, 800);
    List<String> fleetOrder = shownIds();
    clickHeader(Metric.GPU_TEMP.name());
    assertThat(Fx.call(() -> List.copyOf(table.sortOrder())))
        .containsExactly(new FleetTable.SortKey("GPU_TEMP", false));
    assertThat(shownIds().get(0)).isEqualTo(id(0)); // coolest first
    clickHeader(Metric.GPU_TEMP.name());
    assertThat(shownIds().get(0)).isEqualTo(id(11)); // hottest first
    Snapshots.write(Fx.call(() -> view.getScene()), Path.of("fleet-table-sorted.png"));
    clickHeader(Metric.GPU_TEMP.name());
    assertThat(Fx.call(() -> table.sortOrder().isEmpty())).isTrue();
    assertThat(shownIds()).isEqualTo(fleetOrder);

    // pool, then (Shift) health: within each pool the sick host first
    clickHeader("POOL");
    robot.press(KeyCode.SHIFT);
    try {
      clickHeader("HEALTH");
    } finally {
      robot.release(KeyCode.SHIFT);
    }
    assertThat(Fx.call(() -> List.copyOf(table.sortOrder())))
        .containsExactly(new FleetTable.SortKey("POOL", false), new FleetTable.SortKey("HEALTH", false));
    List<String> ids = shownIds();
    assertThat(ids.subList(0, 6)).allMatch(h -> Integer.parseInt(h.substring(9)) % 2 == 0);
    assertThat(ids.get(6)).isEqualTo(id(3)); // pool-b's first: the unhealthy one
    // Shift+click on a key turns it, twice removes it
    robot.press(KeyCode.SHIFT);
    try {
      clickHeader("HEALTH");
      assertThat(Fx.call(() -> table.sortOrder().get(1).descending())).isTrue();
      clickHeader("HEALTH");
    } finally {
      robot.release(KeyCode.SHIFT);
    }
    assertThat(Fx.call(() -> List.copyOf(table.sortOrder()))).containsExactly(new FleetTable.SortKey("POOL", false));
  }

  @Test
  void everyColumnSortsByWhatItShowsBothWays() {
    show(12, 1280, 800);
    Map<String, java.util.function.Function<FleetRow, Comparable<?>>> shown = new java.util.LinkedHashMap<>();
    shown.put("HOST", FleetRow::id);
    shown.put("HEALTH", r -> FleetView.healthRank(r.health())); // worst first
    shown.put("ROUTING", FleetRow::routing);
    shown.put("POOL", FleetRow::pool);
    for (Metric m : Metric.values()) {
      shown.put(m.name(), r -> r.metric(m).value());
    }
    assertThat(Fx.call(table::columnIds)).containsExactlyElementsOf(shown.keySet());
    for (Map.Entry<String, java.util.function.Function<FleetRow, Comparable<?>>> e : shown.entrySet()) {
      for (boolean descending : new boolean[] {false, true}) {
        Fx.run(() -> table.sortBy(e.getKey(), descending));
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Comparable> keys = Fx.call(() -> view.shownRows().stream().map(r -> (Comparable) e.getValue().apply(r))
            .toList());
        @SuppressWarnings({"unchecked", "rawtypes"})
        java.util.Comparator<Comparable> order = descending
            ? java.util.Comparator.<Comparable>naturalOrder().reversed() : java.util.Comparator.naturalOrder();
        assertThat(keys).as("%s %s", e.getKey(), descending ? "descending" : "ascending").isSortedAccordingTo(order);
        assertThat(Fx.call(() -> table.getAccessibleText()))
            .contains("sorted by " + Fx.call(() -> table.headerTitle(e.getKey())));
      }
    }
    // the figures differ between hosts, so each figure column really moved rows
    Fx.run(() -> table.sortBy(Metric.CPU.name(), true));
    assertThat(shownIds().get(0)).isEqualTo(id(9));
    Fx.run(() -> table.sortBy(Metric.LATENCY_P95.name(), false));
    assertThat(shownIds().get(0)).isEqualTo(id(0));
  }

  @Test
  void aDragOnAHeaderEdgeResizesTheColumnAndADoubleClickThereResetsIt() {
    show(12, 1280, 800);
    double before = Fx.call(() -> table.widthOf("POOL"));
    Point2D edge = onScreen(Fx.call(() -> table.edgeOf("POOL")));
    robot.drag(edge, MouseButton.PRIMARY).moveBy(60, 0).drop();
    Fx.waitForPulses(2);
    assertThat(Fx.call(() -> table.widthOf("POOL"))).isBetween(before + 55, before + 65);
    assertThat(Fx.call(() -> table.sortOrder().isEmpty())).as("a resize is not a sort").isTrue();
    // it cannot go below the column's minimum
    Fx.run(() -> table.resize("POOL", 5));
    Fx.waitForPulses(2);
    assertThat(Fx.call(() -> table.widthOf("POOL"))).isEqualTo(70.0);
    robot.doubleClickOn(onScreen(Fx.call(() -> table.edgeOf("POOL"))), MouseButton.PRIMARY);
    Fx.waitForPulses(2);
    assertThat(Fx.call(() -> table.widthOf("POOL"))).isEqualTo(before);
  }

  @Test
  void aDragOnAHeaderMovesTheColumnWithItsWidthAndIsNotASort() {
    show(12, 1280, 800);
    Fx.run(() -> table.resize("POOL", 150));
    Fx.waitForPulses(2);
    Point2D pool = onScreen(Fx.call(() -> table.headerCentre("POOL")));
    Point2D hostLeftHalf = onScreen(Fx.call(() -> table.headerCentre("HOST").subtract(30, 0)));
    robot.drag(pool, MouseButton.PRIMARY).moveTo(hostLeftHalf);
    Fx.waitForPulses(2);
    Snapshots.write(Fx.call(() -> view.getScene()), Path.of("fleet-table-moving-column.png"));
    robot.drop();
    Fx.waitForPulses(2);
    assertThat(Fx.call(table::columnIds).subList(0, 4)).containsExactly("POOL", "HOST", "HEALTH", "ROUTING");
    assertThat(Fx.call(() -> table.widthOf("POOL"))).isEqualTo(150.0);
    assertThat(Fx.call(() -> table.sortOrder().isEmpty())).as("a move is not a sort").isTrue();
    // what the pool column shows moved with it: the header at the left says Pool and sorts by pool
    clickHeader("POOL");
    assertThat(Fx.call(() -> List.copyOf(table.sortOrder()))).containsExactly(new FleetTable.SortKey("POOL", false));
    // dropped on the right half of the last column: it goes last
    Point2D health = onScreen(Fx.call(() -> table.headerCentre("HEALTH")));
    Point2D lastRightHalf = onScreen(Fx.call(() -> table.headerCentre(Metric.ERROR_RATIO.name()).add(30, 0)));
    robot.drag(health, MouseButton.PRIMARY).moveTo(lastRightHalf).drop();
    Fx.waitForPulses(2);
    List<String> ids = Fx.call(table::columnIds);
    assertThat(ids.get(ids.size() - 1)).isEqualTo("HEALTH");
    assertThat(ids).hasSize(10).doesNotHaveDuplicates();
    // the rows draw each column where its header is: the host under the health column's middle is a row
    assertThat(Fx.call(() -> table.rowAt(table.headerCentre("HEALTH").getX(), table.centreOf(0).getY()))).isNotNull();
  }

  @Test
  void keysMoveTheSelectionAndScrollEnterOpensEscapeClearsADoubleClickOpens() {
    show(60, 1280, 400);
    robot.clickOn(onScreen(Fx.call(() -> table.centreOf(0))), MouseButton.PRIMARY);
    assertThat(Fx.call(() -> table.selectedProperty().get().id())).isEqualTo(id(0));
    assertThat(Fx.call(() -> table.isFocused())).isTrue();
    robot.type(KeyCode.DOWN, KeyCode.DOWN);
    assertThat(Fx.call(() -> table.selectedProperty().get().id())).isEqualTo(id(2));
    assertThat(Fx.call(() -> table.getAccessibleText())).contains("Selected: " + id(2));
    robot.type(KeyCode.END);
    assertThat(Fx.call(() -> table.selectedProperty().get().id())).isEqualTo(id(59));
    assertThat(Fx.call(() -> table.verticalBar().getValue())).isEqualTo(Fx.call(() -> table.verticalBar().getMax()));
    assertThat(Fx.call(() -> table.verticalBar().isVisible())).isTrue();
    Fx.waitForPulses(2);
    Snapshots.write(Fx.call(() -> view.getScene()), Path.of("fleet-table-end.png"));
    robot.type(KeyCode.PAGE_UP);
    int afterPageUp = Fx.call(() -> table.items().indexOf(table.selectedProperty().get()));
    assertThat(afterPageUp).isBetween(45, 55);
    robot.type(KeyCode.HOME);
    assertThat(Fx.call(() -> table.verticalBar().getValue())).isZero();
    assertThat(Fx.call(() -> table.isFocused())).as("arrow keys do not move the focus away").isTrue();
    robot.type(KeyCode.ENTER);
    assertThat(opened).containsExactly(id(0));
    robot.type(KeyCode.ESCAPE);
    assertThat(Fx.call(() -> table.selectedProperty().get())).isNull();
    // the wheel scrolls (Monocle's robot has no wheel: the event a wheel notch down sends); a
    // double-click opens the host under the pointer
    Point2D pointer = onScreen(Fx.call(() -> table.centreOf(1)));
    robot.moveTo(pointer);
    Fx.run(() -> {
      Point2D local = table.screenToLocal(pointer);
      table.fireEvent(new ScrollEvent(ScrollEvent.SCROLL, local.getX(), local.getY(), pointer.getX(),
          pointer.getY(), false, false, false, false, false, false, 0, -3 * 40.0, 0, -3 * 40.0,
          ScrollEvent.HorizontalTextScrollUnits.NONE, 0, ScrollEvent.VerticalTextScrollUnits.NONE, 0, 0, null));
    });
    await().atMost(5, TimeUnit.SECONDS).until(() -> Fx.call(() -> table.verticalBar().getValue()) > 0);
    String under = Fx.call(() -> {
      Point2D local = table.screenToLocal(pointer);
      return table.rowAt(local.getX(), local.getY()).id();
    });
    assertThat(under).isNotEqualTo(id(1));
    robot.doubleClickOn(MouseButton.PRIMARY);
    await().atMost(5, TimeUnit.SECONDS).until(() -> opened.contains(under));
  }

  @Test
  void aNarrowWindowScrollsSidewaysAndHoveringAStateSaysWhy() {
    show(12, 900, 500);
    assertThat(Fx.call(() -> table.horizontalBar().isVisible())).isTrue();
    assertThat(Fx.call(() -> table.widthOf(Metric.CPU.name()))).isEqualTo(100.0); // down to the minimum
    // Right scrolls sideways by keyboard too
    robot.clickOn(onScreen(Fx.call(() -> table.centreOf(0))), MouseButton.PRIMARY);
    robot.type(KeyCode.RIGHT);
    assertThat(Fx.call(() -> table.horizontalBar().getValue())).isEqualTo(40.0);
    robot.type(KeyCode.ESCAPE);
    Fx.run(() -> table.horizontalBar().setValue(table.horizontalBar().getMax()));
    Fx.waitForPulses(2);
    Snapshots.write(Fx.call(() -> view.getScene()), Path.of("fleet-table-narrow.png"));
    // the last column now ends at the right edge of the table's canvas
    double errorsRight = Fx.call(() -> table.edgeOf(Metric.ERROR_RATIO.name()).getX());
    double canvas = Fx.call(() -> table.getWidth() - table.verticalBar().getWidth()
        * (table.verticalBar().isVisible() ? 1 : 0));
    assertThat(errorsRight).isBetween(canvas - 3, canvas + 1);
    Fx.run(() -> table.horizontalBar().setValue(0));
    Fx.waitForPulses(2);

    // host 3 is unhealthy: hovering its health says why; host 5's routing says who drained it
    int three = Fx.call(() -> table.items().indexOf(vm.row(id(3))));
    Point2D health = Fx.call(() -> new Point2D(table.headerCentre("HEALTH").getX(), table.centreOf(three).getY()));
    robot.moveTo(onScreen(health));
    await().atMost(5, TimeUnit.SECONDS).until(() -> table.tooltipText() != null);
    assertThat(Fx.call(table::tooltipText)).isEqualTo(id(3) + ": UNHEALTHY \u2013 GPU 0 fell off the bus (XID 79)");
    int five = Fx.call(() -> table.items().indexOf(vm.row(id(5))));
    Point2D routing = Fx.call(() -> new Point2D(table.headerCentre("ROUTING").getX(), table.centreOf(five).getY()));
    robot.moveTo(onScreen(routing));
    await().atMost(5, TimeUnit.SECONDS).until(() -> Fx.call(table::tooltipText) != null
        && Fx.call(table::tooltipText).startsWith(id(5)));
    assertThat(Fx.call(table::tooltipText)).isEqualTo(id(5) + ": DRAINED \u2013 drained by alice: kernel update");
    // over a figure: no tooltip
    robot.moveTo(onScreen(Fx.call(() -> new Point2D(table.headerCentre("POOL").getX(), table.centreOf(five).getY()))));
    await().atMost(5, TimeUnit.SECONDS).until(() -> Fx.call(table::tooltipText) == null);
  }

  @Test
  void anEmptyFleetSaysSo() {
    show(0, 1280, 400);
    assertThat(Fx.call(() -> table.rowAt(100, 100))).isNull();
    long draws = Fx.call(table::drawCount);
    assertThat(draws).isPositive();
    Snapshots.write(Fx.call(() -> view.getScene()), Path.of("fleet-table-empty.png"));
  }
}

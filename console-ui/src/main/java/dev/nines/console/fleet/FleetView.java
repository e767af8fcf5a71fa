package dev.nines.console.fleet;

import dev.nines.console.theme.Tone;
import dev.nines.console.widgets.Health;
import dev.nines.console.widgets.Sparkline;
import dev.nines.console.widgets.Unit;
import dev.nines.protocol.RoutingState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javafx.beans.InvalidationListener;
import javafx.beans.binding.Bindings;
import javafx.collections.ObservableList;
import javafx.collections.transformation.SortedList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.util.StringConverter;

/**
 * The fleet screen's nodes: a filter bar (pool, state, text), a table ({@link FleetTable}: every
 * column sortable) or tiles ({@link TileGrid}), both drawn on one canvas and virtualised, bound to a
 * {@link FleetViewModel}. Double-click or Enter opens the host.
 */
public final class FleetView extends BorderPane {
  private static final String ALL = "";

  private final FleetViewModel vm;
  private final FleetTable table;
  private final SortedList<FleetRow> sorted;
  private final TileGrid tiles;
  private final TextField filter = new TextField();
  private final ComboBox<String> pool = new ComboBox<>();
  private final ComboBox<String> state = new ComboBox<>();
  private final ToggleButton tableButton = new ToggleButton("Table");
  private final ToggleButton tilesButton = new ToggleButton("Tiles");
  private final Hyperlink orderHint = new Hyperlink();

  public FleetView(FleetViewModel vm) {
    this.vm = vm;
    getStyleClass().add("nines-fleet");
    sorted = new SortedList<>(vm.visibleRows());
    tiles = new TileGrid(vm, sorted);
    table = new FleetTable(vm, sorted);
    // the sorted list sorts when the table's sort changes and when the live order says so (not under
    // the pointer or a selection, at most every 2 s otherwise); the table only says by what
    sorted.comparatorProperty().bind(
        Bindings.createObjectBinding(
            () -> {
              Comparator<FleetRow> c = table.comparatorProperty().get();
              return c == null ? null : (a, b) -> c.compare(a, b);
            },
            table.comparatorProperty(), vm.liveOrder().orderProperty()));
    setTop(filterBar());
    StackPane center = new StackPane(table, tiles);
    tiles.visibleProperty().bind(tilesButton.selectedProperty());
    table.visibleProperty().bind(tilesButton.selectedProperty().not());
    setCenter(center);
    holdOrder();
  }

  /**
   * Rows do not move under the operator: the pointer over the table or tiles, or a selected row,
   * pauses the live order ({@link LiveOrder}); the hint in the filter bar counts the rows that would
   * move and re-sorts on a click; Escape clears the selection.
   */
  private void holdOrder() {
    LiveOrder order = vm.liveOrder();
    order.measureWith(this::rowsOutOfPlace);
    InvalidationListener pointer = o -> order.setPointerInside(table.isHover() || tiles.isHover());
    table.hoverProperty().addListener(pointer);
    tiles.hoverProperty().addListener(pointer);
    InvalidationListener selection = o -> order.setSelected(
        tilesButton.isSelected()
            ? tiles.selectedProperty().get() != null
            : table.selectedProperty().get() != null);
    table.selectedProperty().addListener(selection);
    tiles.selectedProperty().addListener(selection);
    tilesButton.selectedProperty().addListener(selection);
  }

  /** How many shown rows a re-sort would move now (0 without a sort). */
  int rowsOutOfPlace() {
    Comparator<FleetRow> c = table.comparatorProperty().get();
    if (c == null) {
      return 0;
    }
    List<FleetRow> now = new ArrayList<>(sorted);
    List<FleetRow> next = new ArrayList<>(now);
    next.sort(c); // stable: equal rows keep their places
    int moved = 0;
    for (int i = 0; i < now.size(); i++) {
      if (now.get(i) != next.get(i)) {
        moved++;
      }
    }
    return moved;
  }

  /** The "order paused" hint (tests click it). */
  public Hyperlink orderHint() {
    return orderHint;
  }

  /** The table (tests sort and read it). */
  public FleetTable table() {
    return table;
  }

  /** The tiles (tests and the benchmark read them). */
  TileGrid tiles() {
    return tiles;
  }

  /** The rows as shown: filtered and sorted. */
  public ObservableList<FleetRow> shownRows() {
    return sorted;
  }

  /** The free-text filter field. */
  public TextField filterField() {
    return filter;
  }

  /** Shows tiles ({@code true}) or the table. */
  public void setTiles(boolean on) {
    (on ? tilesButton : tableButton).setSelected(true);
  }

  /** Moves the focus to the filter field. */
  public void focusFilter() {
    filter.requestFocus();
    filter.selectAll();
  }

  private Node filterBar() {
    pool.getItems().add(ALL);
    vm.pools().addListener((InvalidationListener) o -> syncPools());
    syncPools();
    pool.setConverter(choice("All pools"));
    pool.valueProperty().bindBidirectional(vm.poolFilterProperty());
    pool.setAccessibleText("Pool filter");
    state.getItems().add(ALL);
    state.getItems().addAll(FleetViewModel.STATES);
    state.setConverter(choice("Any state"));
    state.valueProperty().bindBidirectional(vm.stateFilterProperty());
    state.setAccessibleText("State filter");
    filter.setPromptText("Filter: host, pool or state (Shortcut+F)");
    filter.textProperty().bindBidirectional(vm.textFilterProperty());
    filter.setPrefColumnCount(22);
    ToggleGroup layout = new ToggleGroup();
    tableButton.setToggleGroup(layout);
    tilesButton.setToggleGroup(layout);
    tableButton.setSelected(true);
    layout.selectedToggleProperty().addListener((o, was, now) -> {
      if (now == null) {
        was.setSelected(true); // one is always selected
      }
    });
    Label count = new Label();
    count.textProperty().bind(
        Bindings.createStringBinding(
            () -> sorted.size() + " of " + vm.hostCountProperty().get() + " hosts",
            sorted, vm.hostCountProperty()));
    Label error = new Label();
    error.getStyleClass().add("danger");
    error.textProperty().bind(vm.errorProperty());
    error.visibleProperty().bind(vm.errorProperty().isNotEmpty());
    error.managedProperty().bind(error.visibleProperty());
    Region grow = new Region();
    HBox.setHgrow(grow, Priority.ALWAYS);
    orderHint.setId("order-hint");
    orderHint.textProperty().bind(vm.liveOrder().hintProperty());
    orderHint.visibleProperty().bind(vm.liveOrder().hintProperty().isNotEmpty());
    orderHint.managedProperty().bind(orderHint.visibleProperty());
    orderHint.setTooltip(new javafx.scene.control.Tooltip(
        "The order holds still while the pointer is over the list or a row is selected (Escape clears it);"
            + " figures still update. Click to re-sort now."));
    orderHint.setOnAction(e -> {
      vm.liveOrder().resortNow();
      orderHint.setVisited(false);
    });
    orderHint.setFocusTraversable(false);
    HBox bar = new HBox(8, pool, state, filter, count, error, orderHint, grow, tableButton, tilesButton);
    bar.setAlignment(Pos.CENTER_LEFT);
    bar.setPadding(new Insets(8, 10, 8, 10));
    return bar;
  }

  private void syncPools() {
    List<String> items = new ArrayList<>();
    items.add(ALL);
    items.addAll(vm.pools());
    if (!pool.getItems().equals(items)) {
      String keep = pool.getValue();
      pool.getItems().setAll(items);
      pool.setValue(keep);
    }
  }

  private static StringConverter<String> choice(String all) {
    return new StringConverter<>() {
      @Override
      public String toString(String s) {
        return s == null || s.isEmpty() ? all : s;
      }

      @Override
      public String fromString(String s) {
        return s == null || s.equals(all) ? ALL : s;
      }
    };
  }

  static int healthRank(String health) {
    switch (Health.parse(health)) {
      case UNHEALTHY:
        return 0;
      case DEGRADED:
        return 1;
      case UNKNOWN:
        return 2;
      default:
        return 3;
    }
  }

  static RoutingState routingOf(String text) {
    try {
      return text == null ? null : RoutingState.valueOf(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static Unit unitOf(Metric m) {
    switch (m) {
      case GPU_TEMP:
        return Unit.CELSIUS;
      case LATENCY_P95:
        return Unit.MILLISECONDS;
      default:
        return Unit.RATIO_AS_PERCENT;
    }
  }

  /** A figure as shown: {@code 42.5 %}, {@code 71 °C}, {@code 118 ms}; {@code n/a} when not available. */
  static String format(Metric m, Double v) {
    if (v == null) {
      return "n/a";
    }
    switch (m) {
      case GPU_TEMP:
        return Unit.CELSIUS.format(v, 0);
      case LATENCY_P95:
        return Unit.MILLISECONDS.format(v, v < 10 ? 1 : 0);
      case ERROR_RATIO:
        return Unit.RATIO_AS_PERCENT.format(v, v < 0.1 ? 2 : 1);
      default:
        return Unit.RATIO_AS_PERCENT.format(v, 0);
    }
  }

  /** Fixed scales where there is a natural range (ratios 0..1, temperatures 20..100 °C), so lines compare. */
  static void scale(Sparkline line, Metric m) {
    switch (m) {
      case CPU:
      case GPU_UTIL:
      case GPU_MEM:
        line.setScale(0, 1);
        break;
      case GPU_TEMP:
        line.setScale(20, 100);
        break;
      case ERROR_RATIO:
        line.setScale(0, Double.NaN);
        break;
      default:
        break;
    }
  }

  /** Warning colours where a figure is high; neutral otherwise. */
  static Tone toneOf(Metric m, Double v) {
    if (v == null) {
      return Tone.UNKNOWN;
    }
    switch (m) {
      case GPU_TEMP:
        return v >= 90 ? Tone.CRITICAL : v >= 83 ? Tone.WARNING : Tone.NEUTRAL;
      case ERROR_RATIO:
        return v >= 0.05 ? Tone.CRITICAL : v >= 0.01 ? Tone.WARNING : Tone.NEUTRAL;
      case GPU_MEM:
        return v >= 0.95 ? Tone.WARNING : Tone.NEUTRAL;
      default:
        return Tone.NEUTRAL;
    }
  }
}

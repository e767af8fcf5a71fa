package dev.nines.console.host;

import dev.nines.console.widgets.Health;
import dev.nines.console.widgets.StateBadge;
import dev.nines.console.widgets.TimeSeriesBuffer;
import dev.nines.console.widgets.TimeSeriesChart;
import dev.nines.console.widgets.Unit;
import dev.nines.protocol.RoutingState;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The host screen: header with badges and actions, the range buttons, the charts (two columns), the
 * GPU table and the history table. Builds nodes and binds them to a {@link HostViewModel}; nothing
 * else. Node ids for tests: {@code host-id}, {@code host-pool}, {@code host-health},
 * {@code host-routing}, {@code host-drain}, {@code host-undrain}, {@code host-maintenance},
 * {@code host-range-<RANGE>}, {@code host-chart-<chart id>}, {@code host-gpus}, {@code host-history}.
 */
public final class HostView extends BorderPane {
  private final HostViewModel vm;
  private final GridPane chartGrid = new GridPane();
  private final Map<String, TimeSeriesChart> charts = new LinkedHashMap<>();

  public HostView(HostViewModel vm) {
    this.vm = vm;
    getStyleClass().add("host-view");
    setPadding(new Insets(12));
    setTop(header());
    VBox body = new VBox(12, rangeBar(), chartGrid, section("GPUs", gpuTable()), section("Health and routing history", historyTable()));
    body.setPadding(new Insets(8, 4, 8, 0));
    ScrollPane scroll = new ScrollPane(body);
    scroll.setFitToWidth(true);
    scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
    setCenter(scroll);

    ColumnConstraints half = new ColumnConstraints();
    half.setPercentWidth(50);
    chartGrid.getColumnConstraints().addAll(half, half);
    chartGrid.setHgap(10);
    chartGrid.setVgap(10);
    vm.chartsProperty().addListener((o, old, now) -> show(now));
    show(vm.chartsProperty().get());
  }

  private VBox header() {
    Label id = new Label();
    id.setId("host-id");
    id.getStyleClass().add("title-2");
    id.textProperty().bind(vm.hostIdProperty());
    Hyperlink pool = new Hyperlink();
    pool.setId("host-pool");
    pool.textProperty().bind(Bindings.when(vm.poolProperty().isEmpty()).then("no pool").otherwise(Bindings.concat("pool ", vm.poolProperty())));
    pool.disableProperty().bind(vm.poolProperty().isEmpty());
    pool.setOnAction(e -> vm.openPool());

    StateBadge health = new StateBadge();
    health.setId("host-health");
    Label healthDetail = detail(vm.healthDetailProperty());
    vm.healthProperty().addListener((o, a, b) -> health.setHealth(Health.parse(b)));
    health.setHealth(Health.parse(vm.healthProperty().get()));
    StateBadge routing = new StateBadge();
    routing.setId("host-routing");
    Label routingDetail = detail(vm.routingDetailProperty());
    vm.routingProperty().addListener((o, a, b) -> routing.setRouting(routingState(b)));
    routing.setRouting(routingState(vm.routingProperty().get()));

    Button drain = button("Drain…", "host-drain", vm::drain);
    drain.disableProperty().bind(vm.drainDisabledProperty());
    Button undrain = button("Undrain…", "host-undrain", vm::undrain);
    undrain.disableProperty().bind(vm.undrainDisabledProperty());
    Button maintenance = button("Maintenance…", "host-maintenance", vm::maintenance);
    maintenance.disableProperty().bind(vm.maintenanceDisabledProperty());
    Region spacer = new Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    HBox title = new HBox(10, id, pool, spacer, drain, undrain, maintenance);
    title.setAlignment(Pos.CENTER_LEFT);

    HBox healthRow = new HBox(8, fixed(health), healthDetail);
    healthRow.setAlignment(Pos.CENTER_LEFT);
    HBox routingRow = new HBox(8, fixed(routing), routingDetail);
    routingRow.setAlignment(Pos.CENTER_LEFT);

    Label last = detail(vm.lastReportProperty());
    Label note = detail(vm.actionsNoteProperty());
    note.setId("host-actions-note");
    note.getStyleClass().add("warning");
    Label error = detail(vm.errorProperty());
    error.setId("host-error");
    error.getStyleClass().add("danger");
    VBox box = new VBox(6, title, healthRow, routingRow, last, note, error);
    box.setPadding(new Insets(0, 0, 8, 0));
    return box;
  }

  private HBox rangeBar() {
    ToggleGroup group = new ToggleGroup();
    HBox bar = new HBox(4);
    bar.setAlignment(Pos.CENTER_LEFT);
    Label label = new Label("Range");
    label.setPadding(new Insets(0, 6, 0, 0));
    bar.getChildren().add(label);
    for (HostRange r : HostRange.values()) {
      ToggleButton b = new ToggleButton(r.label());
      b.setId("host-range-" + r.name());
      b.setToggleGroup(group);
      b.setSelected(vm.rangeProperty().get() == r);
      b.setOnAction(e -> {
        b.setSelected(true);
        vm.setRange(r);
      });
      bar.getChildren().add(b);
    }
    vm.rangeProperty().addListener((o, a, now) -> group.getToggles().forEach(t -> t.setSelected(((ToggleButton) t).getId().equals("host-range-" + now.name()))));
    Label step = new Label();
    step.setPadding(new Insets(0, 0, 0, 10));
    step.textProperty().bind(Bindings.createStringBinding(() -> {
      HostCharts c = vm.chartsProperty().get();
      return c.step().isZero() ? "" : "step " + human(c.step()) + " · source " + c.source();
    }, vm.chartsProperty()));
    bar.getChildren().add(step);
    return bar;
  }

  /** Puts a snapshot's charts on screen: creates missing charts, replaces their series. */
  private void show(HostCharts snapshot) {
    if (snapshot.charts().isEmpty()) {
      charts.values().forEach(TimeSeriesChart::clearSeries);
      return;
    }
    List<TimeSeriesChart.Band> bands =
        snapshot.bands().stream()
            .map(b -> new TimeSeriesChart.Band(
                b.from().isBefore(snapshot.from()) ? snapshot.from() : b.from(),
                b.to() == null || b.to().isAfter(snapshot.to()) ? snapshot.to() : b.to(),
                TimeSeriesChart.BandKind.valueOf(b.kind().name()), b.label()))
            .filter(b -> b.to().isAfter(b.from()))
            .toList();
    for (HostChart c : snapshot.charts()) {
      TimeSeriesChart chart = charts.computeIfAbsent(c.id(), k -> addChart(c));
      chart.setTimeRange(snapshot.from(), snapshot.to());
      chart.setBands(bands);
      Set<String> names = new HashSet<>();
      for (HostChart.Line line : c.lines()) {
        TimeSeriesBuffer buffer = new TimeSeriesBuffer(Math.max(16, line.size()));
        for (int i = 0; i < line.size(); i++) {
          buffer.append(line.times()[i], line.values()[i]);
        }
        chart.setSeries(line.name(), buffer);
        names.add(line.name());
      }
      chart.seriesNames().stream().filter(n -> !names.contains(n)).forEach(chart::removeSeries);
    }
  }

  private TimeSeriesChart addChart(HostChart c) {
    TimeSeriesChart chart = new TimeSeriesChart();
    chart.setId("host-chart-" + c.id());
    chart.setTitle(c.title());
    chart.setPrefHeight(190);
    switch (c.kind()) {
      case RATIO:
        chart.setUnit(Unit.RATIO_AS_PERCENT);
        if (!c.id().equals("errors")) {
          chart.setValueRange(0, 1);
        }
        break;
      case CELSIUS:
        chart.setUnit(Unit.CELSIUS);
        break;
      case WATTS:
        chart.setUnit(Unit.WATTS);
        break;
      default:
        chart.setUnit(Unit.MILLISECONDS);
    }
    int n = charts.size();
    chartGrid.add(chart, n % 2, n / 2);
    return chart;
  }

  private TableView<GpuRow> gpuTable() {
    TableView<GpuRow> t = new TableView<>(vm.gpus());
    t.setId("host-gpus");
    t.getColumns().add(column("GPU", 50, g -> Integer.toString(g.index())));
    t.getColumns().add(column("Name", 150, GpuRow::name));
    t.getColumns().add(column("Util", 70, g -> Unit.RATIO_AS_PERCENT.format(num(g.utilRatio()), 0)));
    t.getColumns().add(column("Memory", 150, g -> g.memoryUsedBytes() == null ? "–"
        : Unit.BYTES_AS_GIB.format(g.memoryUsedBytes(), 0) + " / " + Unit.BYTES_AS_GIB.format(num(g.memoryTotalBytes() == null ? null : g.memoryTotalBytes().doubleValue()), 0)));
    t.getColumns().add(column("Temperature", 100, g -> Unit.CELSIUS.format(num(g.temperatureC()), 0)));
    t.getColumns().add(column("Power", 120, g -> Unit.WATTS.format(num(g.powerWatts()), 0)
        + (g.powerLimitWatts() == null ? "" : " / " + Unit.WATTS.format(g.powerLimitWatts(), 0))));
    t.getColumns().add(column("ECC", 60, g -> g.eccUncorrected() == null ? "–" : g.eccUncorrected().toString()));
    t.getColumns().add(column("XIDs", 220, g -> g.xids().isEmpty() ? "none" : g.xids()));
    t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    t.prefHeightProperty().bind(Bindings.createDoubleBinding(() -> 44 + 42.0 * Math.max(1, vm.gpus().size()), vm.gpus()));
    t.setPlaceholder(new Label("No GPU in the latest report"));
    return t;
  }

  private TableView<HistoryRow> historyTable() {
    TableView<HistoryRow> t = new TableView<>(vm.history());
    t.setId("host-history");
    t.getColumns().add(column("Time", 170, h -> Formats.time(h.at())));
    t.getColumns().add(column("Kind", 70, HistoryRow::kind));
    t.getColumns().add(column("State", 100, HistoryRow::state));
    t.getColumns().add(column("Rule / by", 150, HistoryRow::rule));
    t.getColumns().add(column("Reason", 320, HistoryRow::reason));
    t.getColumns().add(column("Figures", 200, HistoryRow::figures));
    t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    t.setPrefHeight(240);
    t.setPlaceholder(new Label("No health or routing change in the last 24 h"));
    return t;
  }

  private static <T> TableColumn<T, String> column(String title, double width, Function<T, String> text) {
    TableColumn<T, String> c = new TableColumn<>(title);
    c.setPrefWidth(width);
    c.setCellValueFactory(f -> new ReadOnlyStringWrapper(text.apply(f.getValue())));
    return c;
  }

  private static VBox section(String title, javafx.scene.Node content) {
    Label l = new Label(title);
    l.getStyleClass().add("title-4");
    return new VBox(6, l, content);
  }

  private static Label detail(javafx.beans.value.ObservableStringValue text) {
    Label l = new Label();
    l.textProperty().bind(text);
    l.managedProperty().bind(l.textProperty().isNotEmpty());
    l.visibleProperty().bind(l.textProperty().isNotEmpty());
    return l;
  }

  private static Region fixed(Region r) {
    r.setMaxWidth(Region.USE_PREF_SIZE);
    r.setMinHeight(20);
    return r;
  }

  private static Button button(String text, String id, Runnable action) {
    Button b = new Button(text);
    b.setId(id);
    b.setOnAction(e -> action.run());
    return b;
  }

  private static RoutingState routingState(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    try {
      return RoutingState.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static double num(Double v) {
    return v == null ? Double.NaN : v;
  }

  private static String human(java.time.Duration d) {
    long s = d.toSeconds();
    return s < 60 ? s + " s" : s % 60 == 0 && s < 3600 ? s / 60 + " min" : s < 3600 ? (s / 60) + " min " + (s % 60) + " s"
        : s % 3600 == 0 ? s / 3600 + " h" : (s / 3600) + " h " + (s % 3600) / 60 + " min";
  }
}

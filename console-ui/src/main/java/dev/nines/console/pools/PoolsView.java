package dev.nines.console.pools;

import dev.nines.console.client.Pool;
import dev.nines.console.widgets.AvailabilityBar;
import dev.nines.console.widgets.BudgetBar;
import dev.nines.console.widgets.BurnCondition;
import dev.nines.console.widgets.BurnRateIndicator;
import dev.nines.console.widgets.Health;
import dev.nines.console.widgets.StateBadge;
import dev.nines.protocol.RoutingState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The pools screen: the pool list on the left, the selected pool on the right (availability vs SLO,
 * error budget, burn-rate conditions, N+1, sides, members, failover). Builds nodes and binds them to
 * a {@link PoolsViewModel}. Node ids for tests: {@code pools-list}, {@code pool-title},
 * {@code pool-failover}, {@code pool-failover-note}, {@code pool-availability-<window>},
 * {@code pool-budget}, {@code pool-nplusone}, {@code pool-sides}, {@code pool-members}.
 */
public final class PoolsView extends javafx.scene.layout.BorderPane {
  /** Below this width the pool list collapses to a narrow column (pool, state, 30 d). */
  public static final double COMPACT_BELOW = 1300;
  static final double LIST_WIDE = 500;
  static final double MEMBER_ROW = 30;
  static final double LIST_NARROW = 252;

  private final PoolsViewModel vm;
  private final List<TableColumn<PoolRow, String>> wideOnly = new ArrayList<>();
  private final javafx.beans.property.BooleanProperty compact = new javafx.beans.property.SimpleBooleanProperty(this, "compact");
  private TableColumn<MemberRow, String> memberHost;
  private final Label title = new Label("Select a pool");
  private final Label state = new Label();
  private final List<AvailabilityBar> bars = new ArrayList<>();
  private final BudgetBar budget = new BudgetBar();
  private final Label budgetText = new Label();
  private final FlowPane burnRates = new FlowPane(14, 4);
  private final VBox conditions = new VBox(4);
  private final Label nPlusOne = new Label();
  private final Label sides = new Label();
  private final Label failoverState = new Label();

  public PoolsView(PoolsViewModel vm) {
    this.vm = vm;
    getStyleClass().add("pools-view");
    VBox detail = detailPane();
    ScrollPane scroll = new ScrollPane(detail);
    scroll.setFitToWidth(true);
    Node list = poolList();
    setLeft(list);
    setCenter(scroll);
    // narrow (the screen beside the navigation at 1280 px): the list keeps pool, state and 30 d only
    compact.bind(widthProperty().lessThan(COMPACT_BELOW));
    compact.addListener((o, was, now) -> layoutList((Region) list, now));
    layoutList((Region) list, compact.get());
    vm.detailProperty().addListener((o, a, d) -> show(d));
    vm.members().addListener((javafx.beans.InvalidationListener) o -> fitMemberHost());
    show(vm.detailProperty().get());
  }

  /** Whether the list is the narrow column. */
  public boolean isCompact() {
    return compact.get();
  }

  private void layoutList(Region list, boolean narrow) {
    double w = narrow ? LIST_NARROW : LIST_WIDE;
    list.setPrefWidth(w);
    list.setMinWidth(w);
    list.setMaxWidth(w);
    wideOnly.forEach(c -> c.setVisible(!narrow));
  }

  /** The members' host column as wide as the longest id. */
  private void fitMemberHost() {
    double widest = 60;
    for (MemberRow m : vm.members()) {
      javafx.scene.text.Text t = new javafx.scene.text.Text(m.id());
      widest = Math.max(widest, t.getLayoutBounds().getWidth());
    }
    memberHost.setPrefWidth(Math.ceil(widest * 1.1) + 24); // bold-ish fonts and the cell's padding
    memberHost.setMinWidth(memberHost.getPrefWidth());
  }

  private Node poolList() {
    TableView<PoolRow> t = new TableView<>(vm.pools());
    t.setId("pools-list");
    TableColumn<PoolRow, String> up = column("Up / req. / all", 100, p -> p.membersUp() + " / " + p.required() + " of " + p.memberCount());
    TableColumn<PoolRow, String> h1 = column("1 h", 72, p -> percent(p.availability1h()));
    TableColumn<PoolRow, String> d1 = column("1 d", 72, p -> percent(p.availability1d()));
    wideOnly.addAll(List.of(up, h1, d1));
    t.getColumns().add(column("Pool", 84, PoolRow::name));
    t.getColumns().add(column("State", 60, PoolRow::state));
    t.getColumns().add(up);
    t.getColumns().add(h1);
    t.getColumns().add(d1);
    t.getColumns().add(column("30 d", 84, p -> percent(p.availability30d())));
    t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    t.setPlaceholder(new Label("No pool has reported yet"));
    t.getSelectionModel().selectedItemProperty().addListener((o, a, row) -> {
      if (row != null) {
        vm.select(row.name());
      }
    });
    // keep the table's selection on the view-model's pool (after the table took the new items)
    Runnable sync = () -> {
      String sel = vm.selectedProperty().get();
      for (int i = 0; i < t.getItems().size(); i++) {
        if (t.getItems().get(i).name().equals(sel) && t.getSelectionModel().getSelectedIndex() != i) {
          t.getSelectionModel().select(i);
        }
      }
    };
    vm.pools().addListener((javafx.collections.ListChangeListener<PoolRow>) c -> javafx.application.Platform.runLater(sync));
    vm.selectedProperty().addListener((o, a, b) -> sync.run());
    VBox box = new VBox(6, heading("Pools"), t);
    VBox.setVgrow(t, Priority.ALWAYS);
    box.setPadding(new Insets(12, 6, 12, 12));
    return box;
  }

  private VBox detailPane() {
    title.setId("pool-title");
    title.getStyleClass().add("title-2");
    state.setId("pool-state");
    Button failover = new Button("Failover…");
    failover.setId("pool-failover");
    failover.disableProperty().bind(vm.failoverDisabledProperty());
    failover.setOnAction(e -> vm.failover());
    Label note = new Label();
    note.setId("pool-failover-note");
    note.getStyleClass().add("warning");
    note.textProperty().bind(vm.failoverNoteProperty());
    note.setWrapText(true);
    Region spacer = new Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    HBox head = new HBox(12, title, state, spacer, failover);
    head.setAlignment(Pos.CENTER_LEFT);

    GridPane avail = new GridPane();
    avail.setHgap(10);
    avail.setVgap(6);
    String[] labels = {"1 h", "1 d", "30 d"};
    for (int i = 0; i < 3; i++) {
      AvailabilityBar bar = new AvailabilityBar();
      bar.setId("pool-availability-" + PoolsViewModel.WINDOWS.get(i));
      bar.setLabel(labels[i]);
      bar.setPrefWidth(460);
      bars.add(bar);
      avail.add(bar, 0, i);
    }
    budget.setId("pool-budget");
    budget.setPrefWidth(460);
    HBox budgetRow = new HBox(10, budget, budgetText);
    budgetRow.setAlignment(Pos.CENTER_LEFT);
    nPlusOne.setId("pool-nplusone");
    sides.setId("pool-sides");
    sides.setWrapText(true);

    TableView<MemberRow> members = new TableView<>(vm.members());
    members.setId("pool-members");
    // sized to their content; the reason takes what is left
    memberHost = column("Host", 100, MemberRow::id);
    members.getColumns().add(memberHost);
    members.getColumns().add(fixed(column("Side", 58, MemberRow::side)));
    members.getColumns().add(fixed(badgeColumn("Health", 122, MemberRow::health, (b, s) -> b.setHealth(Health.parse(s)))));
    members.getColumns().add(fixed(badgeColumn("Routing", 136, MemberRow::routing, (b, s) -> b.setRouting(routing(s)))));
    members.getColumns().add(fixed(column("Serving", 66, m -> m.serving() ? "yes" : "no")));
    members.getColumns().add(column("Reason", 200, MemberRow::routingReason));
    members.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    members.setFixedCellSize(MEMBER_ROW);
    members.prefHeightProperty().bind(javafx.beans.binding.Bindings.createDoubleBinding(
        () -> 48 + MEMBER_ROW * Math.max(2, vm.members().size()), vm.members()));
    members.minHeightProperty().bind(members.prefHeightProperty());
    members.setPlaceholder(new Label("No members"));
    members.setRowFactory(tv -> {
      TableRow<MemberRow> row = new TableRow<>();
      row.setOnMouseClicked(e -> {
        if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && !row.isEmpty()) {
          vm.openHost(row.getItem().id());
        }
      });
      return row;
    });

    Label error = new Label();
    error.getStyleClass().add("danger");
    error.textProperty().bind(vm.errorProperty());
    error.managedProperty().bind(error.textProperty().isNotEmpty());

    VBox box = new VBox(6,
        head, note, error,
        heading("Availability vs SLO"), avail,
        heading("Error budget"), budgetRow,
        heading("Burn rates"), burnRates, conditions,
        heading("Capacity"), nPlusOne, sides, failoverState,
        heading("Members (double-click opens the host)"), members);
    box.setPadding(new Insets(12));
    return box;
  }

  private void show(PoolDetail d) {
    if (d == null) {
      title.setText(vm.selectedProperty().get().isEmpty() ? "Select a pool" : vm.selectedProperty().get());
      state.setText("");
      bars.forEach(b -> b.setValues(Double.NaN, 0.999));
      budget.setRemaining(Double.NaN);
      budgetText.setText("");
      burnRates.getChildren().clear();
      conditions.getChildren().clear();
      nPlusOne.setText("");
      sides.setText("");
      failoverState.setText("");
      return;
    }
    title.setText(d.name());
    state.setText(d.state() + " · " + d.membersUp() + " of " + d.memberCount() + " up, " + d.required() + " required");
    state.getStyleClass().removeAll("success", "warning", "danger");
    state.getStyleClass().add(d.state().equals("UP") ? "success" : d.state().equals("DOWN") ? "danger" : "warning");
    double target = d.target() > 0 && d.target() < 1 ? d.target() : 0.999;
    for (int i = 0; i < bars.size(); i++) {
      Double a = d.availability().get(PoolsViewModel.WINDOWS.get(i));
      bars.get(i).setValues(a == null ? Double.NaN : a, target);
    }
    budget.setRemaining(d.budgetRemaining() == null ? Double.NaN : d.budgetRemaining());
    budgetText.setText("of the " + d.period() + " budget (SLO " + percent(target) + ")");
    burnRates.getChildren().clear();
    for (Map.Entry<String, Double> e : d.burnRates().entrySet()) {
      burnRates.getChildren().add(new Label(e.getKey() + "  " + (e.getValue() == null ? "–" : String.format(Locale.ROOT, "%.2fx", e.getValue()))));
    }
    conditions.getChildren().clear();
    for (Pool.Condition c : d.conditions()) {
      BurnRateIndicator ind = new BurnRateIndicator();
      ind.setPrefWidth(420);
      ind.setCondition(new BurnCondition(
          c.name(), c.severity(), c.threshold(), c.longWindow(), c.shortWindow(),
          c.longRate() == null ? Double.NaN : c.longRate(), c.shortRate() == null ? Double.NaN : c.shortRate(), c.firing()));
      Label name = new Label(c.name());
      name.setMinWidth(180);
      HBox row = new HBox(10, name, ind);
      row.setAlignment(Pos.CENTER_LEFT);
      conditions.getChildren().add(row);
    }
    nPlusOne.setText(d.nPlusOne());
    nPlusOne.getStyleClass().removeAll("success", "warning");
    if (d.nPlusOneOk() != null) {
      nPlusOne.getStyleClass().add(d.nPlusOneOk() ? "success" : "warning");
    }
    if (d.sides().isEmpty()) {
      sides.setText("No failover sides");
    } else {
      StringBuilder sb = new StringBuilder("Sides: ");
      d.sides().entrySet().stream()
          .sorted(java.util.Comparator.comparing((Map.Entry<String, List<String>> e) -> !e.getKey().equals(d.activeSide())).thenComparing(Map.Entry::getKey))
          .forEach(e -> sb.append(e.getKey()).append(e.getKey().equals(d.activeSide()) ? " (active)" : " (standby)")
          .append(": ").append(String.join(", ", e.getValue())).append("   "));
      sides.setText(sb.toString().strip());
    }
    failoverState.setText(d.failover());
  }

  private static <T> TableColumn<T, String> fixed(TableColumn<T, String> c) {
    c.setMinWidth(c.getPrefWidth());
    return c;
  }

  private static Label heading(String text) {
    Label l = new Label(text);
    l.getStyleClass().add("title-4");
    return l;
  }

  private static <T> TableColumn<T, String> column(String title, double width, Function<T, String> text) {
    TableColumn<T, String> c = new TableColumn<>(title);
    c.setPrefWidth(width);
    c.setCellValueFactory(f -> new ReadOnlyStringWrapper(text.apply(f.getValue())));
    return c;
  }

  private static <T> TableColumn<T, String> badgeColumn(
      String title, double width, Function<T, String> text, java.util.function.BiConsumer<StateBadge, String> set) {
    TableColumn<T, String> c = column(title, width, text);
    c.setCellFactory(col -> new TableCell<>() {
      private final StateBadge badge = new StateBadge();

      @Override
      protected void updateItem(String item, boolean empty) {
        super.updateItem(item, empty);
        if (empty || item == null) {
          setGraphic(null);
        } else {
          set.accept(badge, item);
          setGraphic(badge);
        }
        setText(null);
      }
    });
    return c;
  }

  private static RoutingState routing(String s) {
    try {
      return s == null ? null : RoutingState.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String percent(Double ratio) {
    if (ratio == null || ratio.isNaN()) {
      return "–";
    }
    String s = String.format(Locale.ROOT, "%.2f", ratio * 100);
    s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    return s + " %";
  }

}

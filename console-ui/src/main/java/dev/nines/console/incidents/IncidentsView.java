package dev.nines.console.incidents;

import dev.nines.console.app.OpsText;
import atlantafx.base.theme.Styles;
import dev.nines.console.app.Actions;
import dev.nines.console.app.Screen;
import dev.nines.console.client.Incident;
import dev.nines.console.client.WhoAmI;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The incidents screen ({@code Shortcut+4}): the list and the selected incident's timeline and actions. */
public final class IncidentsView extends BorderPane implements Screen {
  private final IncidentsViewModel vm;

  public IncidentsView(IncidentsViewModel vm, Actions actions, WhoAmI me) {
    this.vm = vm;
    setPadding(new Insets(12));

    Label title = new Label("Incidents");
    title.getStyleClass().add(Styles.TITLE_3);
    ComboBox<IncidentsViewModel.StateFilter> state = new ComboBox<>();
    state.setId("stateFilter");
    state.getItems().setAll(IncidentsViewModel.StateFilter.values());
    state.valueProperty().bindBidirectional(vm.stateFilterProperty());
    ComboBox<String> kind = new ComboBox<>();
    kind.getItems().setAll("all kinds", "host", "pool");
    kind.getSelectionModel().selectFirst();
    kind.valueProperty().addListener((o, a, b) -> vm.kindFilterProperty().set("all kinds".equals(b) ? null : b));
    Label summary = new Label();
    summary.getStyleClass().add(Styles.TEXT_MUTED);
    summary.textProperty().bind(vm.summaryProperty());
    Label error = new Label();
    error.getStyleClass().add(Styles.DANGER);
    error.textProperty().bind(vm.errorProperty());
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    HBox top = new HBox(10, title, state, kind, summary, gap, error);
    top.setAlignment(Pos.CENTER_LEFT);
    top.setPadding(new Insets(0, 0, 10, 0));
    setTop(top);

    TableView<IncidentRow> table = new TableView<>(vm.rows());
    table.setId("incidents");
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    table.getColumns().add(Tables.column("#", 50, IncidentRow::id));
    table.getColumns().add(Tables.column("Kind", 60, IncidentRow::kind));
    table.getColumns().add(Tables.column("Subject", 120, IncidentRow::subject));
    table.getColumns().add(Tables.column("State", 70, IncidentRow::state));
    table.getColumns().add(Tables.column("Severity", 100, IncidentRow::severity));
    table.getColumns().add(Tables.column("Now", 100, IncidentRow::currentState));
    table.getColumns().add(Tables.column("Opened (UTC)", 150, IncidentRow::opened));
    table.getColumns().add(Tables.column("Duration", 110, IncidentRow::duration));
    table.getColumns().add(Tables.column("Cause", 300, IncidentRow::cause));
    table.setRowFactory(t -> new TableRow<>() {
      @Override
      protected void updateItem(IncidentRow r, boolean empty) {
        super.updateItem(r, empty);
        getStyleClass().removeAll(Styles.DANGER, Styles.WARNING);
        if (!empty && r != null && r.open()) {
          getStyleClass().add("UNHEALTHY".equals(r.severity()) || "DOWN".equals(r.severity()) ? Styles.DANGER : Styles.WARNING);
        }
      }
    });
    table.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> vm.select(r == null ? null : r.id()));

    Label detailTitle = new Label("Select an incident");
    detailTitle.getStyleClass().add(Styles.TITLE_4);
    Label cause = new Label();
    cause.setWrapText(true);
    Label actionsTaken = new Label();
    actionsTaken.setWrapText(true);
    actionsTaken.getStyleClass().add(Styles.TEXT_SMALL);
    ListView<String> timeline = new ListView<>(vm.timeline());
    timeline.setId("timeline");
    timeline.getStyleClass().add(Styles.DENSE);
    VBox.setVgrow(timeline, Priority.ALWAYS);
    Button drain = actionButton("Drain...", me, () -> actions.drain(subjectOf(vm.selectedProperty().get())));
    Button undrain = actionButton("Undrain...", me, () -> actions.undrain(subjectOf(vm.selectedProperty().get())));
    Button maintenance = actionButton("Maintenance...", me, () -> actions.maintenance(subjectOf(vm.selectedProperty().get())));
    Button failover = actionButton("Fail over...", me, () -> actions.failover(subjectOf(vm.selectedProperty().get())));
    HBox buttons = new HBox(8, drain, undrain, maintenance, failover);
    vm.selectedProperty().addListener((o, a, i) -> {
      detailTitle.setText(i == null ? "Select an incident" : "#" + i.id() + "  " + i.kind() + " " + i.subject() + "  (" + i.state() + ", worst " + i.severity() + ")");
      cause.setText(i == null ? "" : "Cause: " + OpsText.cause(i.cause()));
      actionsTaken.setText(i == null || i.actions().isEmpty() ? "" : "Actions: " + String.join("; ",
          i.actions().stream().map(x -> OpsText.time(x.at()) + " " + x.text()).toList()));
      boolean host = i != null && "host".equals(i.kind());
      boolean pool = i != null && "pool".equals(i.kind());
      drain.setVisible(host);
      undrain.setVisible(host);
      maintenance.setVisible(host);
      failover.setVisible(pool);
    });
    buttons.getChildren().forEach(b -> {
      b.setVisible(false);
      b.managedProperty().bind(b.visibleProperty());
    });
    VBox detail = new VBox(8, detailTitle, cause, actionsTaken, buttons, timeline);
    detail.setPadding(new Insets(10, 0, 0, 0));

    SplitPane split = new SplitPane(table, detail);
    split.setOrientation(Orientation.VERTICAL);
    split.setDividerPositions(0.55);
    setCenter(split);
  }

  private static String subjectOf(Incident i) {
    return i == null ? null : i.subject();
  }

  private static Button actionButton(String text, WhoAmI me, Runnable action) {
    Button b = new Button(text);
    b.setOnAction(e -> action.run());
    me.whyNotOperate().ifPresent(why -> {
      b.setDisable(true);
      b.setTooltip(new Tooltip(why));
      b.setAccessibleHelp(why);
    });
    return b;
  }

  @Override
  public String id() {
    return "incidents";
  }

  @Override
  public String title() {
    return "Incidents";
  }

  @Override
  public KeyCombination shortcut() {
    return KeyCombination.keyCombination("Shortcut+4");
  }

  @Override
  public Node view() {
    return this;
  }

  @Override
  public void shown(boolean visible) {
    vm.setShown(visible);
  }
}

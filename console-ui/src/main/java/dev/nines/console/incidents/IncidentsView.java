package dev.nines.console.incidents;

import dev.nines.console.app.OpsText;
import atlantafx.base.theme.Styles;
import dev.nines.console.app.Actions;
import dev.nines.console.app.ListScreen;
import dev.nines.console.client.Incident;
import dev.nines.console.client.WhoAmI;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** The incidents screen ({@code Shortcut+4}): the list and the selected incident's timeline and actions. */
public final class IncidentsView extends ListScreen {

  public IncidentsView(IncidentsViewModel vm, Actions actions, WhoAmI me) {
    super("incidents", "Incidents", "Incidents", "Shortcut+4", vm);
    ComboBox<IncidentsViewModel.StateFilter> state = new ComboBox<>();
    state.setId("stateFilter");
    state.getItems().setAll(IncidentsViewModel.StateFilter.values());
    state.valueProperty().bindBidirectional(vm.stateFilterProperty());
    ComboBox<String> kind = new ComboBox<>();
    kind.getItems().setAll("all kinds", "host", "pool");
    kind.getSelectionModel().selectFirst();
    kind.valueProperty().addListener((o, a, b) -> vm.kindFilterProperty().set("all kinds".equals(b) ? null : b));
    Label summary = summaryLabel(vm.summaryProperty());
    toolbar(vm.errorProperty(), state, kind, summary);

    TableView<IncidentRow> table = table("incidents", vm.rows(),
        column("#", 50, IncidentRow::id),
        column("Kind", 60, IncidentRow::kind),
        column("Subject", 120, IncidentRow::subject),
        column("State", 70, IncidentRow::state),
        column("Severity", 100, IncidentRow::severity),
        column("Now", 100, IncidentRow::currentState),
        column("Opened (UTC)", 150, IncidentRow::opened),
        column("Duration", 110, IncidentRow::duration),
        column("Cause", 300, IncidentRow::cause));
    rowStyle(table, r -> r.open()
        ? ("UNHEALTHY".equals(r.severity()) || "DOWN".equals(r.severity()) ? Styles.DANGER : Styles.WARNING) : null);
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
}

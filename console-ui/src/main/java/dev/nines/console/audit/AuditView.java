package dev.nines.console.audit;

import atlantafx.base.theme.Styles;
import dev.nines.console.app.Screen;
import dev.nines.console.incidents.Tables;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/** The audit log screen ({@code Shortcut+6}): newest first, "Load more" for older lines. */
public final class AuditView extends BorderPane implements Screen {
  private final AuditViewModel vm;

  public AuditView(AuditViewModel vm) {
    this.vm = vm;
    setPadding(new Insets(12));
    Label title = new Label("Audit log");
    title.getStyleClass().add(Styles.TITLE_3);
    Label error = new Label();
    error.setId("error");
    error.getStyleClass().add(Styles.DANGER);
    error.textProperty().bind(vm.errorProperty());
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    HBox top = new HBox(10, title, gap, error);
    top.setAlignment(Pos.CENTER_LEFT);
    top.setPadding(new Insets(0, 0, 10, 0));
    setTop(top);

    TableView<AuditRow> table = new TableView<>(vm.rows());
    table.setId("audit");
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    table.getColumns().add(Tables.column("At (UTC)", 150, AuditRow::at));
    table.getColumns().add(Tables.column("Who", 170, AuditRow::actor));
    table.getColumns().add(Tables.column("Action", 150, AuditRow::action));
    table.getColumns().add(Tables.column("Target", 130, AuditRow::target));
    table.getColumns().add(Tables.column("Detail", 420, AuditRow::detail));
    setCenter(table);

    Button more = new Button("Load more");
    more.setId("loadMore");
    more.disableProperty().bind(vm.hasMoreProperty().not().or(vm.loadingProperty()));
    more.setOnAction(e -> vm.loadMore());
    Label count = new Label();
    count.getStyleClass().add(Styles.TEXT_MUTED);
    count.textProperty().bind(javafx.beans.binding.Bindings.size(vm.rows()).asString("%d lines"));
    HBox bottom = new HBox(10, more, count);
    bottom.setAlignment(Pos.CENTER_LEFT);
    bottom.setPadding(new Insets(10, 0, 0, 0));
    setBottom(bottom);
  }

  @Override
  public String id() {
    return "audit";
  }

  @Override
  public String title() {
    return "Audit";
  }

  @Override
  public KeyCombination shortcut() {
    return KeyCombination.keyCombination("Shortcut+6");
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

package dev.nines.console.audit;

import atlantafx.base.theme.Styles;
import dev.nines.console.app.ListScreen;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;

/** The audit log screen ({@code Shortcut+6}): newest first, "Load more" for older lines. */
public final class AuditView extends ListScreen {
  public AuditView(AuditViewModel vm) {
    super("audit", "Audit", "Audit log", "Shortcut+6", vm);
    toolbar(vm.errorProperty());
    setCenter(table("audit", vm.rows(),
        column("At (UTC)", 150, AuditRow::at),
        column("Who", 170, AuditRow::actor),
        column("Action", 150, AuditRow::action),
        column("Target", 130, AuditRow::target),
        column("Detail", 420, AuditRow::detail)));

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
}

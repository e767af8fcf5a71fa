package dev.nines.console.actions;

import atlantafx.base.theme.Styles;
import dev.nines.console.widgets.StateBadge;
import dev.nines.protocol.RoutingState;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The confirmation dialog's content, bound to an {@link ActionsViewModel}: the impact of the dry run
 * (members active now and after, required, the guard's verdict and reason, the steps), the reason,
 * the force path (reason, second confirmation), and the live progress. Node ids for tests:
 * {@code confirm}, {@code force}, {@code forceReason}, {@code forceContinue}, {@code forceConfirm},
 * {@code close}, {@code verdict}, {@code message}, {@code routingState}, {@code progress}.
 */
public final class ActionDialogView extends VBox {
  private final ActionsViewModel vm;

  public ActionDialogView(ActionsViewModel vm, Runnable onClose) {
    super(12);
    this.vm = vm;
    getStyleClass().add("nines-action-dialog");
    setPadding(new Insets(20));
    setPrefWidth(560);

    Label title = new Label();
    title.getStyleClass().add(Styles.TITLE_3);
    title.textProperty().bind(Bindings.createStringBinding(
        () -> vm.kindProperty().get() == null ? "" : vm.kindProperty().get().label() + " " + vm.subjectProperty().get(),
        vm.kindProperty(), vm.subjectProperty()));

    StateBadge badge = new StateBadge();
    badge.setId("routingState");
    badge.visibleProperty().bind(vm.routingStateProperty().isNotEmpty());
    vm.routingStateProperty().addListener((o, a, b) -> showRouting(badge, b));
    showRouting(badge, vm.routingStateProperty().get());
    Region grow = new Region();
    HBox.setHgrow(grow, Priority.ALWAYS);
    HBox head = new HBox(12, title, grow, badge);
    head.setAlignment(Pos.CENTER_LEFT);

    GridPane figures = new GridPane();
    figures.setHgap(16);
    figures.setVgap(4);
    Label change = figure("change");
    Label now = figure("activeNow");
    Label after = figure("activeAfter");
    Label required = figure("required");
    figures.addRow(0, muted("Routing"), change);
    figures.addRow(1, muted("Members active now"), now);
    figures.addRow(2, muted("Active after"), after);
    figures.addRow(3, muted("Required by the guard"), required);
    Label verdict = new Label();
    verdict.setId("verdict");
    verdict.setWrapText(true);
    Label steps = new Label();
    steps.setId("steps");
    steps.setWrapText(true);
    steps.getStyleClass().add(Styles.TEXT_SMALL);
    vm.impactProperty().addListener((o, a, i) -> {
      change.setText(i == null ? "" : i.change());
      now.setText(i == null || i.activeNow() == null ? "-" : String.valueOf(i.activeNow()));
      after.setText(i == null || i.activeAfter() == null ? "-" : String.valueOf(i.activeAfter()));
      required.setText(i == null || i.required() == null ? "-" : String.valueOf(i.required()));
      verdict.setText(i == null ? "" : (i.refused() ? "\u2716 " : "\u2714 ") + i.verdict());
      verdict.getStyleClass().removeAll(Styles.DANGER, Styles.SUCCESS);
      if (i != null) {
        verdict.getStyleClass().add(i.refused() ? Styles.DANGER : Styles.SUCCESS);
      }
      steps.setText(i == null ? "" : "Steps:\n" + String.join("\n", i.steps().stream().map(s -> "\u2022 " + s).toList()));
    });
    VBox impactBox = new VBox(8, figures, verdict, steps);
    impactBox.visibleProperty().bind(vm.impactProperty().isNotNull());
    impactBox.managedProperty().bind(impactBox.visibleProperty());

    TextField reason = new TextField();
    reason.setId("reason");
    reason.textProperty().bindBidirectional(vm.reasonProperty());
    reason.editableProperty().bind(vm.stateProperty().isEqualTo(ActionState.CONFIRM));
    HBox reasonRow = new HBox(8, muted("Reason"), reason);
    reasonRow.setAlignment(Pos.CENTER_LEFT);
    HBox.setHgrow(reason, Priority.ALWAYS);
    reasonRow.visibleProperty().bind(vm.kindProperty().isNotEqualTo(ActionKind.FAILOVER));
    reasonRow.managedProperty().bind(reasonRow.visibleProperty());

    ComboBox<String> untilBox = new ComboBox<>();
    untilBox.setId("until");
    Map<String, Duration> untilChoices = new LinkedHashMap<>();
    untilChoices.put("until an undrain", null);
    untilChoices.put("1 hour", Duration.ofHours(1));
    untilChoices.put("4 hours", Duration.ofHours(4));
    untilChoices.put("1 day", Duration.ofDays(1));
    untilChoices.put("7 days", Duration.ofDays(7));
    untilBox.getItems().setAll(untilChoices.keySet());
    untilBox.getSelectionModel().selectFirst();
    untilBox.valueProperty().addListener((o, a, b) -> vm.maintenanceFor(untilChoices.get(b)));
    HBox untilRow = new HBox(8, muted("Maintenance"), untilBox);
    untilRow.setAlignment(Pos.CENTER_LEFT);
    untilRow.visibleProperty().bind(vm.kindProperty().isEqualTo(ActionKind.MAINTENANCE));
    untilRow.managedProperty().bind(untilRow.visibleProperty());

    TextArea forceReason = new TextArea();
    forceReason.setId("forceReason");
    forceReason.setPromptText("Why override the capacity guard? (at least " + ActionsViewModel.MIN_FORCE_REASON + " characters; audited)");
    forceReason.setPrefRowCount(2);
    forceReason.setWrapText(true);
    forceReason.textProperty().bindBidirectional(vm.forceReasonProperty());
    forceReason.editableProperty().bind(vm.stateProperty().isEqualTo(ActionState.FORCE_REASON));
    showIn(forceReason, ActionState.FORCE_REASON, ActionState.FORCE_CONFIRM);

    Label message = new Label();
    message.setId("message");
    message.setWrapText(true);
    message.textProperty().bind(vm.messageProperty());
    vm.stateProperty().addListener((o, a, s) -> {
      message.getStyleClass().removeAll(Styles.DANGER, Styles.WARNING, Styles.SUCCESS);
      switch (s) {
        case FAILED, REFUSED -> message.getStyleClass().add(Styles.DANGER);
        case FORCE_REASON, FORCE_CONFIRM -> message.getStyleClass().add(Styles.WARNING);
        case DONE -> message.getStyleClass().add(Styles.SUCCESS);
        default -> { }
      }
    });
    ProgressIndicator spinner = new ProgressIndicator();
    spinner.setPrefSize(18, 18);
    spinner.visibleProperty().bind(Bindings.createBooleanBinding(
        () -> vm.state().busy() || vm.state() == ActionState.IN_PROGRESS, vm.stateProperty()));
    spinner.managedProperty().bind(spinner.visibleProperty());
    HBox messageRow = new HBox(8, spinner, message);
    messageRow.setAlignment(Pos.CENTER_LEFT);

    ListView<String> progress = new ListView<>(vm.progress());
    progress.setId("progress");
    progress.setPrefHeight(110);
    progress.getStyleClass().add(Styles.DENSE);
    progress.visibleProperty().bind(Bindings.isNotEmpty(vm.progress()));
    progress.managedProperty().bind(progress.visibleProperty());

    Button close = new Button("Cancel");
    close.setId("close");
    close.setCancelButton(true);
    close.textProperty().bind(Bindings.createStringBinding(
        () -> switch (vm.state()) {
          case IN_PROGRESS, DONE, FAILED -> "Close";
          default -> "Cancel";
        }, vm.stateProperty()));
    close.setOnAction(e -> onClose.run());
    Button confirm = new Button();
    confirm.setId("confirm");
    confirm.setDefaultButton(true);
    confirm.getStyleClass().add(Styles.ACCENT);
    confirm.textProperty().bind(Bindings.createStringBinding(
        () -> vm.kindProperty().get() == null ? "Confirm" : vm.kindProperty().get().label(), vm.kindProperty()));
    confirm.setOnAction(e -> vm.confirm());
    showIn(confirm, ActionState.CONFIRM);
    Button force = new Button("Force...");
    force.setId("force");
    force.getStyleClass().add(Styles.DANGER);
    force.setOnAction(e -> vm.offerForce());
    showIn(force, ActionState.REFUSED);
    Button forceContinue = new Button("Continue");
    forceContinue.setId("forceContinue");
    forceContinue.disableProperty().bind(vm.forceReasonValidProperty().not());
    forceContinue.setOnAction(e -> vm.submitForceReason());
    showIn(forceContinue, ActionState.FORCE_REASON);
    Button forceConfirm = new Button();
    forceConfirm.setId("forceConfirm");
    forceConfirm.getStyleClass().add(Styles.DANGER);
    forceConfirm.textProperty().bind(Bindings.createStringBinding(
        () -> vm.kindProperty().get() == null ? "Force" : "Force " + vm.kindProperty().get().word(), vm.kindProperty()));
    forceConfirm.setOnAction(e -> vm.confirmForce());
    showIn(forceConfirm, ActionState.FORCE_CONFIRM);
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    HBox buttons = new HBox(8, gap, close, force, forceContinue, forceConfirm, confirm);
    buttons.setAlignment(Pos.CENTER_RIGHT);

    getChildren().addAll(head, impactBox, reasonRow, untilRow, forceReason, messageRow, progress, buttons);
  }

  /** The view-model it shows. */
  public ActionsViewModel viewModel() {
    return vm;
  }

  private void showIn(Node node, ActionState... states) {
    BooleanBinding shown = Bindings.createBooleanBinding(() -> {
      for (ActionState s : states) {
        if (vm.state() == s) {
          return true;
        }
      }
      return false;
    }, vm.stateProperty());
    node.visibleProperty().bind(shown);
    node.managedProperty().bind(shown);
  }

  private static void showRouting(StateBadge badge, String state) {
    if (state == null || state.isEmpty()) {
      return;
    }
    try {
      badge.setRouting(RoutingState.valueOf(state));
    } catch (IllegalArgumentException unknown) {
      // a state this console does not know yet: leave the badge as it was
    }
  }

  private static Label muted(String text) {
    Label l = new Label(text);
    l.getStyleClass().add(Styles.TEXT_MUTED);
    return l;
  }

  private static Label figure(String id) {
    Label l = new Label("-");
    l.setId(id);
    l.getStyleClass().add(Styles.TEXT_BOLD);
    return l;
  }
}

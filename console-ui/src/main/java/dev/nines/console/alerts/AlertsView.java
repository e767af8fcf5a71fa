package dev.nines.console.alerts;

import atlantafx.base.theme.Styles;
import dev.nines.console.app.ListScreen;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The alerts screen ({@code Shortcut+5}): alerts, acknowledge and silence (prefilled from the selected
 * alert's labels) for operators, and the silences with expire.
 */
public final class AlertsView extends ListScreen {

  public AlertsView(AlertsViewModel vm) {
    super("alerts", "Alerts", "Alerts", "Shortcut+5", vm);
    ComboBox<AlertsViewModel.StateFilter> state = new ComboBox<>();
    state.setId("stateFilter");
    state.getItems().setAll(AlertsViewModel.StateFilter.values());
    state.valueProperty().bindBidirectional(vm.stateFilterProperty());
    Label summary = summaryLabel(vm.summaryProperty());
    Label message = new Label();
    message.setId("message");
    message.getStyleClass().add(Styles.SUCCESS);
    message.textProperty().bind(vm.messageProperty());
    HBox top = toolbar(vm.errorProperty(), state, summary);
    top.getChildren().add(top.getChildren().size() - 1, message); // before the error

    TableView<AlertRow> alerts = table("alerts", vm.rows(),
        column("State", 70, AlertRow::state),
        column("Alert", 130, AlertRow::alertname),
        column("Severity", 75, AlertRow::severity),
        column("Labels", 210, AlertRow::labels),
        column("Summary", 260, AlertRow::summary),
        column("Since", 75, AlertRow::since),
        column("Ack", 150, AlertRow::ack),
        column("Suppressed by", 120, AlertRow::suppressedBy));
    rowStyle(alerts, r -> "firing".equals(r.state()) && r.ack().isEmpty() && r.suppressedBy().isEmpty()
        ? ("critical".equals(r.severity()) ? Styles.DANGER : Styles.WARNING) : null);

    // acknowledge and silence, for operators
    TextField ackComment = new TextField();
    ackComment.setId("ackComment");
    ackComment.setPromptText("comment");
    Button ack = new Button("Acknowledge");
    ack.setId("ack");
    ack.disableProperty().bind(Bindings.createBooleanBinding(
        () -> alerts.getSelectionModel().getSelectedItem() == null || !"firing".equals(alerts.getSelectionModel().getSelectedItem().state()),
        alerts.getSelectionModel().selectedItemProperty()));
    ack.setOnAction(e -> vm.acknowledge(alerts.getSelectionModel().getSelectedItem().fingerprint(), ackComment.getText()));
    TextField matchers = new TextField();
    matchers.setId("matchers");
    matchers.setPromptText("label=value, label=~regex");
    HBox.setHgrow(matchers, Priority.ALWAYS);
    Map<String, Duration> durations = new LinkedHashMap<>();
    durations.put("1 hour", Duration.ofHours(1));
    durations.put("2 hours", Duration.ofHours(2));
    durations.put("8 hours", Duration.ofHours(8));
    durations.put("1 day", Duration.ofDays(1));
    durations.put("7 days", Duration.ofDays(7));
    ComboBox<String> duration = new ComboBox<>();
    duration.getItems().setAll(durations.keySet());
    duration.getSelectionModel().select("2 hours");
    TextField silenceComment = new TextField();
    silenceComment.setId("silenceComment");
    silenceComment.setPromptText("why (required)");
    Button silence = new Button("Silence");
    silence.setId("silence");
    silence.setOnAction(e -> vm.silence(new SilenceDraft(
        Arrays.stream(matchers.getText().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList(),
        durations.get(duration.getValue()), silenceComment.getText())));
    alerts.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> {
      if (r != null) {
        matchers.setText(String.join(", ", vm.draftSilence(r.alert()).matchers()));
      }
    });
    GridPane form = new GridPane();
    form.setHgap(8);
    form.setVgap(6);
    form.addRow(0, new Label("Selected alert"), ackComment, ack);
    form.addRow(1, new Label("Silence"), matchers, duration, silenceComment, silence);
    GridPane.setHgrow(matchers, Priority.ALWAYS);
    vm.whyNotOperate().ifPresent(why -> {
      form.setDisable(true);
      Tooltip.install(form, new Tooltip(why));
      form.setAccessibleHelp(why);
    });

    TableView<SilenceRow> silences = table("silences", vm.silences(),
        column("State", 70, SilenceRow::state),
        column("Matchers", 300, SilenceRow::matchers),
        column("Ends (UTC)", 150, SilenceRow::ends),
        column("By", 150, SilenceRow::author),
        column("Comment", 240, SilenceRow::comment));
    silences.setPrefHeight(170);
    Button expire = new Button("Expire");
    expire.setId("expire");
    expire.disableProperty().bind(Bindings.createBooleanBinding(
        () -> !vm.mayOperate() || silences.getSelectionModel().getSelectedItem() == null
            || !silences.getSelectionModel().getSelectedItem().expirable(),
        silences.getSelectionModel().selectedItemProperty()));
    expire.setOnAction(e -> vm.expire(silences.getSelectionModel().getSelectedItem().id()));
    Label silencesTitle = new Label("Silences");
    silencesTitle.getStyleClass().add(Styles.TITLE_4);
    HBox silencesHead = new HBox(10, silencesTitle, expire);
    silencesHead.setAlignment(Pos.CENTER_LEFT);

    VBox center = new VBox(10, alerts, form, silencesHead, silences);
    VBox.setVgrow(alerts, Priority.ALWAYS);
    setCenter(center);
  }
}

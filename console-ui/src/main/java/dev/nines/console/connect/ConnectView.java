package dev.nines.console.connect;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/** The connection dialog's nodes, bound to a {@link ConnectViewModel}. */
public final class ConnectView extends StackPane {
  private final TextField server = new TextField();
  private final PasswordField token = new PasswordField();
  private final Button connect = new Button("Connect");
  private final Label error = new Label();
  private final Button cancel = new Button("Back to the console");

  public ConnectView(ConnectViewModel vm) {
    getStyleClass().add("nines-connect");
    Label title = new Label("Connect to Nines");
    title.setStyle("-fx-font-size: 20px; -fx-font-weight: bold;");
    Label hint = new Label("The backend's URL and a token (viewer, operator or admin).");
    hint.getStyleClass().add("text-muted");
    server.setId("server");
    server.setPromptText("http://127.0.0.1:7070 (replicas: URLs separated by commas)");
    server.setTooltip(new javafx.scene.control.Tooltip(
        "The server's URL, or every replica's separated by commas (http://a:7070,http://b:7070):\n"
            + "the console moves to the next one when the one it talks to goes away"));
    server.setPrefColumnCount(30);
    server.textProperty().bindBidirectional(vm.serverProperty());
    token.setId("token");
    token.setPromptText("token");
    token.textProperty().bindBidirectional(vm.tokenProperty());
    GridPane form = new GridPane();
    form.setHgap(10);
    form.setVgap(10);
    Label serverLabel = new Label("Server");
    Label tokenLabel = new Label("Token");
    serverLabel.setMinWidth(Region.USE_PREF_SIZE);
    tokenLabel.setMinWidth(Region.USE_PREF_SIZE);
    serverLabel.setLabelFor(server);
    tokenLabel.setLabelFor(token);
    form.addRow(0, serverLabel, server);
    form.addRow(1, tokenLabel, token);
    connect.setId("connect");
    connect.setDefaultButton(true);
    connect.disableProperty().bind(vm.busyProperty());
    connect.setOnAction(e -> vm.connect());
    ProgressIndicator spinner = new ProgressIndicator();
    spinner.setPrefSize(20, 20);
    spinner.visibleProperty().bind(vm.busyProperty());
    cancel.setId("connect-cancel");
    cancel.setCancelButton(true);
    cancel.setVisible(false);
    cancel.managedProperty().bind(cancel.visibleProperty());
    HBox buttons = new HBox(10, connect, cancel, spinner);
    buttons.setAlignment(Pos.CENTER_LEFT);
    error.setId("connect-error");
    error.setWrapText(true);
    error.setMaxWidth(460);
    error.getStyleClass().add("danger");
    error.textProperty().bind(vm.errorProperty());
    error.visibleProperty().bind(vm.errorProperty().isNotEmpty());
    error.managedProperty().bind(error.visibleProperty());
    Label notice = new Label();
    notice.setWrapText(true);
    notice.setMaxWidth(460);
    notice.textProperty().bind(vm.noticeProperty());
    notice.visibleProperty().bind(vm.noticeProperty().isNotEmpty());
    notice.managedProperty().bind(notice.visibleProperty());
    VBox card = new VBox(14, title, hint, form, buttons, error, notice);
    card.setPadding(new Insets(28));
    card.setMaxSize(540, USE_PREF_SIZE);
    card.setStyle("-fx-background-color: -color-bg-subtle; -fx-border-color: -color-border-default;"
        + " -fx-border-radius: 8; -fx-background-radius: 8;");
    getChildren().add(card);
    setPadding(new Insets(24));
  }

  /** Shows "Back to the console" running {@code back} (a new sign-in from a running console), or hides it (null). */
  public void setOnCancel(Runnable back) {
    cancel.setVisible(back != null);
    cancel.setOnAction(back == null ? null : e -> back.run());
  }

  /** The token field. */
  public javafx.scene.control.PasswordField tokenField() {
    return token;
  }

  /** The error line (tests read it). */
  public Label errorLabel() {
    return error;
  }

  public Button connectButton() {
    return connect;
  }

  /** Puts the focus where the operator types first. */
  public void focusFirstEmpty() {
    if (server.getText() == null || server.getText().isBlank()) {
      server.requestFocus();
    } else {
      token.requestFocus();
    }
  }
}

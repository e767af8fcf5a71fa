package dev.nines.console;

import javafx.application.Application;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/**
 * The operator console. This first build only opens a window; the fleet, host, pool, incident and
 * alert screens arrive with the console's own work.
 */
public final class ConsoleApp extends Application {
  @Override
  public void start(Stage stage) {
    Label title = new Label("Nines console");
    title.setStyle("-fx-font-size: 20px; -fx-font-weight: bold;");
    Label body = new Label("The operator console is not part of this build yet.\n"
        + "Use the backend API (GET /api/v1/hosts) meanwhile.");
    VBox root = new VBox(12, title, body);
    root.setPadding(new Insets(24));
    stage.setTitle("Nines");
    stage.setScene(new Scene(root, 520, 160));
    stage.show();
  }
}

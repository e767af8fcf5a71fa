package dev.nines.console.reports;

import atlantafx.base.theme.Styles;
import dev.nines.console.app.Screen;
import dev.nines.console.client.ReportFormat;
import java.io.File;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * The uptime report screen ({@code Shortcut+7}): range, subject, format, Save (through the file picker
 * it was given: a {@link FileChooser} in the console, a fixed path in tests), progress with cancel,
 * the saved path or the error.
 */
public final class ReportView extends VBox implements Screen {
  private final ReportViewModel vm;

  /** @param picker asks where to save a request (null: the operator cancelled) */
  public ReportView(ReportViewModel vm, Function<ReportRequest, Path> picker) {
    super(14);
    this.vm = vm;
    setPadding(new Insets(16));
    setMaxWidth(720);
    Label title = new Label("Uptime report");
    title.getStyleClass().add(Styles.TITLE_3);

    ComboBox<ReportViewModel.Range> range = new ComboBox<>();
    range.setId("range");
    range.getItems().setAll(ReportViewModel.Range.values());
    range.setConverter(new javafx.util.StringConverter<>() {
      @Override
      public String toString(ReportViewModel.Range r) {
        return r == null ? "" : r.label();
      }

      @Override
      public ReportViewModel.Range fromString(String s) {
        return null;
      }
    });
    range.valueProperty().bindBidirectional(vm.rangeProperty());
    ComboBox<YearMonth> month = new ComboBox<>();
    YearMonth last = vm.monthProperty().get();
    for (int i = 0; i < 13; i++) {
      month.getItems().add(last.minusMonths(i));
    }
    month.valueProperty().bindBidirectional(vm.monthProperty());
    month.visibleProperty().bind(vm.rangeProperty().isEqualTo(ReportViewModel.Range.MONTH));
    DatePicker from = new DatePicker();
    from.valueProperty().bindBidirectional(vm.fromProperty());
    DatePicker to = new DatePicker();
    to.valueProperty().bindBidirectional(vm.toProperty());
    HBox fromTo = new HBox(8, from, new Label(".."), to);
    fromTo.setAlignment(Pos.CENTER_LEFT);
    fromTo.visibleProperty().bind(vm.rangeProperty().isEqualTo(ReportViewModel.Range.CUSTOM));
    fromTo.managedProperty().bind(fromTo.visibleProperty());
    month.managedProperty().bind(month.visibleProperty());
    HBox rangeRow = new HBox(8, range, month, fromTo);
    rangeRow.setAlignment(Pos.CENTER_LEFT);

    ComboBox<ReportViewModel.Scope> scope = new ComboBox<>();
    scope.setId("scope");
    scope.getItems().setAll(ReportViewModel.Scope.values());
    scope.valueProperty().bindBidirectional(vm.scopeProperty());
    TextField subject = new TextField();
    subject.setId("subject");
    subject.setPromptText("pool or host name");
    subject.textProperty().bindBidirectional(vm.subjectProperty());
    subject.disableProperty().bind(vm.scopeProperty().isEqualTo(ReportViewModel.Scope.FLEET));
    HBox scopeRow = new HBox(8, scope, subject);

    ComboBox<ReportFormat> format = new ComboBox<>();
    format.setId("format");
    format.getItems().setAll(ReportFormat.PDF, ReportFormat.HTML, ReportFormat.CSV, ReportFormat.JSON);
    format.valueProperty().bindBidirectional(vm.formatProperty());

    GridPane form = new GridPane();
    form.setHgap(12);
    form.setVgap(10);
    form.addRow(0, muted("Range (UTC days)"), rangeRow);
    form.addRow(1, muted("About"), scopeRow);
    form.addRow(2, muted("Format"), format);

    Label problem = new Label();
    problem.setId("problem");
    problem.getStyleClass().add(Styles.DANGER);
    Button save = new Button("Save...");
    save.setId("save");
    save.getStyleClass().add(Styles.ACCENT);
    save.disableProperty().bind(vm.statusProperty().isEqualTo(ReportViewModel.Status.RUNNING));
    save.setOnAction(e -> {
      ReportRequest request;
      try {
        request = vm.request();
      } catch (IllegalArgumentException bad) {
        problem.setText(bad.getMessage());
        return;
      }
      problem.setText("");
      Path out = picker.apply(request);
      if (out != null) {
        vm.save(request, out);
      }
    });
    Button cancel = new Button("Cancel");
    cancel.setId("cancel");
    cancel.visibleProperty().bind(vm.statusProperty().isEqualTo(ReportViewModel.Status.RUNNING));
    cancel.setOnAction(e -> vm.cancel());
    HBox buttons = new HBox(8, save, cancel, problem);
    buttons.setAlignment(Pos.CENTER_LEFT);

    ProgressBar bar = new ProgressBar();
    bar.setId("progress");
    bar.setPrefWidth(320);
    bar.progressProperty().bind(Bindings.createDoubleBinding(
        () -> switch (vm.statusProperty().get()) {
          case RUNNING -> ProgressBar.INDETERMINATE_PROGRESS;
          case DONE -> 1.0;
          default -> 0.0;
        }, vm.statusProperty()));
    Label progress = new Label();
    progress.setId("progressText");
    progress.textProperty().bind(vm.progressTextProperty());
    HBox progressRow = new HBox(10, bar, progress);
    progressRow.setAlignment(Pos.CENTER_LEFT);
    progressRow.visibleProperty().bind(vm.statusProperty().isNotEqualTo(ReportViewModel.Status.IDLE));
    Label message = new Label();
    message.setId("message");
    message.setWrapText(true);
    message.textProperty().bind(vm.messageProperty());
    vm.statusProperty().addListener((o, a, s) -> {
      message.getStyleClass().removeAll(Styles.DANGER, Styles.SUCCESS);
      if (s == ReportViewModel.Status.DONE) {
        message.getStyleClass().add(Styles.SUCCESS);
      } else if (s == ReportViewModel.Status.FAILED) {
        message.getStyleClass().add(Styles.DANGER);
      }
    });

    getChildren().addAll(title, form, buttons, progressRow, message);
  }

  /** The console's picker: a save dialog over {@code owner}, proposing the request's file name. */
  public static Function<ReportRequest, Path> fileChooser(Supplier<Window> owner) {
    return request -> {
      FileChooser chooser = new FileChooser();
      chooser.setTitle("Save the uptime report");
      chooser.setInitialFileName(request.suggestedFileName());
      String ext = "*." + request.format().wire();
      chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(request.format().name(), ext));
      File f = chooser.showSaveDialog(owner.get());
      return f == null ? null : f.toPath();
    };
  }

  private static Label muted(String text) {
    Label l = new Label(text);
    l.getStyleClass().add(Styles.TEXT_MUTED);
    return l;
  }

  @Override
  public String id() {
    return "reports";
  }

  @Override
  public String title() {
    return "Reports";
  }

  @Override
  public KeyCombination shortcut() {
    return KeyCombination.keyCombination("Shortcut+7");
  }

  @Override
  public Node view() {
    return this;
  }
}

package dev.nines.console.app;

import atlantafx.base.theme.Styles;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * The frame the list screens (incidents, alerts, audit) share: a {@link Screen} with padding, a
 * toolbar (title, the screen's own controls, then the error on the right), read-only tables of row
 * records, and the view-model told when the screen is shown and closed with it.
 */
public abstract class ListScreen extends BorderPane implements Screen, AutoCloseable {
  private final String id;
  private final String title;
  private final String heading;
  private final KeyCombination shortcut;
  private final ShownList model;

  /**
   * @param id the screen's id
   * @param title its title in the navigation
   * @param heading its title in the toolbar
   * @param shortcut e.g. {@code Shortcut+4}
   * @param model refreshed while shown, closed with the screen
   */
  protected ListScreen(String id, String title, String heading, String shortcut, ShownList model) {
    this.id = Objects.requireNonNull(id, "id");
    this.title = Objects.requireNonNull(title, "title");
    this.heading = Objects.requireNonNull(heading, "heading");
    this.shortcut = KeyCombination.keyCombination(shortcut);
    this.model = Objects.requireNonNull(model, "model");
    setPadding(new Insets(12));
  }

  /**
   * Puts the toolbar on top: the title, {@code controls}, a gap, then the error line (id
   * {@code error}); answers it so a screen may add to it.
   */
  protected final HBox toolbar(ObservableStringValue error, Node... controls) {
    Label headingLabel = new Label(heading);
    headingLabel.getStyleClass().add(Styles.TITLE_3);
    Label errorLine = new Label();
    errorLine.setId("error");
    errorLine.getStyleClass().add(Styles.DANGER);
    errorLine.textProperty().bind(error);
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    HBox bar = new HBox(10, headingLabel);
    bar.getChildren().addAll(controls);
    bar.getChildren().addAll(gap, errorLine);
    bar.setAlignment(Pos.CENTER_LEFT);
    bar.setPadding(new Insets(0, 0, 10, 0));
    setTop(bar);
    return bar;
  }

  /** A muted line that shows {@code text} (a list's summary: "3 firing, 1 pending, 9 in all"). */
  protected static Label summaryLabel(ObservableStringValue text) {
    Label l = new Label();
    l.getStyleClass().add(Styles.TEXT_MUTED);
    l.textProperty().bind(text);
    return l;
  }

  /** A read-only table of {@code rows} with {@code columns}, the last column taking the spare width. */
  @SafeVarargs
  protected static <R> TableView<R> table(String id, ObservableList<R> rows, TableColumn<R, ?>... columns) {
    TableView<R> t = new TableView<>(rows);
    t.setId(id);
    t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    t.getColumns().addAll(List.of(columns));
    return t;
  }

  /** A column showing {@code value} of each row. */
  public static <R, T> TableColumn<R, T> column(String title, double width, Function<R, T> value) {
    TableColumn<R, T> c = new TableColumn<>(title);
    c.setPrefWidth(width);
    c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
    return c;
  }

  /** Colours rows: {@code styleClass} answers a style class for a row (e.g. {@code Styles.DANGER}) or null. */
  protected static <R> void rowStyle(TableView<R> table, Function<R, String> styleClass) {
    table.setRowFactory(t -> new TableRow<>() {
      @Override
      protected void updateItem(R r, boolean empty) {
        super.updateItem(r, empty);
        getStyleClass().removeAll(Styles.DANGER, Styles.WARNING);
        String cls = empty || r == null ? null : styleClass.apply(r);
        if (cls != null) {
          getStyleClass().add(cls);
        }
      }
    });
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final String title() {
    return title;
  }

  @Override
  public final KeyCombination shortcut() {
    return shortcut;
  }

  @Override
  public final Node view() {
    return this;
  }

  @Override
  public void shown(boolean visible) {
    model.setShown(visible);
  }

  @Override
  public void close() {
    model.close();
  }
}

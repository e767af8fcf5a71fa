package dev.nines.console.incidents;

import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.TableColumn;

/** Small helpers the operations views share to build read-only table columns of row records. */
public final class Tables {
  private Tables() {}

  /** A column showing {@code value} of each row. */
  public static <R, T> TableColumn<R, T> column(String title, double width, Function<R, T> value) {
    TableColumn<R, T> c = new TableColumn<>(title);
    c.setPrefWidth(width);
    c.setCellValueFactory(cell -> constant(value.apply(cell.getValue())));
    return c;
  }

  private static <T> ObservableValue<T> constant(T v) {
    return new ReadOnlyObjectWrapper<>(v);
  }
}

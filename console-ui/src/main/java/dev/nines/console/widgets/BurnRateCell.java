package dev.nines.console.widgets;

import javafx.scene.control.ContentDisplay;
import javafx.scene.control.TableCell;

/**
 * A table cell showing a {@link BurnCondition} with a {@link BurnRateIndicator}:
 * {@code column.setCellFactory(c -> new BurnRateCell<>())}.
 *
 * @param <S> the table's row type
 */
public final class BurnRateCell<S> extends TableCell<S, BurnCondition> {
  private final BurnRateIndicator indicator = new BurnRateIndicator();

  public BurnRateCell() {
    setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
    indicator.setPrefWidth(260);
  }

  @Override
  protected void updateItem(BurnCondition item, boolean empty) {
    super.updateItem(item, empty);
    if (empty || item == null) {
      setGraphic(null);
      setAccessibleText(null);
    } else {
      indicator.setCondition(item);
      setGraphic(indicator);
      setAccessibleText(indicator.text());
    }
  }
}

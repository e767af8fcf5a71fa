package dev.nines.console.fleet;

import dev.nines.console.theme.Palette;
import dev.nines.console.theme.Tone;
import dev.nines.console.widgets.CanvasWidget;
import dev.nines.console.widgets.Health;
import dev.nines.console.widgets.Sparkline;
import dev.nines.console.widgets.StateBadge;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.InvalidationListener;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Orientation;
import javafx.geometry.VPos;
import javafx.scene.Cursor;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;
import javafx.util.Duration;

/**
 * The fleet as a table drawn on ONE canvas, at most once per pulse: header, rows and every figure's
 * sparkline. A thousand hosts reporting every second cost no cells, no layout pass and no per-cell
 * texture, only one redraw of the visible rows (virtualised: about 25 of 1,000 drawn), which keeps the
 * frame after a batch or a re-sort cheap for the renderer too (a {@code TableView} of canvas cells
 * made the software renderer repaint hundreds of small textures).
 *
 * <p>What an operator expects of a table is here: a click on a header sorts by that column (again:
 * descending, a third time: unsorted), Shift+click adds a column to the sort, a drag on a header's
 * edge resizes the column (double-click: back to its width), a drag on a header moves the column, the wheel and the scroll bars scroll, a
 * click selects a row, Up/Down/Page Up/Page Down/Home/End move the selection, Left/Right scroll
 * sideways, double-click or Enter opens the host, Escape clears the selection; hovering a state shows why the host is in it. The
 * widgets ({@link StateBadge}, {@link Sparkline}) are stamps ({@link CanvasWidget#paintOnto}), so
 * the table looks like the tiles and the host screen.
 */
public final class FleetTable extends FleetCanvas {
  static final double HEADER = 30;
  static final double ROW = 30;
  private static final double EDGE = 4; // how near a header edge the pointer resizes
  private static final double VALUE_WIDTH = 50; // "0.10 %", "117 ms", "99 °C" at 12 px
  private static final double PAD = 5; // a figure cell's padding, left and right
  private static final Font HEADER_FONT = Font.font("System", FontWeight.BOLD, 12);
  private static final Font ID_FONT = Font.font("System", FontWeight.BOLD, 13);
  private static final Font FONT = Font.font("System", 13);
  private static final Font VALUE_FONT = Font.font("System", 12);
  private static final String PLACEHOLDER = "No hosts (yet): they appear with their first report.";

  /** A column: what it shows, how it sorts, how wide it is. */
  record Column(String id, String title, double prefWidth, double minWidth, boolean flex,
      Comparator<FleetRow> comparator, Metric metric) {}

  /** One key of the sort: a column and its direction. */
  public record SortKey(String columnId, boolean descending) {}

  private final List<Column> columns = new ArrayList<>();
  private final Map<String, Double> userWidths = new HashMap<>(); // by column id; none: its own width
  private final double[] widths; // as laid out
  private final ObservableList<SortKey> sortOrder = FXCollections.observableArrayList();
  private final ReadOnlyObjectWrapper<Comparator<FleetRow>> comparator =
      new ReadOnlyObjectWrapper<>(this, "comparator");
  private final ScrollBar hbar = new ScrollBar();
  private final Tooltip tip = new Tooltip();
  // stamps: configured per row, drawn onto the surface
  private final StateBadge healthStamp = new StateBadge();
  private final StateBadge routingStamp = new StateBadge();
  private final Sparkline[] lineStamps = new Sparkline[Metric.values().length];
  private final Map<Font, Map<String, Double>> textWidths = new HashMap<>();
  private final Text measure = new Text();
  private boolean tipInstalled;
  private int resizing = -1;
  private double resizeFrom;
  private double resizeWidth;
  private int moving = -1; // the column whose header is being dragged to another place
  private double moveFrom;
  private double moveAt;

  FleetTable(FleetViewModel vm, ObservableList<FleetRow> rows) {
    super(vm, rows, "nines-fleet-table");
    columns.add(new Column("HOST", "Host", 116, 90, false, Comparator.comparing(FleetRow::id), null));
    columns.add(new Column("HEALTH", "Health", 116, 114, false,
        Comparator.comparingInt(r -> FleetView.healthRank(r.health())), null));
    columns.add(new Column("ROUTING", "Routing", 128, 128, false, Comparator.comparing(FleetRow::routing), null));
    columns.add(new Column("POOL", "Pool", 104, 70, false, Comparator.comparing(FleetRow::pool), null));
    for (Metric m : Metric.values()) {
      columns.add(new Column(m.name(), m.title(), 112, 100, true,
          (a, b) -> Sample.compare(a.metric(m), b.metric(m)), m));
      lineStamps[m.ordinal()] = new Sparkline(History.CAPACITY);
      FleetView.scale(lineStamps[m.ordinal()], m);
    }
    widths = new double[columns.size()];
    hbar.setOrientation(Orientation.HORIZONTAL);
    getChildren().add(hbar);
    tip.setShowDelay(Duration.millis(400));
    tip.setWrapText(true);
    tip.setMaxWidth(480);

    hbar.valueProperty().addListener(o -> redraw());
    selectedProperty().addListener(o -> describe());
    rows.addListener((InvalidationListener) o -> describe());
    sortOrder.addListener((InvalidationListener) o -> {
      comparator.set(comparatorOf(List.copyOf(sortOrder)));
      redraw();
      describe();
    });
    describe();

    setOnScroll(e -> {
      if (e.getDeltaY() != 0) {
        vbar.setValue(clamp(vbar, vbar.getValue() - e.getDeltaY()));
      }
      if (e.getDeltaX() != 0) {
        hbar.setValue(clamp(hbar, hbar.getValue() - e.getDeltaX()));
      }
      e.consume();
    });
    addEventHandler(MouseEvent.MOUSE_MOVED, this::moved);
    addEventHandler(MouseEvent.MOUSE_EXITED, e -> {
      if (tipInstalled) {
        Tooltip.uninstall(this, tip);
        tipInstalled = false;
      }
      setCursor(Cursor.DEFAULT);
    });
    addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
    addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
      if (resizing >= 0) {
        Column c = columns.get(resizing);
        userWidths.put(c.id(), Math.max(c.minWidth(), resizeWidth + e.getX() - resizeFrom));
        requestLayout();
        e.consume();
      } else if (moving >= 0) {
        moveAt = e.getX();
        redraw();
        e.consume();
      }
    });
    addEventHandler(MouseEvent.MOUSE_RELEASED, e -> {
      resizing = -1;
      if (moving >= 0) {
        if (Math.abs(e.getX() - moveFrom) > EDGE) {
          moveColumn(moving, insertionAt(e.getX()));
        }
        moving = -1;
        redraw();
      }
    });
    addEventHandler(KeyEvent.KEY_PRESSED, this::key);
  }

  // --- what tests, the view and the benchmark use ---

  /** The columns' ids, left to right: HOST, HEALTH, ROUTING, POOL, then every {@link Metric}'s name. */
  public List<String> columnIds() {
    return columns.stream().map(Column::id).toList();
  }

  /** The sort, most significant key first (empty: the fleet's own order). */
  public ObservableList<SortKey> sortOrder() {
    return sortOrder;
  }

  /** Sorts by one column only. */
  public void sortBy(String columnId, boolean descending) {
    column(columnId);
    sortOrder.setAll(List.of(new SortKey(columnId, descending)));
  }

  /** The comparator of the current sort, or null when unsorted. */
  public ReadOnlyObjectProperty<Comparator<FleetRow>> comparatorProperty() {
    return comparator.getReadOnlyProperty();
  }

  /** Selects the row shown at {@code index} and scrolls it into view. */
  public void select(int index) {
    if (index < 0 || index >= rows.size()) {
      throw new IndexOutOfBoundsException("no row " + index + " of " + rows.size());
    }
    select(rows.get(index));
    reveal(index);
  }

  /** The host at ({@code x}, {@code y}) in this region, or null (the header and empty space: null). */
  @Override
  public FleetRow rowAt(double x, double y) {
    int i = indexAt(y);
    return i < 0 ? null : rows.get(i);
  }

  /** Where the middle of the row shown at {@code index} is, in this region (it must be scrolled into view). */
  public javafx.geometry.Point2D centreOf(int index) {
    return new javafx.geometry.Point2D(
        Math.min(surfaceWidth(), totalWidth()) / 2, HEADER + index * ROW - vbar.getValue() + ROW / 2);
  }

  /** Where the middle of a column's header is, in this region. */
  javafx.geometry.Point2D headerCentre(String columnId) {
    int i = columns.indexOf(column(columnId));
    double left = -hbar.getValue();
    for (int k = 0; k < i; k++) {
      left += widths[k];
    }
    return new javafx.geometry.Point2D(left + widths[i] / 2, HEADER / 2);
  }

  /** Where a column's right edge is in the header (the handle that resizes it), in this region. */
  javafx.geometry.Point2D edgeOf(String columnId) {
    javafx.geometry.Point2D mid = headerCentre(columnId);
    return new javafx.geometry.Point2D(mid.getX() + widthOf(columnId) / 2 - 1, mid.getY());
  }

  /** The tooltip's text now (why the host under the pointer is in its state), or null when none shows. */
  String tooltipText() {
    return tipInstalled ? tip.getText() : null;
  }

  /** The scroll bars (tests read where they are). */
  ScrollBar verticalBar() {
    return vbar;
  }

  ScrollBar horizontalBar() {
    return hbar;
  }

  /** A column's title as its header shows it (without the sort mark). */
  String headerTitle(String columnId) {
    return column(columnId).title();
  }

  /** The width a column is laid out with now. */
  double widthOf(String columnId) {
    return widths[columns.indexOf(column(columnId))];
  }

  /** Sets a column's width as a drag on its header edge would. */
  void resize(String columnId, double width) {
    Column c = column(columnId);
    userWidths.put(c.id(), Math.max(c.minWidth(), width));
    requestLayout();
  }

  // --- layout ---

  @Override
  protected void layoutChildren() {
    double w = getWidth();
    double h = getHeight();
    double barW = vbar.prefWidth(-1);
    double barH = hbar.prefHeight(-1);
    // the vertical bar shows when the rows do not fit, the horizontal one when the columns do not
    boolean v = HEADER + rows.size() * ROW > h;
    layoutColumns(w - (v ? barW : 0));
    boolean hz = totalWidth() > w - (v ? barW : 0) + 0.5;
    if (hz && !v && HEADER + rows.size() * ROW > h - barH) {
      v = true;
      layoutColumns(w - barW);
    }
    double viewW = w - (v ? barW : 0);
    double viewH = h - (hz ? barH : 0);
    double content = HEADER + rows.size() * ROW;
    configure(vbar, Math.max(0, content - viewH), viewH - HEADER, ROW, content - HEADER);
    configure(hbar, Math.max(0, totalWidth() - viewW), viewW, 24, totalWidth());
    vbar.setVisible(v);
    hbar.setVisible(hz);
    vbar.resizeRelocate(viewW, 0, barW, viewH);
    hbar.resizeRelocate(0, viewH, viewW, barH);
    placeSurface(0, 0, viewW, viewH);
  }

  private static void configure(ScrollBar bar, double max, double page, double unit, double content) {
    bar.setMin(0);
    bar.setMax(max);
    bar.setVisibleAmount(max <= 0 || content <= 0 ? 1 : page * max / content); // the thumb: page / content
    bar.setUnitIncrement(unit);
    bar.setBlockIncrement(Math.max(unit, page - unit));
    bar.setValue(clamp(bar, bar.getValue()));
  }

  /**
   * Each column at the width the operator gave it or its own; the space left over goes to the figure
   * columns (their sparklines grow), and a shortfall is taken from them down to their minimum.
   */
  private void layoutColumns(double available) {
    double sum = 0;
    double flex = 0;
    double slack = 0;
    for (int i = 0; i < widths.length; i++) {
      Column c = columns.get(i);
      Double user = userWidths.get(c.id());
      widths[i] = user == null ? c.prefWidth() : user;
      sum += widths[i];
      if (flexes(c)) {
        flex++;
        slack += widths[i] - c.minWidth();
      }
    }
    if (flex == 0) {
      return;
    }
    double delta = available - sum;
    if (delta > 0) {
      for (int i = 0; i < widths.length; i++) {
        if (flexes(columns.get(i))) {
          widths[i] += Math.floor(delta / flex);
        }
      }
    } else if (delta < 0 && slack > 0) {
      double take = Math.min(-delta, slack);
      for (int i = 0; i < widths.length; i++) {
        Column c = columns.get(i);
        if (flexes(c)) {
          widths[i] -= Math.ceil(take * (widths[i] - c.minWidth()) / slack);
          widths[i] = Math.max(c.minWidth(), widths[i]);
        }
      }
    }
  }

  /** A figure column the operator did not size: it shares the space left over. */
  private boolean flexes(Column c) {
    return c.flex() && !userWidths.containsKey(c.id());
  }

  private double totalWidth() {
    double t = 0;
    for (double w : widths) {
      t += w;
    }
    return t;
  }

  // --- pointer and keys ---

  private int indexAt(double y) {
    if (y < HEADER || y > surfaceHeight()) {
      return -1;
    }
    int i = (int) Math.floor((y - HEADER + vbar.getValue()) / ROW);
    return i >= 0 && i < rows.size() ? i : -1;
  }

  /** The column at {@code x} in this region, or -1. */
  private int columnAt(double x) {
    double cx = x + hbar.getValue();
    double left = 0;
    for (int i = 0; i < widths.length; i++) {
      if (cx >= left && cx < left + widths[i]) {
        return i;
      }
      left += widths[i];
    }
    return -1;
  }

  /** The column whose right edge is within a few pixels of {@code x}, or -1. */
  private int edgeAt(double x) {
    double cx = x + hbar.getValue();
    double right = 0;
    for (int i = 0; i < widths.length; i++) {
      right += widths[i];
      if (Math.abs(cx - right) <= EDGE) {
        return i;
      }
    }
    return -1;
  }

  private void moved(MouseEvent e) {
    boolean header = e.getY() < HEADER;
    setCursor(header && edgeAt(e.getX()) >= 0 ? Cursor.H_RESIZE : Cursor.DEFAULT);
    FleetRow r = header ? null : rowAt(e.getX(), e.getY()); // (the base marks it hovered)
    String why = null;
    if (r != null) {
      int c = columnAt(e.getX());
      String id = c < 0 ? "" : columns.get(c).id();
      if (id.equals("HEALTH")) {
        why = r.health() + reason(r.healthReasonProperty().get());
      } else if (id.equals("ROUTING")) {
        why = r.routing() + reason(r.routingReasonProperty().get());
      }
    }
    if (why == null) {
      if (tipInstalled) {
        Tooltip.uninstall(this, tip);
        tipInstalled = false;
      }
    } else {
      tip.setText(r.id() + ": " + why);
      if (!tipInstalled) {
        Tooltip.install(this, tip);
        tipInstalled = true;
      }
    }
  }

  private static String reason(String why) {
    return why == null || why.isEmpty() ? "" : " \u2013 " + why;
  }

  private void pressed(MouseEvent e) {
    if (e.getButton() != MouseButton.PRIMARY || e.getY() >= HEADER) {
      return;
    }
    int edge = edgeAt(e.getX());
    if (edge >= 0) {
      resizing = edge;
      resizeFrom = e.getX();
      resizeWidth = widths[edge];
      e.consume();
    } else {
      moving = columnAt(e.getX()); // a drag moves the column; a click (still) sorts by it
      moveFrom = e.getX();
      moveAt = e.getX();
    }
  }

  /** Where a column dropped at {@code x} goes: before the column whose left half holds x, else last. */
  private int insertionAt(double x) {
    double cx = x + hbar.getValue();
    double left = 0;
    for (int i = 0; i < widths.length; i++) {
      if (cx < left + widths[i] / 2) {
        return i;
      }
      left += widths[i];
    }
    return widths.length;
  }

  /** Moves column {@code from} to stand before the column now at {@code before} (or last). */
  void moveColumn(int from, int before) {
    if (from < 0 || from >= columns.size() || before < 0 || before > columns.size()) {
      throw new IndexOutOfBoundsException("no move of column " + from + " to " + before);
    }
    int to = before > from ? before - 1 : before;
    if (to == from) {
      return;
    }
    columns.add(to, columns.remove(from)); // its width is kept by id: it goes with it
    requestLayout();
    redraw();
  }

  /** A click on the header sorts (or, on a column's edge, a double-click resets its width); not a row's. */
  @Override
  protected boolean clickedBesideTheHosts(MouseEvent e) {
    if (e.getY() >= HEADER) {
      return false;
    }
    int edge = edgeAt(e.getX());
    if (edge >= 0) {
      if (e.getClickCount() == 2) {
        userWidths.remove(columns.get(edge).id()); // back to its own width
        requestLayout();
      }
      return true;
    }
    int c = columnAt(e.getX());
    if (c >= 0 && e.isStillSincePress()) {
      headerClicked(columns.get(c).id(), e.isShiftDown());
    }
    return true;
  }

  /**
   * A click on a header: the only key of the sort, ascending; again: descending; a third time: no sort.
   * With Shift the column is added to (or turned in, or removed from) the keys already there.
   */
  void headerClicked(String columnId, boolean add) {
    int at = -1;
    for (int i = 0; i < sortOrder.size(); i++) {
      if (sortOrder.get(i).columnId().equals(columnId)) {
        at = i;
      }
    }
    List<SortKey> next = new ArrayList<>(add ? sortOrder : List.of());
    if (at < 0) {
      next.add(new SortKey(columnId, false));
    } else if (!sortOrder.get(at).descending()) {
      SortKey turned = new SortKey(columnId, true);
      if (add) {
        next.set(at, turned);
      } else {
        next = List.of(turned);
      }
    } else if (add) {
      next.remove(at);
    } else {
      next = sortOrder.size() > 1 ? List.of(new SortKey(columnId, false)) : List.of();
    }
    sortOrder.setAll(next);
  }

  private void key(KeyEvent e) {
    KeyCode code = e.getCode();
    FleetRow selected = selectedProperty().get();
    int at = selected == null ? -1 : rows.indexOf(selected);
    int page = Math.max(1, (int) ((surfaceHeight() - HEADER) / ROW) - 1);
    int to;
    switch (code) {
      case DOWN:
        to = at + 1;
        break;
      case UP:
        to = at < 0 ? 0 : at - 1;
        break;
      case PAGE_DOWN:
        to = at + page;
        break;
      case PAGE_UP:
        to = at - page;
        break;
      case HOME:
        to = 0;
        break;
      case LEFT:
      case RIGHT:
        hbar.setValue(clamp(hbar, hbar.getValue() + (code == KeyCode.LEFT ? -40 : 40)));
        e.consume();
        return;
      case END:
        to = rows.size() - 1;
        break;
      default:
        return;
    }
    if (rows.isEmpty()) {
      return;
    }
    select(Math.max(0, Math.min(rows.size() - 1, to)));
    e.consume();
  }

  private void reveal(int index) {
    double top = index * ROW;
    double view = surfaceHeight() - HEADER;
    if (top < vbar.getValue()) {
      vbar.setValue(top);
    } else if (top + ROW > vbar.getValue() + view) {
      vbar.setValue(clamp(vbar, top + ROW - view));
    }
  }

  /** What a screen reader says: the sort and the selected host with its figures. */
  private void describe() {
    StringBuilder s = new StringBuilder("Hosts table, ").append(rows.size()).append(" rows");
    if (!sortOrder.isEmpty()) {
      SortKey k = sortOrder.get(0);
      s.append(", sorted by ").append(column(k.columnId()).title()).append(k.descending() ? " descending" : "");
    }
    FleetRow r = selectedProperty().get();
    if (r != null) {
      s.append(". Selected: ").append(r.id()).append(", health ").append(r.health()).append(", routing ")
          .append(r.routing()).append(", pool ").append(r.pool());
      for (Metric m : Metric.values()) {
        s.append(", ").append(m.title()).append(' ').append(FleetView.format(m, r.metric(m).value()));
      }
    }
    s.append(". Enter opens the selected host.");
    setAccessibleText(s.toString());
  }

  private Column column(String id) {
    for (Column c : columns) {
      if (c.id().equals(id)) {
        return c;
      }
    }
    throw new IllegalArgumentException("no column " + id + "; the columns are " + columnIds());
  }

  private Comparator<FleetRow> comparatorOf(List<SortKey> keys) {
    Comparator<FleetRow> c = null;
    for (SortKey k : keys) {
      Comparator<FleetRow> one = column(k.columnId()).comparator();
      if (k.descending()) {
        one = one.reversed();
      }
      c = c == null ? one : c.thenComparing(one);
    }
    return c;
  }

  // --- drawing ---

  /** {@code text} cut to {@code max} pixels in {@code font}, with an ellipsis where it was cut. */
  private String fit(String text, Font font, double max) {
    if (text.length() * font.getSize() <= max) {
      return text; // fits even in the widest glyphs: no measuring
    }
    if (width(text, font) <= max) {
      return text;
    }
    String cut = text;
    while (cut.length() > 1 && width(cut + "\u2026", font) > max) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut + "\u2026";
  }

  private double width(String text, Font font) {
    Map<String, Double> cache = textWidths.computeIfAbsent(font, f -> new HashMap<>());
    if (cache.size() > 4096) {
      cache.clear();
    }
    return cache.computeIfAbsent(text, t -> {
      measure.setFont(font);
      measure.setText(t);
      return measure.getLayoutBounds().getWidth();
    });
  }

  // --- drawing: the header and every visible row, on the one canvas ---

  @Override
  protected void draw(GraphicsContext g, double w, double h, Palette palette) {
    double left = -hbar.getValue();
    double top = vbar.getValue();
    g.setFill(palette.background());
    g.fillRect(0, 0, w, h);
    if (rows.isEmpty()) {
      g.setFill(palette.muted());
      g.setFont(FONT);
      g.setTextAlign(TextAlignment.CENTER);
      g.setTextBaseline(VPos.CENTER);
      g.fillText(PLACEHOLDER, w / 2, HEADER + (h - HEADER) / 2);
    } else {
      int first = Math.max(0, (int) (top / ROW));
      int last = Math.min(rows.size() - 1, (int) ((top + h - HEADER) / ROW));
      double shaded = Math.min(w, left + totalWidth()); // how far a row's background goes
      for (int i = first; i <= last; i++) {
        row(g, rows.get(i), i, left, HEADER + i * ROW - top, w, shaded, palette);
      }
    }
    header(g, left, w, palette);
  }

  private void header(GraphicsContext g, double left, double w, Palette palette) {
    g.setFill(palette.surface());
    g.fillRect(0, 0, w, HEADER);
    g.setStroke(palette.grid());
    g.setLineWidth(1);
    g.strokeLine(0, HEADER - 0.5, w, HEADER - 0.5);
    g.setFont(HEADER_FONT);
    g.setTextBaseline(VPos.CENTER);
    g.setTextAlign(TextAlignment.LEFT);
    double x = left;
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      String mark = "";
      for (int k = 0; k < sortOrder.size(); k++) {
        if (sortOrder.get(k).columnId().equals(c.id())) {
          mark = (sortOrder.get(k).descending() ? " \u25BC" : " \u25B2") + (sortOrder.size() > 1 ? k + 1 : "");
        }
      }
      if (i == moving && Math.abs(moveAt - moveFrom) > EDGE) {
        g.setFill(palette.grid());
        g.fillRect(x, 0, widths[i], HEADER - 1); // the column being moved
      }
      g.setFill(mark.isEmpty() ? palette.muted() : palette.foreground());
      g.fillText(fit(c.title() + mark, HEADER_FONT, widths[i] - 14), x + 8, HEADER / 2);
      x += widths[i];
      g.strokeLine(Math.round(x) - 0.5, 6, Math.round(x) - 0.5, HEADER - 6);
    }
    if (moving >= 0 && Math.abs(moveAt - moveFrom) > EDGE) {
      // where it would go: a bar on that edge
      double at = left;
      int before = insertionAt(moveAt);
      for (int i = 0; i < before; i++) {
        at += widths[i];
      }
      g.setFill(palette.info());
      g.fillRect(Math.max(0, Math.min(w - 3, Math.round(at) - 1.5)), 0, 3, HEADER);
    }
  }

  private void row(
      GraphicsContext g, FleetRow r, int index, double left, double y, double w, double width, Palette palette) {
    if (r == selectedProperty().get()) {
      g.setFill(palette.info().deriveColor(0, 1, 1, isFocused() ? 0.28 : 0.18));
      g.fillRect(0, y, width, ROW);
    } else if (r == hovered()) {
      g.setFill(palette.grid().deriveColor(0, 1, 1, 0.55));
      g.fillRect(0, y, width, ROW);
    } else if (index % 2 == 1) {
      g.setFill(palette.surface().deriveColor(0, 1, 1, 0.6));
      g.fillRect(0, y, width, ROW);
    }
    double x = left;
    double mid = y + ROW / 2;
    for (int i = 0; i < columns.size(); i++) {
      double cw = widths[i];
      if (x + cw >= 0 && x <= w) {
        cell(g, r, columns.get(i), x, mid, cw, palette);
      }
      x += cw;
    }
  }

  private void cell(GraphicsContext g, FleetRow r, Column c, double x, double mid, double cw, Palette palette) {
    switch (c.id()) {
      case "HOST":
        text(g, r.id(), ID_FONT, palette.foreground(), x + 8, mid, cw - 14);
        return;
      case "POOL":
        text(g, r.pool(), FONT, palette.foreground(), x + 8, mid, cw - 14);
        return;
      case "HEALTH":
        healthStamp.setHealth(Health.parse(r.health()));
        healthStamp.paintOnto(g, x + 6, mid - 10, Math.min(cw - 12, healthStamp.getPrefWidth()), 20, palette);
        return;
      case "ROUTING":
        routingStamp.setRouting(FleetView.routingOf(r.routing()));
        routingStamp.paintOnto(g, x + 6, mid - 10, Math.min(cw - 12, routingStamp.getPrefWidth()), 20, palette);
        return;
      default:
        Metric m = c.metric();
        Sample s = r.metric(m);
        g.setFont(VALUE_FONT);
        g.setFill(s.value() == null ? palette.muted() : palette.foreground());
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        g.fillText(FleetView.format(m, s.value()), x + PAD + VALUE_WIDTH - 1, mid + 0.5);
        Sparkline line = lineStamps[m.ordinal()];
        line.setData(s.history());
        Tone t = FleetView.toneOf(m, s.value());
        line.setTone(t == Tone.UNKNOWN ? Tone.NEUTRAL : t);
        double lx = x + PAD + VALUE_WIDTH + 4;
        double lw = cw - 2 * PAD - VALUE_WIDTH - 4;
        if (lw >= 12) {
          line.paintOnto(g, lx, mid - 10, lw, 20, palette);
        }
    }
  }

  private void text(GraphicsContext g, String s, Font font, javafx.scene.paint.Color colour, double x, double mid,
      double max) {
    g.setFont(font);
    g.setFill(colour);
    g.setTextAlign(TextAlignment.LEFT);
    g.setTextBaseline(VPos.CENTER);
    g.fillText(fit(s, font, max), x, mid + 0.5);
  }
}

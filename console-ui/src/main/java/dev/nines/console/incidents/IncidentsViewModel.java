package dev.nines.console.incidents;

import dev.nines.console.app.Coalescer;
import dev.nines.console.app.LiveRefresh;
import dev.nines.console.app.OpsText;
import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.ShownList;
import dev.nines.console.client.BackendException;
import dev.nines.console.client.Scheduler;
import dev.nines.console.client.Events;
import dev.nines.console.client.Incident;
import dev.nines.console.client.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The incidents screen without the toolkit: a list filtered by state and kind, newest first, and the
 * selected incident with its timeline and actions. Live: {@code incident.*} events refresh it, at
 * most once a second, while the screen is shown (a hidden screen refreshes when shown again).
 */
public final class IncidentsViewModel implements ShownList {
  /** Which incidents the list shows. */
  public enum StateFilter {
    OPEN, CLOSED, ALL;

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Page size of the list. */
  static final int LIMIT = 200;

  private final ConsoleContext ctx;
  private final ObjectProperty<StateFilter> stateFilter = new SimpleObjectProperty<>(this, "stateFilter", StateFilter.OPEN);
  private final ObjectProperty<String> kindFilter = new SimpleObjectProperty<>(this, "kindFilter");
  private final ObservableList<IncidentRow> rows = FXCollections.observableArrayList();
  private final ObservableList<IncidentRow> rowsView = FXCollections.unmodifiableObservableList(rows);
  private final ReadOnlyObjectWrapper<Incident> selected = new ReadOnlyObjectWrapper<>(this, "selected");
  private final ObservableList<String> timeline = FXCollections.observableArrayList();
  private final ObservableList<String> timelineView = FXCollections.unmodifiableObservableList(timeline);
  private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
  private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
  private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
  private final LiveRefresh live;

  public IncidentsViewModel(ConsoleContext ctx) {
    this(ctx, Coalescer.sharedScheduler());
  }

  /** With the scheduler that runs the deferred live refreshes (tests run them by hand). */
  public IncidentsViewModel(ConsoleContext ctx, Scheduler scheduler) {
    this.ctx = ctx;
    this.live = new LiveRefresh(ctx, scheduler, this::refresh,
        List.of(Events.INCIDENT_OPENED, Events.INCIDENT_UPDATED, Events.INCIDENT_CLOSED));
    stateFilter.addListener((o, a, b) -> refresh());
    kindFilter.addListener((o, a, b) -> refresh());
  }

  /** The screen is shown (refresh if anything changed meanwhile) or hidden (stop refreshing). */
  public void setShown(boolean visible) {
    live.setShown(visible);
  }

  /** Reloads the list (and the selected incident) from the server. */
  public void refresh() {
    live.reading();
    StateFilter state = stateFilter.get() == null ? StateFilter.ALL : stateFilter.get();
    String kind = kindFilter.get();
    Incident current = selected.get();
    ctx.ui().run(() -> loading.set(true));
    ctx.io().execute(() -> {
      try {
        Page<Incident> page = ctx.client().incidents(new Incident.Filter(state.wire(), kind, null, LIMIT), null);
        Incident detail = current == null ? null : ctx.client().incident(current.id());
        Instant now = ctx.clock().instant();
        List<IncidentRow> fresh = page.items().stream().map(i -> row(i, now)).toList();
        ctx.ui().run(() -> {
          rows.setAll(fresh);
          long open = fresh.stream().filter(IncidentRow::open).count();
          summary.set(fresh.size() + (page.hasMore() ? "+" : "") + " incidents, " + open + " open");
          if (detail != null && selected.get() != null && selected.get().id() == detail.id()) {
            show(detail);
          }
          error.set("");
          loading.set(false);
        });
      } catch (BackendException e) {
        ctx.ui().run(() -> {
          error.set(e.operatorMessage());
          loading.set(false);
        });
      }
    });
  }

  /** Shows incident {@code id} with its timeline (null or a negative id: none). */
  public void select(Long id) {
    if (id == null || id < 0) {
      selected.set(null);
      timeline.clear();
      return;
    }
    ctx.io().execute(() -> {
      try {
        Incident detail = ctx.client().incident(id);
        ctx.ui().run(() -> show(detail));
      } catch (BackendException e) {
        ctx.ui().run(() -> error.set(e.operatorMessage()));
      }
    });
  }

  private void show(Incident i) {
    selected.set(i);
    List<String> lines = new ArrayList<>();
    for (Incident.Entry e : i.timeline()) {
      String detail = OpsText.detail(e.detail());
      lines.add(OpsText.time(e.at()) + "  " + e.type() + "  " + (e.state() == null ? "" : e.state() + "  ")
          + (e.text() == null ? "" : e.text()) + (detail.isEmpty() || "opened".equals(e.type()) ? "" : "  (" + detail + ")"));
    }
    timeline.setAll(lines);
  }

  static IncidentRow row(Incident i, Instant now) {
    String duration = i.durationMs() != null
        ? OpsText.duration(Duration.ofMillis(i.durationMs()))
        : OpsText.since(i.openedAt(), now) + ", open";
    return new IncidentRow(
        i.id(), i.kind(), i.subject(), i.state(), i.severity(), i.currentState(), OpsText.time(i.openedAt()),
        duration, OpsText.cause(i.cause()), i);
  }

  @Override
  public void close() {
    live.close();
  }

  /** How many live refreshes ran (tests: the coalescing). */
  int liveRefreshes() {
    return live.runs();
  }

  // --- properties ---

  /** Input: open, closed or all. */
  public ObjectProperty<StateFilter> stateFilterProperty() {
    return stateFilter;
  }

  /** Input: {@code host}, {@code pool}, or null for both. */
  public ObjectProperty<String> kindFilterProperty() {
    return kindFilter;
  }

  public ObservableList<IncidentRow> rows() {
    return rowsView;
  }

  /** The selected incident with its timeline, or null. */
  public ReadOnlyObjectProperty<Incident> selectedProperty() {
    return selected.getReadOnlyProperty();
  }

  /** The selected incident's timeline, one line per entry, oldest first. */
  public ObservableList<String> timeline() {
    return timelineView;
  }

  /** The last error's operator message, or "". */
  public ReadOnlyStringProperty errorProperty() {
    return error.getReadOnlyProperty();
  }

  public ReadOnlyBooleanProperty loadingProperty() {
    return loading.getReadOnlyProperty();
  }

  /** "12 incidents, 3 open". */
  public ReadOnlyStringProperty summaryProperty() {
    return summary.getReadOnlyProperty();
  }
}

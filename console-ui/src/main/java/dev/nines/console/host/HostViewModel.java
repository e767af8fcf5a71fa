package dev.nines.console.host;

import dev.nines.console.app.Coalescer;
import dev.nines.console.app.Actions;
import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.Navigator;
import dev.nines.console.client.BackendException;
import dev.nines.console.client.Events;
import dev.nines.console.client.HealthHistory;
import dev.nines.console.client.RoutingHistory;
import dev.nines.console.client.Host;
import dev.nines.console.client.HostMetricsSeries;
import dev.nines.console.client.Scheduler;
import dev.nines.console.client.ServerEvent;
import dev.nines.protocol.GpuMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The host screen's state: header (id, pool, health and routing with reason and since), charts over a
 * chosen {@link HostRange}, the GPU table of the latest report, the health and routing history, and
 * which actions are allowed. Backend calls run on {@code ctx.io()}, state is published on
 * {@code ctx.ui()}; every property is read-only for the view.
 *
 * <p>Live: {@code report}, {@code health} and {@code routing} events of the shown host refresh the
 * header and append the latest buckets to the charts (at most one refresh a second); the whole range
 * is read again only when the host or the range changes, or on {@link #reload()}.
 */
public final class HostViewModel {
  /** The least time between two live refreshes. */
  public static final Duration LIVE_GAP = Duration.ofSeconds(1);
  /** How far back the history table reaches at least. */
  static final Duration HISTORY = Duration.ofHours(24);

  private final ConsoleContext ctx;
  private final Actions actions;
  private final Navigator navigator;
  private final Coalescer live;

  private final ReadOnlyStringWrapper hostId = new ReadOnlyStringWrapper(this, "hostId", "");
  private final ReadOnlyStringWrapper pool = new ReadOnlyStringWrapper(this, "pool", "");
  private final ReadOnlyStringWrapper health = new ReadOnlyStringWrapper(this, "health", "UNKNOWN");
  private final ReadOnlyStringWrapper healthDetail = new ReadOnlyStringWrapper(this, "healthDetail", "");
  private final ReadOnlyStringWrapper routing = new ReadOnlyStringWrapper(this, "routing", "");
  private final ReadOnlyStringWrapper routingDetail = new ReadOnlyStringWrapper(this, "routingDetail", "");
  private final ReadOnlyStringWrapper lastReport = new ReadOnlyStringWrapper(this, "lastReport", "");
  private final ReadOnlyObjectWrapper<HostRange> range = new ReadOnlyObjectWrapper<>(this, "range", HostRange.H1);
  private final ReadOnlyObjectWrapper<HostCharts> charts = new ReadOnlyObjectWrapper<>(this, "charts", HostCharts.EMPTY);
  private final ObservableList<GpuRow> gpus = FXCollections.observableArrayList();
  private final ObservableList<HistoryRow> history = FXCollections.observableArrayList();
  private final ReadOnlyBooleanWrapper drainDisabled = new ReadOnlyBooleanWrapper(this, "drainDisabled", true);
  private final ReadOnlyBooleanWrapper undrainDisabled = new ReadOnlyBooleanWrapper(this, "undrainDisabled", true);
  private final ReadOnlyBooleanWrapper maintenanceDisabled = new ReadOnlyBooleanWrapper(this, "maintenanceDisabled", true);
  private final ReadOnlyStringWrapper actionsNote = new ReadOnlyStringWrapper(this, "actionsNote", "");
  private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
  private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading", false);

  // I/O-side state, guarded by `this`
  private final AtomicLong generation = new AtomicLong();
  private final AtomicBoolean historyDirty = new AtomicBoolean();
  private final List<Runnable> subscriptions = new ArrayList<>();
  private volatile String current;
  private volatile HostRange currentRange = HostRange.H1;
  private HostMetricsSeries series;
  private List<HistoryRow> routingRows = List.of();
  private List<HealthHistory.Interval> healthRows = List.of();

  /** Counts for tests: whole-range reads and latest-bucket reads. */
  final AtomicInteger fullLoads = new AtomicInteger();
  final AtomicInteger tailLoads = new AtomicInteger();

  /** A view-model whose live refreshes are deferred on a daemon thread. */
  public HostViewModel(ConsoleContext ctx, Actions actions, Navigator navigator) {
    this(ctx, actions, navigator, Scheduler.daemon("nines-host-refresh"));
  }

  HostViewModel(ConsoleContext ctx, Actions actions, Navigator navigator, Scheduler scheduler) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.actions = Objects.requireNonNull(actions, "actions");
    this.navigator = Objects.requireNonNull(navigator, "navigator");
    this.live = new Coalescer(LIVE_GAP, ctx.clock(), scheduler, () -> ctx.io().execute(this::refreshLatest));
    updateActions();
  }

  // --- properties ---

  public ReadOnlyStringProperty hostIdProperty() {
    return hostId.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty poolProperty() {
    return pool.getReadOnlyProperty();
  }

  /** HEALTHY, DEGRADED, UNHEALTHY or UNKNOWN. */
  public ReadOnlyStringProperty healthProperty() {
    return health.getReadOnlyProperty();
  }

  /** The health's reason and since. */
  public ReadOnlyStringProperty healthDetailProperty() {
    return healthDetail.getReadOnlyProperty();
  }

  /** ACTIVE, DRAINING, DRAINED, MAINTENANCE, or empty before the host is read. */
  public ReadOnlyStringProperty routingProperty() {
    return routing.getReadOnlyProperty();
  }

  /** The routing's reason, who changed it and since. */
  public ReadOnlyStringProperty routingDetailProperty() {
    return routingDetail.getReadOnlyProperty();
  }

  /** When the latest report was collected. */
  public ReadOnlyStringProperty lastReportProperty() {
    return lastReport.getReadOnlyProperty();
  }

  public ReadOnlyObjectProperty<HostRange> rangeProperty() {
    return range.getReadOnlyProperty();
  }

  public ReadOnlyObjectProperty<HostCharts> chartsProperty() {
    return charts.getReadOnlyProperty();
  }

  /** The GPUs of the latest report (unmodifiable). */
  public ObservableList<GpuRow> gpus() {
    return FXCollections.unmodifiableObservableList(gpus);
  }

  /** The health and routing history, newest first (unmodifiable). */
  public ObservableList<HistoryRow> history() {
    return FXCollections.unmodifiableObservableList(history);
  }

  public ReadOnlyBooleanProperty drainDisabledProperty() {
    return drainDisabled.getReadOnlyProperty();
  }

  public ReadOnlyBooleanProperty undrainDisabledProperty() {
    return undrainDisabled.getReadOnlyProperty();
  }

  public ReadOnlyBooleanProperty maintenanceDisabledProperty() {
    return maintenanceDisabled.getReadOnlyProperty();
  }

  /** Why the actions are disabled (a viewer token), or empty. */
  public ReadOnlyStringProperty actionsNoteProperty() {
    return actionsNote.getReadOnlyProperty();
  }

  /** The last failure, one line for the operator, or empty. */
  public ReadOnlyStringProperty errorProperty() {
    return error.getReadOnlyProperty();
  }

  public ReadOnlyBooleanProperty loadingProperty() {
    return loading.getReadOnlyProperty();
  }

  // --- commands (UI thread) ---

  /** Shows {@code id}: reads its whole range. */
  public void showHost(String id) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("id is required");
    }
    current = id;
    synchronized (this) {
      series = null;
      routingRows = List.of();
      healthRows = List.of();
    }
    hostId.set(id);
    pool.set("");
    health.set("UNKNOWN");
    healthDetail.set("");
    routing.set("");
    routingDetail.set("");
    lastReport.set("");
    gpus.clear();
    history.clear();
    charts.set(HostCharts.EMPTY);
    updateActions();
    reload();
  }

  /** Shows the charts over {@code r}: reads the whole range again with its step. */
  public void setRange(HostRange r) {
    Objects.requireNonNull(r, "range");
    if (r == currentRange && current != null && charts.get() != HostCharts.EMPTY) {
      return;
    }
    currentRange = r;
    range.set(r);
    if (current != null) {
      reload();
    }
  }

  /** Reads the shown host's whole range again. */
  public void reload() {
    String id = current;
    if (id == null) {
      return;
    }
    long gen = generation.incrementAndGet();
    HostRange r = currentRange;
    loading.set(true);
    ctx.io().execute(() -> loadFull(id, r, gen));
  }

  /** Starts (true) or stops following the event stream; the screen calls it when shown and hidden. */
  public void setLive(boolean on) {
    synchronized (subscriptions) {
      subscriptions.forEach(Runnable::run);
      subscriptions.clear();
      if (on && ctx.events() != null) {
        subscriptions.add(ctx.events().onEvent(Events.REPORT, this::onReport));
        subscriptions.add(ctx.events().onEvent(Events.HEALTH, this::onHealth));
        subscriptions.add(ctx.events().onEvent(Events.ROUTING, this::onRouting));
      }
    }
    if (on && current != null) {
      historyDirty.set(true);
      live.request();
    }
  }

  public void drain() {
    if (!drainDisabled.get()) {
      actions.drain(current);
    }
  }

  public void undrain() {
    if (!undrainDisabled.get()) {
      actions.undrain(current);
    }
  }

  public void maintenance() {
    if (!maintenanceDisabled.get()) {
      actions.maintenance(current);
    }
  }

  /** Opens the host's pool. */
  public void openPool() {
    String p = pool.get();
    if (p != null && !p.isEmpty()) {
      navigator.showPool(p);
    }
  }

  // --- events (reader thread) ---

  private void onReport(ServerEvent e) {
    Events.Report r = e.as(Events.Report.class);
    if (r.hostId().equals(current)) {
      live.request();
    }
  }

  private void onHealth(ServerEvent e) {
    Events.Health h = e.as(Events.Health.class);
    if (!h.hostId().equals(current)) {
      return;
    }
    ctx.ui().run(
        () -> {
          if (h.hostId().equals(current)) {
            health.set(h.to());
            healthDetail.set(detail(h.reason(), Instant.ofEpochMilli(h.at())));
          }
        });
    historyDirty.set(true);
    live.request();
  }

  private void onRouting(ServerEvent e) {
    Events.Routing r = e.as(Events.Routing.class);
    if (!r.host().equals(current)) {
      return;
    }
    HistoryRow row = new HistoryRow(Instant.ofEpochMilli(r.at()), "routing", r.to(), r.changedBy(), r.reason(), "");
    ctx.ui().run(
        () -> {
          if (r.host().equals(current)) {
            routing.set(r.to());
            routingDetail.set(routingText(r.reason(), r.changedBy(), Instant.ofEpochMilli(r.at())));
            history.add(0, row);
            updateActions();
          }
        });
    historyDirty.set(true);
    live.request();
  }

  // --- loading (io thread) ---

  private void loadFull(String id, HostRange r, long gen) {
    fullLoads.incrementAndGet();
    try {
      Instant to = ctx.clock().instant();
      Instant from = to.minus(r.length());
      Host host = ctx.client().host(id);
      HostMetricsSeries s = ctx.client().hostMetrics(id, from, to, r.step(), HostCharts.METRICS.toArray(String[]::new));
      List<HealthHistory.Interval> intervals = readHealth(id, from, to);
      List<HistoryRow> routes = readRouting(id, from, to);
      HostCharts built;
      synchronized (this) {
        if (gen != generation.get()) {
          return;
        }
        series = s;
        healthRows = intervals;
        routingRows = routes;
        built = build(r, from, to);
      }
      List<HistoryRow> rows = historyRows(intervals, routes);
      publish(id, gen, host, built, rows, "");
    } catch (BackendException e) {
      fail(id, gen, e.operatorMessage());
    } catch (RuntimeException e) {
      fail(id, gen, "Could not read host " + id + ": " + e.getMessage());
    }
  }

  private void refreshLatest() {
    String id = current;
    long gen = generation.get();
    if (id == null) {
      return;
    }
    try {
      HostMetricsSeries base;
      synchronized (this) {
        base = series;
      }
      if (base == null) {
        return; // the full read is still under way: it brings everything
      }
      tailLoads.incrementAndGet();
      HostRange r = currentRange;
      Instant to = ctx.clock().instant();
      Instant from = to.minus(r.length());
      Host host = ctx.client().host(id);
      long tailFrom = lastBucket(base);
      HostMetricsSeries tail =
          ctx.client().hostMetrics(id, Instant.ofEpochMilli(tailFrom), to, Duration.ofMillis(base.step()),
              HostCharts.METRICS.toArray(String[]::new));
      boolean readHistory = historyDirty.getAndSet(false);
      List<HealthHistory.Interval> intervals = readHistory ? readHealth(id, from, to) : null;
      List<HistoryRow> routes = readHistory ? readRouting(id, from, to) : null;
      HostCharts built;
      List<HistoryRow> rows;
      synchronized (this) {
        if (gen != generation.get() || series == null) {
          return;
        }
        series = HostCharts.merge(series, tail, from.toEpochMilli());
        if (intervals != null) {
          healthRows = intervals;
          routingRows = routes;
        }
        built = build(r, from, to);
        rows = intervals == null ? null : historyRows(healthRows, routingRows);
      }
      publish(id, gen, host, built, rows, null);
    } catch (BackendException e) {
      fail(id, gen, e.operatorMessage());
    } catch (RuntimeException e) {
      fail(id, gen, "Could not refresh host " + id + ": " + e.getMessage());
    }
  }

  private List<HealthHistory.Interval> readHealth(String id, Instant from, Instant to) {
    Instant since = from.isBefore(to.minus(HISTORY)) ? from : to.minus(HISTORY);
    return ctx.client().hostHealth(id, since, to).intervals();
  }

  /**
   * The host's routing changes (drains, maintenance, quarantines, with who and why) from the
   * backend's routing intervals, which every reader may read.
   */
  private List<HistoryRow> readRouting(String id, Instant from, Instant to) {
    Instant since = from.isBefore(to.minus(HISTORY)) ? from : to.minus(HISTORY);
    List<HistoryRow> rows = new ArrayList<>();
    for (RoutingHistory.Interval i : ctx.client().hostRouting(id, since, to).intervals()) {
      rows.add(
          new HistoryRow(
              Instant.ofEpochMilli(i.from()), "routing", i.state(), i.changedBy(), i.reason() == null ? "" : i.reason(), ""));
    }
    return rows;
  }

  private static long lastBucket(HostMetricsSeries s) {
    long last = s.from();
    for (HostMetricsSeries.Series x : s.series()) {
      if (!x.points().isEmpty()) {
        last = Math.max(last, x.points().get(x.points().size() - 1).get(0).longValue());
      }
    }
    return last;
  }

  /** Holds `this`. */
  private HostCharts build(HostRange r, Instant from, Instant to) {
    return new HostCharts(
        from, to, Duration.ofMillis(series.step()), series.source(), HostCharts.charts(series),
        bands(healthRows, routingRows, to));
  }

  /** Outages and degraded stretches from the health intervals; maintenance and drained from routing. */
  static List<HostCharts.Shade> bands(List<HealthHistory.Interval> intervals, List<HistoryRow> routes, Instant now) {
    List<HostCharts.Shade> out = new ArrayList<>();
    for (HealthHistory.Interval i : intervals) {
      HostCharts.Shade.Kind kind =
          "UNHEALTHY".equals(i.state()) ? HostCharts.Shade.Kind.OUTAGE
              : "DEGRADED".equals(i.state()) ? HostCharts.Shade.Kind.DEGRADED : null;
      if (kind != null) {
        out.add(new HostCharts.Shade(
            Instant.ofEpochMilli(i.from()), i.to() == null ? null : Instant.ofEpochMilli(i.to()), kind,
            i.state().toLowerCase(java.util.Locale.ROOT)));
      }
    }
    List<HistoryRow> sorted = routes.stream().sorted(Comparator.comparing(HistoryRow::at)).toList();
    for (int k = 0; k < sorted.size(); k++) {
      HistoryRow row = sorted.get(k);
      if (row.state().equals("MAINTENANCE") || row.state().equals("DRAINED")) {
        Instant end = k + 1 < sorted.size() ? sorted.get(k + 1).at() : null;
        out.add(new HostCharts.Shade(row.at(), end, HostCharts.Shade.Kind.MAINTENANCE, row.state().toLowerCase(java.util.Locale.ROOT)));
      }
    }
    out.sort(Comparator.comparing(HostCharts.Shade::from));
    return out;
  }

  static List<HistoryRow> historyRows(List<HealthHistory.Interval> intervals, List<HistoryRow> routes) {
    List<HistoryRow> rows = new ArrayList<>(routes);
    for (HealthHistory.Interval i : intervals) {
      rows.add(new HistoryRow(
          Instant.ofEpochMilli(i.from()), "health", i.state(), String.join(", ", i.rules()), i.reason(),
          i.figures() == null || i.figures().isEmpty() ? "" : i.figures().toString()));
    }
    rows.sort(Comparator.comparing(HistoryRow::at).reversed());
    return rows;
  }

  // --- publishing ---

  private void publish(String id, long gen, Host host, HostCharts built, List<HistoryRow> rows, String clearError) {
    List<GpuRow> gpuRows = new ArrayList<>();
    if (host.gpu() != null) {
      for (GpuMetrics g : host.gpu().gpus()) {
        gpuRows.add(GpuRow.of(g));
      }
    }
    Instant now = ctx.clock().instant();
    ctx.ui().run(
        () -> {
          if (!id.equals(current) || gen != generation.get()) {
            return;
          }
          pool.set(host.pool() == null ? "" : host.pool());
          Host.Health h = host.health();
          health.set(h == null || h.state() == null ? "UNKNOWN" : h.state());
          healthDetail.set(h == null ? "" : detail(h.reason(), h.since() == null ? null : Instant.ofEpochMilli(h.since())));
          Host.Routing r = host.routing();
          routing.set(r == null || r.state() == null ? "ACTIVE" : r.state());
          routingDetail.set(r == null ? "" : routingText(r.reason(), r.changedBy(), Instant.ofEpochMilli(r.changedAtMs())));
          lastReport.set("last report " + Formats.since(Instant.ofEpochMilli(host.lastCollectedAtMs()), now).substring(6));
          if (!gpus.equals(gpuRows)) {
            gpus.setAll(gpuRows);
          }
          if (rows != null) {
            history.setAll(rows);
          }
          charts.set(built);
          if (clearError != null) {
            error.set(clearError);
          }
          loading.set(false);
          updateActions();
        });
  }

  private void fail(String id, long gen, String message) {
    ctx.ui().run(
        () -> {
          if (id.equals(current) && gen == generation.get()) {
            error.set(message);
            loading.set(false);
          }
        });
  }

  private String detail(String reason, Instant since) {
    String s = Formats.since(since, ctx.clock().instant());
    if (reason == null || reason.isBlank()) {
      return s;
    }
    return s.isEmpty() ? reason : reason + " · " + s;
  }

  private String routingText(String reason, String by, Instant since) {
    String who = by == null || by.isBlank() ? "" : "by " + by;
    String why = reason == null || reason.isBlank() ? who : who.isEmpty() ? reason : reason + " (" + who + ")";
    return detail(why, since);
  }

  /** Which actions the routing state allows, all off for a viewer (with the reason). UI thread. */
  private void updateActions() {
    String state = routing.get();
    boolean known = current != null && state != null && !state.isEmpty();
    boolean may = ctx.me().mayOperate();
    drainDisabled.set(!(may && known && state.equals("ACTIVE")));
    undrainDisabled.set(!(may && known && !state.equals("ACTIVE")));
    maintenanceDisabled.set(!(may && known && !state.equals("MAINTENANCE")));
    actionsNote.set(ctx.me().whyNotOperate().orElse(""));
  }
}

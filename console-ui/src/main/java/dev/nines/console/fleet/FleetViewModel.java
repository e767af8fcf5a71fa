package dev.nines.console.fleet;

import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.Navigator;
import dev.nines.console.client.BackendException;
import dev.nines.console.client.Events;
import dev.nines.console.client.Host;
import dev.nines.console.client.Scheduler;
import dev.nines.console.client.ServerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * The fleet: every host with its health, routing and figures, each figure with the samples of the
 * last minutes (kept here, per host, from the reports seen), filtered by pool, state and text.
 *
 * <p>Live and cheap for 1,000 hosts: {@code report}, {@code health} and {@code routing} events only
 * mark a host dirty; at most once a second the dirty hosts are fetched (one {@code GET /hosts} when
 * many are, else one {@code GET /hosts/{id}} each) on the io executor, and the changes are published
 * to the UI thread as one batch that touches only the properties that changed. Every
 * {@link #FULL_REFRESH} the whole fleet is read again (hosts added or removed, missed events).
 */
public final class FleetViewModel implements AutoCloseable {
  /** The state filter's choices: a host matches when its health or its routing state is the one chosen. */
  public static final List<String> STATES =
      List.of("HEALTHY", "DEGRADED", "UNHEALTHY", "UNKNOWN", "ACTIVE", "DRAINING", "DRAINED", "MAINTENANCE");

  /** At most one fetch of changed hosts per this. */
  public static final Duration COALESCE = Duration.ofSeconds(1);
  /** The whole fleet is read again this often. */
  public static final Duration FULL_REFRESH = Duration.ofSeconds(30);
  /** Above this many changed hosts, one {@code GET /hosts} replaces the single reads. */
  static final int SINGLE_READS_MAX = 16;
  /** Up to this many hosts, the first load reads each host's last minutes for its sparklines. */
  static final int BACKFILL_MAX = 200;

  private final ConsoleContext ctx;
  private final Navigator navigator;
  private final Scheduler scheduler;
  private final LiveOrder order;

  // UI thread
  private final ObservableList<FleetRow> rows = FXCollections.observableArrayList();
  private final FilteredList<FleetRow> visible = new FilteredList<>(rows);
  private final Map<String, FleetRow> byId = new HashMap<>();
  private final ObservableList<String> pools = FXCollections.observableArrayList();
  private final StringProperty poolFilter = new SimpleStringProperty(this, "poolFilter", "");
  private final StringProperty stateFilter = new SimpleStringProperty(this, "stateFilter", "");
  private final StringProperty textFilter = new SimpleStringProperty(this, "textFilter", "");
  private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
  private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
  private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper(this, "revision");
  private final ReadOnlyIntegerWrapper hostCount = new ReadOnlyIntegerWrapper(this, "hostCount");
  private final ReadOnlyObjectWrapper<Instant> updatedAt = new ReadOnlyObjectWrapper<>(this, "updatedAt");

  // io side
  private final Object fetchLock = new Object();
  private final Map<String, History> histories = new HashMap<>(); // guarded by fetchLock
  private final Set<String> dirty = new HashSet<>(); // guarded by itself
  private final AtomicBoolean flushPending = new AtomicBoolean();
  private final List<Runnable> subscriptions = new ArrayList<>();
  private volatile boolean active = true;
  private volatile boolean closed;
  private volatile long lastFlushMs;
  private final AtomicBoolean backfilled = new AtomicBoolean();
  private Scheduler.Cancellable periodic;

  /**
   * @param ctx client, events, UI and io executors, clock
   * @param navigator opens a host
   * @param scheduler runs the coalesced fetches and the periodic full refresh
   */
  public FleetViewModel(ConsoleContext ctx, Navigator navigator, Scheduler scheduler) {
    this.ctx = ctx;
    this.navigator = navigator;
    this.scheduler = scheduler;
    this.order = new LiveOrder(ctx.clock(), scheduler, ctx.ui());
    revision.addListener((o, was, now) -> order.changed());
    poolFilter.addListener(o -> refilter());
    stateFilter.addListener(o -> refilter());
    textFilter.addListener(o -> refilter());
  }

  // --- what the view binds ---

  /** Every host, in the order first seen. */
  public ObservableList<FleetRow> rows() {
    return FXCollections.unmodifiableObservableList(rows);
  }

  /** The hosts that pass the filters (read-only; the view sorts it). */
  public ObservableList<FleetRow> visibleRows() {
    return visible;
  }

  /** The pools seen, sorted. */
  public ObservableList<String> pools() {
    return FXCollections.unmodifiableObservableList(pools);
  }

  /** The pool shown, empty for every pool. */
  public StringProperty poolFilterProperty() {
    return poolFilter;
  }

  /** One of {@link #STATES}, empty for any state. */
  public StringProperty stateFilterProperty() {
    return stateFilter;
  }

  /** Words the host id, pool or labels must contain (case-insensitive), empty for no filter. */
  public StringProperty textFilterProperty() {
    return textFilter;
  }

  public ReadOnlyBooleanProperty loadingProperty() {
    return loading.getReadOnlyProperty();
  }

  /** The last refresh's problem (one line for people), empty when it worked. */
  public ReadOnlyStringProperty errorProperty() {
    return error.getReadOnlyProperty();
  }

  /** When the view may re-sort: paused under the pointer or a selection, else at most every 2 s. */
  public LiveOrder liveOrder() {
    return order;
  }

  /** Counts the batches applied (each may change the order: see {@link #liveOrder()}). */
  public ReadOnlyLongProperty revisionProperty() {
    return revision.getReadOnlyProperty();
  }

  public ReadOnlyIntegerProperty hostCountProperty() {
    return hostCount.getReadOnlyProperty();
  }

  /** When the last batch was applied. */
  public ReadOnlyObjectProperty<Instant> updatedAtProperty() {
    return updatedAt.getReadOnlyProperty();
  }

  /** The row of {@code hostId}, or null (UI thread). */
  public FleetRow row(String hostId) {
    return byId.get(hostId);
  }

  // --- commands ---

  /** Subscribes to the live events, reads the whole fleet, and schedules the periodic refresh. */
  public void start() {
    if (ctx.events() != null) {
      subscriptions.add(ctx.events().onEvent(Events.REPORT, this::onReport));
      subscriptions.add(ctx.events().onEvent(Events.HEALTH, this::onHealth));
      subscriptions.add(ctx.events().onEvent(Events.ROUTING, this::onRouting));
    }
    refresh();
    schedulePeriodic();
  }

  /** Reads the whole fleet again now (in the background). */
  public void refresh() {
    ctx.ui().run(() -> loading.set(true));
    ctx.io().execute(this::fetchAll);
  }

  /** Opens the host's screen. */
  public void open(FleetRow row) {
    if (row != null) {
      navigator.showHost(row.id());
    }
  }

  /** While hidden, changes are only noted; shown again, they are fetched. */
  public void setActive(boolean value) {
    active = value;
    if (value) {
      scheduleFlush();
    }
  }

  /** Stops listening and refreshing. */
  @Override
  public void close() {
    closed = true;
    ctx.ui().run(order::close);
    subscriptions.forEach(Runnable::run);
    subscriptions.clear();
    synchronized (this) {
      if (periodic != null) {
        periodic.cancel();
      }
    }
  }

  /**
   * Applies hosts read from anywhere (the backend, or a synthetic source in the benchmark): keeps each
   * host's history, then publishes one batch to the UI thread. Any thread; calls are serialised.
   *
   * @param complete whether {@code hosts} is the whole fleet (hosts not in it are removed)
   */
  public void accept(Collection<Host> hosts, boolean complete) {
    List<Update> updates = new ArrayList<>(hosts.size());
    synchronized (fetchLock) {
      Double[] values = new Double[Metric.values().length];
      for (Host h : hosts) {
        History hist = histories.computeIfAbsent(h.id(), k -> new History());
        if (h.lastSeq() != hist.lastSeq) {
          Metric[] all = Metric.values();
          for (int m = 0; m < all.length; m++) {
            values[m] = all[m].of(h);
          }
          hist.append(values);
          hist.lastSeq = h.lastSeq();
        }
        updates.add(new Update(h, hist.lastSeq, hist.version, hist.samples));
      }
      Set<String> gone = Set.of();
      if (complete) {
        Set<String> seen = new HashSet<>();
        hosts.forEach(h -> seen.add(h.id()));
        gone = new HashSet<>(histories.keySet());
        gone.removeAll(seen);
        histories.keySet().removeAll(gone);
      }
      Set<String> removed = gone;
      ctx.ui().run(() -> apply(updates, removed));
    }
  }

  private record Update(Host host, long seq, long version, Sample[] samples) {}

  /**
   * Gives each host (of a fleet of at most {@link #BACKFILL_MAX}) the last minutes of its figures from
   * the stored series, so the sparklines do not start empty; then publishes them. Runs on io.
   */
  void backfill(List<Host> hosts) {
    if (hosts.size() > BACKFILL_MAX) {
      return; // a big fleet's lines fill from the reports as they come
    }
    Instant to = ctx.clock().instant();
    Instant from = to.minus(Backfill.WINDOW);
    List<Update> seeded = new ArrayList<>();
    for (Host h : hosts) {
      if (closed) {
        return;
      }
      List<Double[]> past;
      try {
        past = Backfill.rows(ctx.client().hostMetrics(h.id(), from, to, Backfill.STEP, Backfill.NAMES));
      } catch (BackendException e) {
        continue; // no stored series (yet): the line fills from the reports
      }
      synchronized (fetchLock) {
        History hist = histories.get(h.id());
        if (hist != null && hist.seed(past)) {
          seeded.add(new Update(h, hist.lastSeq, hist.version, hist.samples));
        }
      }
    }
    if (!seeded.isEmpty()) {
      ctx.ui().run(() -> {
        for (Update u : seeded) {
          FleetRow row = byId.get(u.host().id());
          if (row != null) {
            row.setSamples(u.seq(), u.version(), u.samples());
          }
        }
        revision.set(revision.get() + 1);
      });
    }
  }

  // --- UI thread ---

  private void apply(List<Update> updates, Set<String> removed) {
    List<FleetRow> added = new ArrayList<>();
    boolean poolsChanged = false;
    for (Update u : updates) {
      Host h = u.host();
      FleetRow row = byId.get(h.id());
      if (row == null) {
        row = new FleetRow(h.id());
        byId.put(h.id(), row);
        added.add(row);
      }
      String pool = h.pool() == null ? "" : h.pool();
      if (!pool.equals(row.pool())) {
        poolsChanged = true;
        row.setPool(pool);
      }
      Host.Health health = h.health();
      row.setHealth(health == null ? null : health.state(), health == null ? null : health.reason());
      Host.Routing routing = h.routing();
      row.setRouting(routing == null ? null : routing.state(), routing == null ? null : routingText(routing.reason(), routing.changedBy()));
      row.setSamples(u.seq(), u.version(), u.samples());
    }
    if (!added.isEmpty()) {
      rows.addAll(added);
      poolsChanged = true;
    }
    if (!removed.isEmpty()) {
      rows.removeIf(r -> removed.contains(r.id()));
      byId.keySet().removeAll(removed);
      poolsChanged = true;
    }
    if (poolsChanged) {
      TreeSet<String> names = new TreeSet<>();
      for (FleetRow r : rows) {
        if (!r.pool().isEmpty()) {
          names.add(r.pool());
        }
      }
      if (!pools.equals(new ArrayList<>(names))) {
        pools.setAll(names);
      }
    }
    hostCount.set(rows.size());
    if (!stateFilter.get().isEmpty() || poolsChanged) {
      refilter(); // states (and pools) move under a filter on them
    }
    updatedAt.set(ctx.clock().instant());
    revision.set(revision.get() + 1);
  }

  private static String routingText(String reason, String by) {
    if (reason == null && by == null) {
      return null;
    }
    return (reason == null ? "" : reason) + (by == null ? "" : " (" + by + ")");
  }

  private void refilter() {
    visible.setPredicate(predicate(poolFilter.get(), stateFilter.get(), textFilter.get()));
  }

  /** The filter as a predicate. Pure. */
  static Predicate<FleetRow> predicate(String pool, String state, String text) {
    String p = pool == null ? "" : pool.strip();
    String s = state == null ? "" : state.strip();
    String[] words = text == null || text.isBlank() ? new String[0] : text.strip().toLowerCase(Locale.ROOT).split("\\s+");
    return r -> {
      if (!p.isEmpty() && !p.equals(r.pool())) {
        return false;
      }
      if (!s.isEmpty() && !s.equalsIgnoreCase(r.health()) && !s.equalsIgnoreCase(r.routing())) {
        return false;
      }
      for (String w : words) {
        if (!r.id().toLowerCase(Locale.ROOT).contains(w) && !r.pool().toLowerCase(Locale.ROOT).contains(w)
            && !r.health().toLowerCase(Locale.ROOT).contains(w) && !r.routing().toLowerCase(Locale.ROOT).contains(w)) {
          return false;
        }
      }
      return true;
    };
  }

  // --- events (reader thread) ---

  private void onReport(ServerEvent e) {
    markDirty(e.as(Events.Report.class).hostId());
  }

  private void onHealth(ServerEvent e) {
    Events.Health h = e.as(Events.Health.class);
    ctx.ui().run(
        () -> {
          FleetRow r = byId.get(h.hostId());
          if (r != null) {
            r.setHealth(h.to(), h.reason());
            revision.set(revision.get() + 1);
          }
        });
    markDirty(h.hostId());
  }

  private void onRouting(ServerEvent e) {
    Events.Routing r = e.as(Events.Routing.class);
    ctx.ui().run(
        () -> {
          FleetRow row = byId.get(r.host());
          if (row != null) {
            row.setRouting(r.to(), routingText(r.reason(), r.changedBy()));
            revision.set(revision.get() + 1);
          }
        });
    markDirty(r.host());
  }

  /** Notes that {@code hostId} changed; its figures are fetched within {@link #COALESCE}. */
  void markDirty(String hostId) {
    if (hostId == null) {
      return;
    }
    synchronized (dirty) {
      dirty.add(hostId);
    }
    scheduleFlush();
  }

  private void scheduleFlush() {
    if (closed || !active) {
      return;
    }
    synchronized (dirty) {
      if (dirty.isEmpty()) {
        return;
      }
    }
    if (flushPending.compareAndSet(false, true)) {
      long since = ctx.clock().millis() - lastFlushMs;
      long delay = Math.max(50, COALESCE.toMillis() - since);
      scheduler.schedule(() -> ctx.io().execute(this::flush), Duration.ofMillis(delay));
    }
  }

  /** Fetches the hosts marked dirty (one request for many). Runs on io. */
  void flush() {
    flushPending.set(false);
    if (closed) {
      return;
    }
    if (!active) {
      return; // kept dirty until shown again
    }
    lastFlushMs = ctx.clock().millis();
    List<String> ids;
    synchronized (dirty) {
      ids = new ArrayList<>(dirty);
      dirty.clear();
    }
    if (ids.isEmpty()) {
      return;
    }
    try {
      if (ids.size() > SINGLE_READS_MAX) {
        accept(ctx.client().hosts(), true);
      } else {
        List<Host> hosts = new ArrayList<>();
        for (String id : ids) {
          try {
            hosts.add(ctx.client().host(id));
          } catch (BackendException e) {
            if (e.kind() != BackendException.Kind.NOT_FOUND) {
              throw e;
            }
          }
        }
        accept(hosts, false);
      }
      ctx.ui().run(() -> error.set(""));
    } catch (BackendException e) {
      ctx.ui().run(() -> error.set("Cannot refresh the fleet: " + e.operatorMessage()));
    } catch (RuntimeException e) {
      ctx.ui().run(() -> error.set("Cannot refresh the fleet: " + e));
    }
  }

  private void fetchAll() {
    try {
      if (!closed) {
        List<Host> hosts = ctx.client().hosts();
        accept(hosts, true);
        ctx.ui().run(() -> error.set(""));
        if (backfilled.compareAndSet(false, true)) {
          backfill(hosts);
        }
      }
    } catch (BackendException e) {
      ctx.ui().run(() -> error.set("Cannot read the fleet: " + e.operatorMessage()));
    } catch (RuntimeException e) {
      ctx.ui().run(() -> error.set("Cannot read the fleet: " + e));
    } finally {
      ctx.ui().run(() -> loading.set(false));
    }
  }

  private synchronized void schedulePeriodic() {
    if (closed) {
      return;
    }
    periodic =
        scheduler.schedule(
            () -> {
              if (active && !closed) {
                ctx.io().execute(this::fetchAll);
              }
              schedulePeriodic();
            },
            FULL_REFRESH);
  }
}

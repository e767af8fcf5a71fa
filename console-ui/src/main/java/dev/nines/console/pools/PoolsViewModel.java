package dev.nines.console.pools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nines.console.app.Actions;
import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.Navigator;
import dev.nines.console.client.BackendException;
import dev.nines.console.client.Events;
import dev.nines.console.client.Pool;
import dev.nines.console.client.PoolRouting;
import dev.nines.console.client.Scheduler;
import dev.nines.console.app.Coalescer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The pools screen's state: every pool (state, members up / required, availability 1 h / 1 d / 30 d)
 * and the selected one's SLO, error budget, burn-rate conditions, N+1, members and sides, with whether
 * a failover may be started. Backend calls on {@code ctx.io()}, state published on {@code ctx.ui()}.
 * Live: {@code pool.state}, {@code health} and {@code routing} events refresh the list and the
 * selected pool, at most once a second.
 */
public final class PoolsViewModel {
  /** The least time between two live refreshes. */
  public static final Duration LIVE_GAP = Duration.ofSeconds(1);
  /** The windows the screen shows. */
  public static final List<String> WINDOWS = List.of("1h", "1d", "30d");

  private final ConsoleContext ctx;
  private final Actions actions;
  private final Navigator navigator;
  private final Coalescer live;
  private final List<Runnable> subscriptions = new ArrayList<>();
  private volatile String current;

  private final ObservableList<PoolRow> pools = FXCollections.observableArrayList();
  private final ObservableList<MemberRow> members = FXCollections.observableArrayList();
  private final ReadOnlyStringWrapper selected = new ReadOnlyStringWrapper(this, "selected", "");
  private final ReadOnlyObjectWrapper<PoolDetail> detail = new ReadOnlyObjectWrapper<>(this, "detail");
  private final ReadOnlyBooleanWrapper failoverDisabled = new ReadOnlyBooleanWrapper(this, "failoverDisabled", true);
  private final ReadOnlyStringWrapper failoverNote = new ReadOnlyStringWrapper(this, "failoverNote", "");
  private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");

  /** Counts backend refreshes (tests). */
  final AtomicInteger loads = new AtomicInteger();

  public PoolsViewModel(ConsoleContext ctx, Actions actions, Navigator navigator) {
    this(ctx, actions, navigator, Scheduler.daemon("nines-pools-refresh"));
  }

  PoolsViewModel(ConsoleContext ctx, Actions actions, Navigator navigator, Scheduler scheduler) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.actions = Objects.requireNonNull(actions, "actions");
    this.navigator = Objects.requireNonNull(navigator, "navigator");
    this.live = new Coalescer(LIVE_GAP, ctx.clock(), scheduler, () -> ctx.io().execute(this::load));
    updateFailover();
  }

  /** Every pool, by name (unmodifiable). */
  public ObservableList<PoolRow> pools() {
    return FXCollections.unmodifiableObservableList(pools);
  }

  /** The selected pool's members (unmodifiable). */
  public ObservableList<MemberRow> members() {
    return FXCollections.unmodifiableObservableList(members);
  }

  /** The selected pool's name, empty when none. */
  public ReadOnlyStringProperty selectedProperty() {
    return selected.getReadOnlyProperty();
  }

  /** The selected pool's figures, null before it is read. */
  public ReadOnlyObjectProperty<PoolDetail> detailProperty() {
    return detail.getReadOnlyProperty();
  }

  public ReadOnlyBooleanProperty failoverDisabledProperty() {
    return failoverDisabled.getReadOnlyProperty();
  }

  /** Why failover is disabled (a viewer, no sides, one under way), or empty. */
  public ReadOnlyStringProperty failoverNoteProperty() {
    return failoverNote.getReadOnlyProperty();
  }

  /** The last failure, one line for the operator, or empty. */
  public ReadOnlyStringProperty errorProperty() {
    return error.getReadOnlyProperty();
  }

  // --- commands (UI thread) ---

  /** Reads the list (and the selected pool) again. */
  public void refresh() {
    ctx.io().execute(this::load);
  }

  /** Selects {@code pool} and reads its figures. */
  public void select(String pool) {
    if (pool == null || pool.isBlank() || pool.equals(current)) {
      return;
    }
    current = pool;
    selected.set(pool);
    detail.set(null);
    members.clear();
    updateFailover();
    refresh();
  }

  /** Opens a member's host screen. */
  public void openHost(String hostId) {
    if (hostId != null && !hostId.isBlank()) {
      navigator.showHost(hostId);
    }
  }

  /** Asks the actions to fail the selected pool over (they confirm with the dry run). */
  public void failover() {
    if (!failoverDisabled.get() && current != null) {
      actions.failover(current);
    }
  }

  /** Starts (true) or stops following the event stream; the screen calls it when shown and hidden. */
  public void setLive(boolean on) {
    synchronized (subscriptions) {
      subscriptions.forEach(Runnable::run);
      subscriptions.clear();
      if (on && ctx.events() != null) {
        for (String type : List.of(Events.POOL_STATE, Events.HEALTH, Events.ROUTING, "failover")) {
          subscriptions.add(ctx.events().onEvent(type, e -> live.request()));
        }
      }
    }
    if (on) {
      live.request();
    }
  }

  // --- loading (io thread) ---

  private void load() {
    loads.incrementAndGet();
    String name = current;
    try {
      List<PoolRow> rows = ctx.client().pools().stream().map(PoolsViewModel::row).toList();
      PoolDetail d = null;
      List<MemberRow> memberRows = List.of();
      if (name != null) {
        Pool pool = ctx.client().pool(name);
        PoolRouting routing = ctx.client().poolRouting(name);
        d = detail(pool, routing);
        memberRows = members(pool, routing);
      }
      PoolDetail fd = d;
      List<MemberRow> fm = memberRows;
      ctx.ui().run(
          () -> {
            if (!pools.equals(rows)) {
              pools.setAll(rows);
            }
            if (current == null && !rows.isEmpty()) {
              select(rows.get(0).name()); // the first pool, so that the screen never opens empty
            }
            if (name != null && name.equals(current)) {
              detail.set(fd);
              if (!members.equals(fm)) {
                members.setAll(fm);
              }
            }
            error.set("");
            updateFailover();
          });
    } catch (BackendException e) {
      ctx.ui().run(() -> error.set(e.operatorMessage()));
    } catch (RuntimeException e) {
      ctx.ui().run(() -> error.set("Could not read the pools: " + e.getMessage()));
    }
  }

  static PoolRow row(Pool p) {
    Map<String, Double> a = p.availability();
    return new PoolRow(
        p.name(), p.state(), p.membersUp(), p.memberCount(), p.guard() == null ? 0 : p.guard().required(),
        a.get("1h"), a.get("1d"), a.get("30d"), p.slo() == null ? null : p.slo().target());
  }

  static PoolDetail detail(Pool p, PoolRouting r) {
    Pool.Slo slo = p.slo();
    PoolRouting.NPlusOne n = r.nPlusOne();
    String nText =
        n == null ? "N+1 not known"
            : (n.ok() ? "N+1 ok: " : "N+1 at risk: ")
                + (n.reason() == null || n.reason().isBlank() ? n.serving() + " serving, " + n.required() + " required" : n.reason());
    boolean underWay = r.failover() != null && !r.failover().isNull() && !r.failover().isMissingNode();
    String failover = underWay ? "Failover under way: " + describe(r.failover()) : r.lastFailover() == null || r.lastFailover().isNull() ? "" : "Last failover: " + describe(r.lastFailover());
    return new PoolDetail(
        p.name(), p.state(), p.membersUp(), p.memberCount(), p.guard() == null ? 0 : p.guard().required(),
        p.availability(), slo == null ? 0.999 : slo.target(), slo == null ? "" : slo.period(),
        slo == null ? null : slo.budgetRemaining(), slo == null ? Map.of() : slo.burnRates(),
        slo == null ? List.of() : slo.conditions(), n == null ? null : n.ok(), nText, r.sides(), r.activeSide(),
        failover, underWay);
  }

  private static String describe(JsonNode n) {
    StringBuilder sb = new StringBuilder();
    n.fields().forEachRemaining(e -> {
      if (e.getValue().isValueNode()) {
        sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue().asText());
      }
    });
    return sb.toString();
  }

  static List<MemberRow> members(Pool p, PoolRouting r) {
    List<MemberRow> out = new ArrayList<>();
    for (Pool.Member m : p.members()) {
      String side = "";
      for (Map.Entry<String, List<String>> s : r.sides().entrySet()) {
        if (s.getValue().contains(m.id())) {
          side = s.getKey();
        }
      }
      out.add(new MemberRow(m.id(), m.health(), m.routing(), m.routingReason(), m.serving(), side));
    }
    return out;
  }

  /** UI thread. */
  private void updateFailover() {
    PoolDetail d = detail.get();
    String why =
        ctx.me().whyNotOperate()
            .orElse(d == null ? "Select a pool"
                : d.sides().isEmpty() ? "Pool " + d.name() + " has no failover sides (pools.<name>.sides in the config)"
                : d.failoverUnderWay() ? "A failover of " + d.name() + " is under way" : "");
    failoverDisabled.set(!why.isEmpty());
    failoverNote.set(why);
  }
}

package dev.nines.server.metrics;

import dev.nines.protocol.RoutingState;
import dev.nines.server.availability.Availability;
import dev.nines.server.availability.BurnWindow;
import dev.nines.server.availability.CapacityGuard;
import dev.nines.server.availability.DegradedPolicy;
import dev.nines.server.availability.HostTimeline;
import dev.nines.server.availability.Slo;
import dev.nines.server.availability.SloStatus;
import dev.nines.server.availability.StateChange;
import dev.nines.server.availability.Window;
import dev.nines.server.health.Health;
import dev.nines.server.store.HealthInterval;
import dev.nines.server.store.HealthRecord;
import dev.nines.server.store.HostRecord;
import dev.nines.server.store.RoutingRecord;
import dev.nines.server.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * A stand-in {@link PoolFiguresSource} computed from what the store keeps today: each host's exact
 * health intervals and its current routing state, with one SLO, capacity guard and degraded policy
 * for every pool. Routing history is not stored yet, so a host counts as ACTIVE until its current
 * routing state's {@code changedAtMs} and in that state afterwards. To be replaced by the pool
 * service.
 */
public final class StoredPoolFigures implements PoolFiguresSource {
  /** The windows of {@code nines_pool_availability_ratio}. */
  static final Map<String, Duration> AVAILABILITY_WINDOWS =
      orderedOf("1h", Duration.ofHours(1), "1d", Duration.ofDays(1), "30d", Duration.ofDays(30));

  private final Store store;
  private final Slo slo;
  private final CapacityGuard guard;
  private final DegradedPolicy policy;

  public StoredPoolFigures(Store store, Slo slo, CapacityGuard guard, DegradedPolicy policy) {
    if (store == null || slo == null || guard == null || policy == null) {
      throw new IllegalArgumentException("store, slo, guard and policy are required");
    }
    this.store = store;
    this.slo = slo;
    this.guard = guard;
    this.policy = policy;
  }

  /** Defaults until pools are configured: 99.9 % over 30 days, one member needed, DEGRADED is up. */
  public static StoredPoolFigures withDefaults(Store store) {
    return new StoredPoolFigures(store, new Slo(0.999, Duration.ofDays(30)), CapacityGuard.atLeast(1), DegradedPolicy.UP);
  }

  @Override
  public List<PoolFigures> snapshot(Instant now) {
    Map<String, List<HostRecord>> byPool = new TreeMap<>();
    for (HostRecord h : store.hosts()) {
      if (h.pool() != null) {
        byPool.computeIfAbsent(h.pool(), p -> new ArrayList<>()).add(h);
      }
    }
    Map<String, HealthRecord> health = store.currentHealth();
    long longest = Math.max(slo.period().toMillis(), BurnWindow.D3.duration().toMillis());
    for (Duration d : AVAILABILITY_WINDOWS.values()) {
      longest = Math.max(longest, d.toMillis());
    }
    long fromMs = now.toEpochMilli() - longest;
    List<PoolFigures> out = new ArrayList<>();
    for (Map.Entry<String, List<HostRecord>> e : byPool.entrySet()) {
      List<HostTimeline> members = new ArrayList<>();
      for (HostRecord h : e.getValue()) {
        members.add(timeline(h, store.healthIntervals(h.id(), fromMs, now.toEpochMilli() + 1)));
      }
      out.add(figures(e.getKey(), e.getValue(), members, health, now));
    }
    return out;
  }

  PoolFigures figures(
      String pool, List<HostRecord> hosts, List<HostTimeline> members, Map<String, HealthRecord> health, Instant now) {
    Map<Window, OptionalDouble> memo = new HashMap<>();
    java.util.function.Function<Window, OptionalDouble> over =
        w -> memo.computeIfAbsent(w, x -> Availability.pool(members, List.of(), guard, x, policy).availability());
    Map<String, Double> availability = new LinkedHashMap<>();
    for (Map.Entry<String, Duration> w : AVAILABILITY_WINDOWS.entrySet()) {
      OptionalDouble a = over.apply(Window.ending(now, w.getValue()));
      if (a.isPresent()) {
        availability.put(w.getKey(), a.getAsDouble());
      }
    }
    SloStatus status = Availability.slo(slo, now, over);
    Map<String, Double> burn = new LinkedHashMap<>();
    for (BurnWindow w : BurnWindow.values()) {
      OptionalDouble r = status.burnRate(w);
      if (r.isPresent()) {
        burn.put(w.label(), r.getAsDouble());
      }
    }
    OptionalDouble remaining = status.budgetRemaining();
    int up = 0;
    int upOrDegraded = 0;
    int maintenance = 0;
    int judged = 0;
    for (HostRecord h : hosts) {
      HealthRecord r = health.get(h.id());
      if (h.routing().state() == RoutingState.MAINTENANCE) {
        maintenance++;
        continue;
      }
      if (r == null) {
        continue;
      }
      judged++;
      if (h.routing().state() != RoutingState.ACTIVE) {
        continue;
      }
      Health s = Health.valueOf(r.state());
      if (s == Health.HEALTHY || (s == Health.DEGRADED && policy.degradedIsUp())) {
        up++;
      }
      if (s == Health.HEALTHY || s == Health.DEGRADED) {
        upOrDegraded++;
      }
    }
    int required = guard.requiredOf(hosts.size());
    String state;
    if (up >= required) {
      state = "UP";
    } else if (upOrDegraded >= required) {
      state = "DEGRADED";
    } else if (up + maintenance >= required) {
      state = "MAINTENANCE";
    } else if (judged == 0 && maintenance == 0) {
      state = "UNKNOWN";
    } else {
      state = "DOWN";
    }
    return new PoolFigures(
        pool, availability, remaining.isPresent() ? remaining.getAsDouble() : null, burn, state, hosts.size(), up);
  }

  /** A host's exact health changes, each paired with the routing state it had then. */
  static HostTimeline timeline(HostRecord host, List<HealthInterval> intervals) {
    RoutingRecord routing = host.routing();
    List<StateChange> changes = new ArrayList<>();
    boolean routingAdded = false;
    Health last = null;
    for (HealthInterval i : intervals) {
      if (!routingAdded && last != null && routing.changedAtMs() < i.fromMs()) {
        changes.add(new StateChange(Instant.ofEpochMilli(routing.changedAtMs()), last, routing.state()));
        routingAdded = true;
      }
      Health h = Health.valueOf(i.state());
      RoutingState r = i.fromMs() >= routing.changedAtMs() ? routing.state() : RoutingState.ACTIVE;
      changes.add(new StateChange(Instant.ofEpochMilli(i.fromMs()), h, r));
      last = h;
    }
    if (!routingAdded && last != null && routing.changedAtMs() > intervals.get(intervals.size() - 1).fromMs()) {
      changes.add(new StateChange(Instant.ofEpochMilli(routing.changedAtMs()), last, routing.state()));
    }
    return HostTimeline.of(host.id(), changes);
  }

  private static Map<String, Duration> orderedOf(Object... kv) {
    Map<String, Duration> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Duration) kv[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}

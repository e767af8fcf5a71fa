package dev.nines.server.pools;

import dev.nines.protocol.RoutingState;
import dev.nines.server.availability.Availability;
import dev.nines.server.availability.AvailabilityFigures;
import dev.nines.server.availability.BurnWindow;
import dev.nines.server.availability.HostTimeline;
import dev.nines.server.availability.MaintenanceSource;
import dev.nines.server.availability.MaintenanceWindow;
import dev.nines.server.availability.RequestAvailability;
import dev.nines.server.availability.RequestCount;
import dev.nines.server.availability.SloStatus;
import dev.nines.server.availability.Window;
import dev.nines.server.config.PoolSettings;
import dev.nines.server.config.ServerConfig;
import dev.nines.server.store.HealthInterval;
import dev.nines.server.store.HealthRecord;
import dev.nines.server.store.HostRecord;
import dev.nines.server.store.RoutingInterval;
import dev.nines.server.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * Pools and availability from the stored intervals: loads each member's health and routing
 * intervals, builds exact timelines and hands them to the pure {@link Availability} maths.
 *
 * <p>A pool exists when the config names it or a host's latest report carries its {@code pool}
 * label; its members are the hosts whose latest report names it (membership history is not kept
 * yet). A member counts in a window only from its first judged health on, and a member whose first
 * health lies after a window's end is not a member in that window (so a host that joined yesterday
 * does not make last month's pool look short of capacity).
 *
 * <p>Maintenance windows from a {@link MaintenanceSource} (none unless given) are excluded from
 * every figure: a host's own windows and its pool's go into its timeline, and a pool's windows
 * also into the pool's sweep.
 *
 * <p>Safe for concurrent use; {@link #snapshot} is cached for {@code snapshotTtl}.
 */
public final class PoolService {
  /** How long a {@link #snapshot} is reused: the metrics page may be scraped by several servers. */
  public static final Duration DEFAULT_SNAPSHOT_TTL = Duration.ofSeconds(10);
  /** The longest window the availability route accepts. */
  public static final Duration MAX_WINDOW = Duration.ofDays(400);
  static final Duration D30 = Duration.ofDays(30);

  private final Store store;
  private final java.util.function.Supplier<ServerConfig> config;
  private final RequestCounts requests;
  private final Duration snapshotTtl;
  private final MaintenanceSource maintenance;
  private PoolsSnapshot cached;

  public PoolService(Store store, ServerConfig config, RequestCounts requests, Duration snapshotTtl) {
    this(store, () -> config, requests, snapshotTtl);
    if (config == null) {
      throw new IllegalArgumentException("config is required");
    }
  }

  /** As above, reading the configuration in force at each call (admins may change pools at run time). */
  public PoolService(
      Store store, java.util.function.Supplier<ServerConfig> config, RequestCounts requests, Duration snapshotTtl) {
    this(store, config, requests, snapshotTtl, MaintenanceSource.NONE);
  }

  /** As above, excluding the maintenance windows that {@code maintenance} knows of. */
  public PoolService(
      Store store, java.util.function.Supplier<ServerConfig> config, RequestCounts requests, Duration snapshotTtl,
      MaintenanceSource maintenance) {
    if (store == null || config == null || requests == null || snapshotTtl == null || maintenance == null) {
      throw new IllegalArgumentException("store, config, requests, snapshotTtl and maintenance are required");
    }
    this.maintenance = maintenance;
    this.store = store;
    this.config = config;
    this.requests = requests;
    this.snapshotTtl = snapshotTtl;
  }

  /** Every pool: named by the config or by a host's pool label; sorted. */
  public List<String> poolNames() {
    return List.copyOf(poolNamesOf(store.hosts()));
  }

  /** Every pool named by the config or by one of {@code hosts} (as {@code Store.hosts} gives them); sorted. */
  public List<String> poolNames(List<HostRecord> hosts) {
    return List.copyOf(poolNamesOf(hosts));
  }

  /** The settings of a pool (the defaults for a pool the config does not name). */
  public PoolSettings settings(String pool) {
    return config.get().pool(pool);
  }

  /** Every pool's status at {@code now}, without request figures; ordered by name. */
  public List<PoolStatus> pools(Instant now) {
    List<HostRecord> hosts = store.hosts();
    Map<String, HealthRecord> health = store.currentHealth();
    List<PoolStatus> out = new ArrayList<>();
    for (String name : poolNamesOf(hosts)) {
      out.add(status(name, membersOf(name, hosts), health, now, false));
    }
    return out;
  }

  /** One pool's status at {@code now} with request figures over its SLO period; empty when unknown. */
  public Optional<PoolStatus> pool(String name, Instant now) {
    List<HostRecord> hosts = store.hosts();
    if (!poolNamesOf(hosts).contains(name)) {
      return Optional.empty();
    }
    return Optional.of(status(name, membersOf(name, hosts), store.currentHealth(), now, true));
  }

  /**
   * Every pool's status at {@code now} for the metrics page: reused while younger than the TTL
   * (by {@code now}), so frequent scrapes cost one computation.
   */
  public synchronized PoolsSnapshot snapshot(Instant now) {
    PoolsSnapshot c = cached;
    if (c != null && !now.isBefore(c.at()) && Duration.between(c.at(), now).compareTo(snapshotTtl) < 0) {
      return c;
    }
    cached = new PoolsSnapshot(now, pools(now));
    return cached;
  }

  /**
   * A host's availability over {@code window} (which the caller ends at or before now); empty for a
   * host never seen. DEGRADED counts as its pool's settings say.
   */
  public Optional<AvailabilityReport> hostAvailability(String hostId, Window window) {
    Optional<HostRecord> host = store.host(hostId);
    if (host.isEmpty()) {
      return Optional.empty();
    }
    long from = window.from().toEpochMilli();
    long to = window.to().toEpochMilli();
    HostTimeline t = timeline(hostId, host.get().pool(), from, to);
    PoolSettings settings = config.get().pool(host.get().pool());
    AvailabilityFigures figures = Availability.host(t, window, settings.degraded());
    RequestAvailability req = Availability.requests(requests.counts(hostId, from, to), window);
    return Optional.of(new AvailabilityReport("host", hostId, figures, req));
  }

  /** A pool's availability over {@code window}; empty for an unknown pool. */
  public Optional<AvailabilityReport> poolAvailability(String pool, Window window) {
    List<HostRecord> hosts = store.hosts();
    if (!poolNamesOf(hosts).contains(pool)) {
      return Optional.empty();
    }
    long from = window.from().toEpochMilli();
    long to = window.to().toEpochMilli();
    List<HostRecord> members = membersOf(pool, hosts);
    List<HostTimeline> timelines = timelines(members, from, to);
    PoolSettings settings = config.get().pool(pool);
    AvailabilityFigures figures =
        poolFigures(timelines, maintenance.poolWindows(pool, from, to), settings, window);
    RequestAvailability req = requestsOf(members, window);
    return Optional.of(new AvailabilityReport("pool", pool, figures, req));
  }

  /**
   * A pool's time-based figures over each of {@code windows} (the days of an uptime report), from
   * ONE read of its members' intervals: for each window exactly the figures {@link
   * #poolAvailability} gives. Empty for an unknown pool.
   */
  public Optional<List<AvailabilityFigures>> poolFigures(String pool, List<Window> windows) {
    List<HostRecord> hosts = store.hosts();
    if (!poolNamesOf(hosts).contains(pool)) {
      return Optional.empty();
    }
    if (windows.isEmpty()) {
      return Optional.of(List.of());
    }
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    for (Window w : windows) {
      from = Math.min(from, w.from().toEpochMilli());
      to = Math.max(to, w.to().toEpochMilli());
    }
    List<HostTimeline> timelines = timelines(membersOf(pool, hosts), from, to);
    PoolSettings settings = config.get().pool(pool);
    List<MaintenanceWindow> poolWindows = maintenance.poolWindows(pool, from, to);
    List<AvailabilityFigures> out = new ArrayList<>(windows.size());
    for (Window w : windows) {
      out.add(poolFigures(timelines, poolWindows, settings, w));
    }
    return Optional.of(out);
  }

  /**
   * A pool's uptime report over {@code window} (which the caller ends at or before now): the pool's
   * figures, its SLO at the window's end and every member's figures, all from one bulk read of the
   * interval tables and one of the request counts. The figures are those of {@link
   * #poolAvailability}, {@link #pool} and {@link #hostAvailability}, to the bit. Empty for an
   * unknown pool.
   */
  public Optional<PoolReport> report(String pool, Window window) {
    return uptime(pool, window, List.of(), store.hosts()).map(PoolUptime::report);
  }

  /**
   * What an uptime report needs of {@code pool}: its {@link #report} over {@code window} and its
   * {@link #poolFigures} over each of {@code days} (each within {@code window}), the same figures to
   * the bit, from ONE read of each interval table for the pool's members and the caller's {@code
   * hosts} (as {@code Store.hosts} gives them, read once for all pools of a report). Empty for an
   * unknown pool. Safe to call for several pools at once.
   */
  public Optional<PoolUptime> uptime(String pool, Window window, List<Window> days, List<HostRecord> hosts) {
    if (!poolNamesOf(hosts).contains(pool)) {
      return Optional.empty();
    }
    PoolSettings settings = config.get().pool(pool);
    List<HostRecord> members = membersOf(pool, hosts);
    members.sort(java.util.Comparator.comparing(HostRecord::id));
    Duration reach = max(settings.slo().period(), BurnWindow.D3.duration());
    long from = window.from().toEpochMilli();
    long to = window.to().toEpochMilli();
    long loadFrom = Math.min(from, to - reach.toMillis());
    Intervals read = intervals(members, loadFrom, to);
    List<HostTimeline> timelines = read.timelines(members, loadFrom, to);
    List<MaintenanceWindow> poolWindows = maintenance.poolWindows(pool, loadFrom, to);
    Map<Window, AvailabilityFigures> memo = new HashMap<>();
    java.util.function.Function<Window, AvailabilityFigures> over =
        w -> memo.computeIfAbsent(w, x -> poolFigures(timelines, poolWindows, settings, x));
    SloStatus slo = Availability.slo(settings.slo(), window.to(), w -> over.apply(w).availability());
    Map<String, List<RequestCount>> counts = requestCountsOf(members, window);
    List<RequestCount> all = new ArrayList<>();
    List<AvailabilityReport> perHost = new ArrayList<>(members.size());
    for (int i = 0; i < members.size(); i++) {
      String id = members.get(i).id();
      List<RequestCount> c = counts.getOrDefault(id, List.of());
      all.addAll(c);
      perHost.add(
          new AvailabilityReport(
              "host", id, Availability.host(timelines.get(i), window, settings.degraded()),
              Availability.requests(c, window)));
    }
    AvailabilityReport whole =
        new AvailabilityReport("pool", pool, over.apply(window), Availability.requests(all, window));
    PoolReport report = new PoolReport(pool, window, whole, slo, perHost);
    List<AvailabilityFigures> daily = new ArrayList<>(days.size());
    if (!days.isEmpty()) {
      // the timelines poolFigures(pool, days) builds: the rows its read over the days' span returns
      long dayFrom = Long.MAX_VALUE;
      long dayTo = Long.MIN_VALUE;
      for (Window w : days) {
        dayFrom = Math.min(dayFrom, w.from().toEpochMilli());
        dayTo = Math.max(dayTo, w.to().toEpochMilli());
      }
      if (dayFrom < loadFrom || dayTo > to) {
        throw new IllegalArgumentException("days must lie within the window");
      }
      List<HostTimeline> dayTimelines = read.timelines(members, dayFrom, dayTo);
      List<MaintenanceWindow> dayPoolWindows = maintenance.poolWindows(pool, dayFrom, dayTo);
      for (Window w : days) {
        daily.add(poolFigures(dayTimelines, dayPoolWindows, settings, w));
      }
    }
    return Optional.of(new PoolUptime(report, daily));
  }

  // ---- internals ----

  private PoolStatus status(
      String name, List<HostRecord> members, Map<String, HealthRecord> health, Instant now, boolean withRequests) {
    PoolSettings settings = config.get().pool(name);
    Duration reach = max(max(settings.slo().period(), D30), BurnWindow.D3.duration());
    long nowMs = now.toEpochMilli();
    long loadFrom = nowMs - reach.toMillis();
    List<HostTimeline> timelines = timelines(members, loadFrom, nowMs);
    // to now + 1: the state at now is that of [now, now + 1)
    List<MaintenanceWindow> poolWindows = maintenance.poolWindows(name, loadFrom, nowMs + 1);
    List<MemberStatus> memberStatus = new ArrayList<>(members.size());
    int up = 0;
    for (HostRecord m : members) {
      HealthRecord h = health.get(m.id());
      boolean serving =
          h != null && "HEALTHY".equals(h.state()) && m.routing().state() == RoutingState.ACTIVE;
      if (serving) {
        up++;
      }
      memberStatus.add(
          new MemberStatus(m.id(), h == null ? null : h.state(), h == null ? null : h.sinceMs(), m.routing(), serving));
    }
    // One sweep per distinct window: the SLO period is often 30 days, asked for twice.
    Map<Window, OptionalDouble> memo = new HashMap<>();
    java.util.function.Function<Window, OptionalDouble> over =
        w -> memo.computeIfAbsent(w, x -> poolFigures(timelines, poolWindows, settings, x).availability());
    SloStatus slo = Availability.slo(settings.slo(), now, over);
    RequestAvailability req =
        withRequests ? requestsOf(members, Window.ending(now, settings.slo().period())) : null;
    return new PoolStatus(
        name, now, settings, members.size(), up, settings.guard().requiredOf(members.size()),
        stateAt(timelines, poolWindows, settings, now),
        over.apply(Window.ending(now, Duration.ofHours(1))),
        over.apply(Window.ending(now, Duration.ofDays(1))),
        over.apply(Window.ending(now, D30)),
        slo, req, memberStatus);
  }

  /**
   * The pool's state at {@code now} (its millisecond {@code [now, now + 1)}: a change at {@code now}
   * counts), classified like its availability.
   */
  private static PoolState stateAt(
      List<HostTimeline> timelines, List<MaintenanceWindow> poolWindows, PoolSettings settings, Instant now) {
    Window last = new Window(now, now.plusMillis(1));
    List<HostTimeline> present = presentIn(timelines, last);
    if (present.isEmpty()) {
      return PoolState.UNKNOWN;
    }
    AvailabilityFigures f =
        Availability.pool(present, poolWindows, settings.guard(), last, settings.degraded());
    if (f.upMs() > 0) {
      return PoolState.UP;
    }
    if (f.degradedMs() > 0) {
      return PoolState.DEGRADED;
    }
    if (f.downMs() > 0) {
      return PoolState.DOWN;
    }
    return PoolState.MAINTENANCE;
  }

  static AvailabilityFigures poolFigures(List<HostTimeline> timelines, PoolSettings settings, Window window) {
    return poolFigures(timelines, List.of(), settings, window);
  }

  /** As above, with the pool's own maintenance windows. */
  static AvailabilityFigures poolFigures(
      List<HostTimeline> timelines, List<MaintenanceWindow> poolWindows, PoolSettings settings, Window window) {
    return Availability.pool(presentIn(timelines, window), poolWindows, settings.guard(), window, settings.degraded());
  }

  /** The members that had a judged state before the window's end. */
  private static List<HostTimeline> presentIn(List<HostTimeline> timelines, Window window) {
    List<HostTimeline> out = new ArrayList<>(timelines.size());
    for (HostTimeline t : timelines) {
      if (!t.changes().isEmpty() && t.changes().get(0).at().isBefore(window.to())) {
        out.add(t);
      }
    }
    return out;
  }

  private RequestAvailability requestsOf(List<HostRecord> members, Window window) {
    List<RequestCount> all = new ArrayList<>();
    for (List<RequestCount> counts : requestCountsOf(members, window).values()) {
      all.addAll(counts);
    }
    return Availability.requests(all, window);
  }

  private Map<String, List<RequestCount>> requestCountsOf(List<HostRecord> members, Window window) {
    List<String> ids = new ArrayList<>(members.size());
    for (HostRecord m : members) {
      ids.add(m.id());
    }
    return requests.counts(ids, window.from().toEpochMilli(), window.to().toEpochMilli());
  }

  /**
   * The members' timelines over {@code [fromMs, toMs)}, in the members' order: one bulk read of each
   * interval table for all of them (the same rows as {@link #timeline} reads host by host). Their
   * maintenance windows reach one millisecond further, for the state at {@code toMs} ({@link
   * #stateAt}).
   */
  private List<HostTimeline> timelines(List<HostRecord> members, long fromMs, long toMs) {
    return intervals(members, fromMs, toMs).timelines(members, fromMs, toMs);
  }

  /** One bulk read of each interval table for {@code members} over {@code [fromMs, toMs)}. */
  private Intervals intervals(List<HostRecord> members, long fromMs, long toMs) {
    List<String> ids = new ArrayList<>(members.size());
    for (HostRecord m : members) {
      ids.add(m.id());
    }
    Map<String, List<HealthInterval>> health = new HashMap<>();
    for (HealthInterval i : store.healthIntervalsOf(ids, fromMs, toMs)) {
      health.computeIfAbsent(i.hostId(), k -> new ArrayList<>()).add(i);
    }
    Map<String, List<RoutingInterval>> routing = new HashMap<>();
    for (RoutingInterval i : store.routingIntervalsOf(ids, fromMs, toMs)) {
      routing.computeIfAbsent(i.hostId(), k -> new ArrayList<>()).add(i);
    }
    return new Intervals(health, routing);
  }

  /** The stored intervals of some hosts, per host, oldest first (as read by {@link #intervals}). */
  private final class Intervals {
    private final Map<String, List<HealthInterval>> health;
    private final Map<String, List<RoutingInterval>> routing;

    Intervals(Map<String, List<HealthInterval>> health, Map<String, List<RoutingInterval>> routing) {
      this.health = health;
      this.routing = routing;
    }

    /**
     * The members' timelines over {@code [fromMs, toMs)} (within the span read), in the members'
     * order: of the rows read, those the store's query over that span returns (starting before its
     * end, ending after its start or open). Their maintenance windows reach one millisecond further,
     * for the state at {@code toMs} ({@link #stateAt}).
     */
    List<HostTimeline> timelines(List<HostRecord> members, long fromMs, long toMs) {
      List<HostTimeline> out = new ArrayList<>(members.size());
      for (HostRecord m : members) {
        String id = m.id();
        List<HealthInterval> h = new ArrayList<>();
        for (HealthInterval i : health.getOrDefault(id, List.of())) {
          if (i.fromMs() < toMs && (i.toMs() == null || i.toMs() > fromMs)) {
            h.add(i);
          }
        }
        List<RoutingInterval> r = new ArrayList<>();
        for (RoutingInterval i : routing.getOrDefault(id, List.of())) {
          if (i.fromMs() < toMs && (i.toMs() == null || i.toMs() > fromMs)) {
            r.add(i);
          }
        }
        out.add(Timelines.of(id, h, r, maintenance.windowsFor(id, m.pool(), fromMs, toMs + 1)));
      }
      return out;
    }
  }

  private HostTimeline timeline(String hostId, String pool, long fromMs, long toMs) {
    return Timelines.of(
        hostId, store.healthIntervals(hostId, fromMs, toMs), store.routingIntervals(hostId, fromMs, toMs),
        maintenance.windowsFor(hostId, pool, fromMs, toMs + 1));
  }

  private TreeSet<String> poolNamesOf(List<HostRecord> hosts) {
    TreeSet<String> names = new TreeSet<>(config.get().pools().keySet());
    for (HostRecord h : hosts) {
      if (h.pool() != null) {
        names.add(h.pool());
      }
    }
    return names;
  }

  private static List<HostRecord> membersOf(String pool, List<HostRecord> hosts) {
    List<HostRecord> out = new ArrayList<>();
    for (HostRecord h : hosts) {
      if (pool.equals(h.pool())) {
        out.add(h);
      }
    }
    return out;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}

package dev.nines.server.routing;

import dev.nines.protocol.RoutingState;
import dev.nines.server.audit.Actor;
import dev.nines.server.audit.Audit;
import dev.nines.server.config.PoolSettings;
import dev.nines.server.config.RoutingSettings;
import dev.nines.server.config.ServerConfig;
import dev.nines.server.events.EventHub;
import dev.nines.server.health.Health;
import dev.nines.server.healthwatch.HealthWatch;
import dev.nines.server.healthwatch.HealthWatch.HostSnapshot;
import dev.nines.server.incident.IncidentKind;
import dev.nines.server.incidentwatch.IncidentWatch;
import dev.nines.server.policy.GuardVerdict;
import dev.nines.server.policy.Member;
import dev.nines.server.policy.OperatorCheck;
import dev.nines.server.policy.PolicySettings;
import dev.nines.server.policy.PoolSnapshot;
import dev.nines.server.store.RoutingRecord;
import dev.nines.server.store.RoutingRow;
import dev.nines.server.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns every host's desired routing state: operator drains, undrains and maintenance, graceful
 * drains (DRAINING until the host's in-flight requests reach zero or a timeout, then DRAINED), pool
 * failovers between sides, maintenance windows that end by themselves, and the decisions of the
 * automatic policy ({@link PolicyRunner}). Every transition is stored (with who, why and when),
 * written to the audit log, published on the event stream, added to the host's open incident, and
 * handed to the actuators; the agents learn it from their next report's reply.
 *
 * <p>Thread-safe: operator calls (HTTP threads) and {@link #runOnce} (the routing tick) take this
 * object's lock. The health watch is read through its snapshot, never called back from its own
 * listeners (the hard-fault latch is a concurrent map).
 */
public final class RoutingService {
  private static final Logger LOG = LoggerFactory.getLogger(RoutingService.class);
  /** In-flight figures count only from reports received this long after the drain began. */
  static final Duration SETTLE = Duration.ofSeconds(2);
  /** Who sets the standby side's initial DRAINED, maintenance ends, and drains that complete. */
  public static final String SYSTEM = RoutingRecord.SYSTEM;

  private final Store store;
  private final EventHub events;
  private final Audit audit;
  private final java.util.function.Supplier<ServerConfig> live;
  private final HealthWatch health;
  private final Actuation actuation;
  private final Clock clock;
  private final Instant startedAt;
  private IncidentWatch incidents;
  private PolicyRunner policy;

  private final Map<String, RoutingRow> rows = new HashMap<>();
  private final Map<String, Duration> drainTimeouts = new HashMap<>();
  /** The host's report count when its drain began: its model server's figure counts from the second after. */
  private final Map<String, Long> drainStartReports = new HashMap<>();
  private final Map<String, String> activeSides = new HashMap<>();
  private final Map<String, Failover> failovers = new TreeMap<>();
  private final Map<String, String> lastFailoverOutcome = new HashMap<>();
  /** Hosts whose current state the actuators were told since this start (then on every change). */
  private final java.util.Set<String> announced = new java.util.HashSet<>();

  /** A failover under way: the standby side is ACTIVE, waiting to be healthy. */
  record Failover(
      String pool, String from, String to, Instant startedAt, Instant deadline, Actor actor, String changedBy,
      Map<String, Long> reportsAtStart) {}

  public RoutingService(
      Store store, EventHub events, Audit audit, java.util.function.Supplier<ServerConfig> config, HealthWatch health,
      Actuation actuation, Clock clock) {
    this.store = store;
    this.live = config;
    this.events = events;
    this.audit = audit;
    this.health = health;
    this.actuation = actuation;
    this.clock = clock;
    this.startedAt = clock.instant();
    for (RoutingRow r : store.routingRows()) {
      rows.put(r.hostId(), r);
    }
    reconfigured(config.get());
  }

  /**
   * Takes a new configuration into account (an admin replaced a pool): pools that gained sides get
   * their stored or configured active side, pools that lost them forget it.
   */
  public synchronized void reconfigured(ServerConfig config) {
    activeSides.keySet().removeIf(pool -> !config.pool(pool).routing().hasSides());
    for (Map.Entry<String, PoolSettings> e : config.pools().entrySet()) {
      RoutingSettings rs = e.getValue().routing();
      String now = activeSides.get(e.getKey());
      if (rs.hasSides() && (now == null || !rs.sides().containsKey(now))) {
        String stored = store.activeSide(e.getKey()).orElse(null);
        activeSides.put(e.getKey(), stored != null && rs.sides().containsKey(stored) ? stored : rs.activeSide());
      }
    }
  }

  /** Adds each transition to the open incident of its host (set once at wiring). */
  public void setIncidents(IncidentWatch incidents) {
    this.incidents = incidents;
  }

  /** The automatic policy, run on every {@link #runOnce} (set once at wiring). */
  public void setPolicy(PolicyRunner policy) {
    this.policy = policy;
  }

  /** When this service (the backend) started: silent hosts are not acted on for a grace after it. */
  public Instant startedAt() {
    return startedAt;
  }

  private ServerConfig config() {
    return live.get();
  }

  // --- reading -------------------------------------------------------------------------------

  /** The current routing of a host (ACTIVE by the system when it was never routed). */
  public synchronized RoutingRecord routingOf(String hostId) {
    RoutingRow r = rows.get(hostId);
    return r == null ? new RoutingRecord(RoutingState.ACTIVE, null, 0, SYSTEM) : r.routing();
  }

  /** When a host's maintenance window ends by itself, or null. */
  public synchronized Long maintenanceUntil(String hostId) {
    RoutingRow r = rows.get(hostId);
    return r == null ? null : r.untilMs();
  }

  /** The side in rotation of a pool with sides, or null. */
  public synchronized String activeSide(String pool) {
    return activeSides.get(pool);
  }

  /** The pool's settings. */
  public PoolSettings settings(String pool) {
    return config().pool(pool);
  }

  /** The known hosts of a pool now (from the health watch), by id. */
  public List<HostSnapshot> members(String pool) {
    List<HostSnapshot> out = new ArrayList<>();
    for (HostSnapshot h : health.snapshot()) {
      if (pool.equals(h.pool())) {
        out.add(h);
      }
    }
    return out;
  }

  /** Every pool that has a known host or a config entry. */
  public List<String> pools() {
    java.util.TreeSet<String> names = new java.util.TreeSet<>(config().pools().keySet());
    for (HostSnapshot h : health.snapshot()) {
      if (h.pool() != null) {
        names.add(h.pool());
      }
    }
    return List.copyOf(names);
  }

  /** The routing view of a pool for the API: sides, failover, guard, actuators. */
  public synchronized Map<String, Object> poolRouting(String pool) {
    Map<String, Object> out = new LinkedHashMap<>();
    RoutingSettings rs = config().pool(pool).routing();
    out.put("pool", pool);
    out.put("sides", rs.sides());
    out.put("activeSide", activeSides.get(pool));
    Failover f = failovers.get(pool);
    out.put(
        "failover",
        f == null
            ? null
            : Map.of(
                "from", f.from(), "to", f.to(), "startedAt", f.startedAt().toEpochMilli(), "deadline",
                f.deadline().toEpochMilli(), "by", f.changedBy()));
    out.put("lastFailover", lastFailoverOutcome.get(pool));
    out.put("autoDrain", rs.autoDrain());
    out.put("autoFailover", rs.autoFailover());
    out.put("hysteresisMs", rs.hysteresis().toMillis());
    out.put("cooldownMs", rs.cooldown().toMillis());
    out.put("recoveryMs", rs.recovery().toMillis());
    out.put("drainTimeoutMs", rs.drainTimeout().toMillis());
    out.put("actuators", actuation.status(pool));
    if (policy != null) {
      out.putAll(policy.view(pool));
    }
    return out;
  }

  // --- operator actions ----------------------------------------------------------------------

  /**
   * Takes a host out of rotation: DRAINING (stop new work, wait for in-flight requests, then
   * DRAINED), or MAINTENANCE when {@code request.maintenance()}. Refused (409, nothing changed) when
   * the guard objects and {@code force} is not set; a forced drain is audited as such.
   */
  public synchronized ActionResult drain(String hostId, DrainRequest request, Actor actor) {
    HostSnapshot host = requireHost(hostId);
    String pool = host.pool();
    RoutingRecord current = routingOf(hostId);
    RoutingState target = request.maintenance() ? RoutingState.MAINTENANCE : RoutingState.DRAINING;
    Duration timeout =
        request.timeout() != null ? request.timeout() : pool == null ? RoutingSettings.DEFAULT_DRAIN_TIMEOUT : config().pool(pool).routing().drainTimeout();
    GuardVerdict guard = guardForRemoval(pool, hostId);
    boolean nothingToDo =
        target == RoutingState.DRAINING
            ? current.state() == RoutingState.DRAINING || current.state() == RoutingState.DRAINED
            : current.state() == RoutingState.MAINTENANCE && sameUntil(hostId, request.until());
    List<String> steps = drainSteps(pool, hostId, target, timeout, request.until());
    if (nothingToDo) {
      return new ActionResult(
          hostId, pool, current.state().name(), current.state().name(), false, request.dryRun(), false, guard,
          List.of("nothing to do: the host is already " + current.state()), timeout.toMillis());
    }
    boolean forced = !guard.allowed() && request.force();
    if (!guard.allowed() && !request.force()) {
      ActionResult refused =
          new ActionResult(
              hostId, pool, current.state().name(), target.name(), false, request.dryRun(), false, guard,
              List.of("refused: " + guard.reason() + "; send force=true to override (audited)"), timeout.toMillis());
      if (request.dryRun()) {
        return refused;
      }
      throw new RoutingRefused(409, "the capacity guard refuses this drain", refused);
    }
    ActionResult result =
        new ActionResult(
            hostId, pool, current.state().name(), target.name(), !request.dryRun(), request.dryRun(), forced, guard,
            steps, target == RoutingState.DRAINING ? timeout.toMillis() : null);
    if (request.dryRun()) {
      return result;
    }
    String reason = request.reason() + (forced ? " (forced past the capacity guard: " + guard.reason() + ")" : "");
    Long until = request.until() == null ? null : request.until().toEpochMilli();
    drainTimeouts.put(hostId, timeout);
    change(hostId, pool, target, reason, operator(actor), actor, until, forced ? Map.of("forced", true) : Map.of());
    return result;
  }

  /** Puts a host back in rotation (from DRAINING, DRAINED or MAINTENANCE). */
  public synchronized ActionResult undrain(String hostId, String reason, boolean dryRun, Actor actor) {
    HostSnapshot host = requireHost(hostId);
    RoutingRecord current = routingOf(hostId);
    if (current.state() == RoutingState.ACTIVE) {
      return new ActionResult(
          hostId, host.pool(), "ACTIVE", "ACTIVE", false, dryRun, false, null,
          List.of("nothing to do: the host is already ACTIVE"), null);
    }
    List<String> steps = new ArrayList<>();
    steps.add("routing ACTIVE: the agent's /ready answers 200 and its agent-check 'ready up' from its next report");
    for (String a : actuatorNames(host.pool())) {
      steps.add(a + ": set ready");
    }
    if (host.health() != Health.HEALTHY) {
      steps.add("note: the host is " + host.health() + " now");
    }
    ActionResult result =
        new ActionResult(hostId, host.pool(), current.state().name(), "ACTIVE", !dryRun, dryRun, false, null, steps, null);
    if (!dryRun) {
      drainTimeouts.remove(hostId);
      change(hostId, host.pool(), RoutingState.ACTIVE, reason, operator(actor), actor, null, Map.of());
    }
    return result;
  }

  /**
   * Fails a pool over to its standby side: the standby side's hosts go ACTIVE at once; once enough
   * of them are healthy (the guard's count of that side) and have heard of it, the other side is
   * drained and the standby becomes the active side. When the standby side is not healthy within
   * the pool's failover timeout, the failover is aborted: the standby side is drained again and
   * the active side kept.
   */
  public synchronized ActionResult failover(String pool, boolean dryRun, Actor actor) {
    PoolSettings ps = config().pool(pool);
    RoutingSettings rs = ps.routing();
    if (!config().pools().containsKey(pool) && members(pool).isEmpty()) {
      throw new RoutingRefused(404, "no such pool", Map.of("pool", pool));
    }
    if (!rs.hasSides()) {
      throw new RoutingRefused(
          409, "the pool has no sides to fail over between",
          Map.of("pool", pool, "hint", "declare sides (primary/standby or blue/green) in the server's config"));
    }
    if (failovers.containsKey(pool)) {
      throw new RoutingRefused(409, "a failover of this pool is already under way", poolRouting(pool));
    }
    String from = activeSides.get(pool);
    String to = rs.otherSide(from);
    List<String> standby = rs.sides().get(to);
    Map<String, HostSnapshot> known = new HashMap<>();
    for (HostSnapshot h : members(pool)) {
      known.put(h.hostId(), h);
    }
    int required = ps.guard().requiredOf(standby.size());
    long healthyNow =
        standby.stream().filter(id -> known.containsKey(id) && serving(known.get(id).health())).count();
    List<String> steps = new ArrayList<>();
    steps.add("bring side " + to + " up: " + String.join(", ", standby) + " ACTIVE (hosts in MAINTENANCE stay out)");
    steps.add(
        "wait until at least " + required + " of them are healthy (now " + healthyNow + ") and have heard of it, at most "
            + rs.failoverTimeout().toSeconds() + " s");
    steps.add("then drain side " + from + ": " + String.join(", ", rs.sides().get(from)));
    steps.add("abort and drain side " + to + " again if it is not healthy in time");
    GuardVerdict guard =
        new GuardVerdict(
            healthyNow >= required, (int) healthyNow, (int) healthyNow, required,
            healthyNow >= required
                ? "side " + to + " has " + healthyNow + " healthy of the " + required + " it needs"
                : "side " + to + " has only " + healthyNow + " healthy of the " + required + " it needs now");
    ActionResult result =
        new ActionResult(pool, pool, from, to, !dryRun, dryRun, false, guard, steps, rs.failoverTimeout().toMillis());
    if (dryRun) {
      return result;
    }
    startFailover(pool, from, to, actor, operator(actor), "failover to side " + to + " by " + operator(actor));
    return result;
  }

  /** Starts a failover (operator or policy); the caller holds the lock and checked the sides. */
  void startFailover(String pool, String from, String to, Actor actor, String changedBy, String reason) {
    RoutingSettings rs = config().pool(pool).routing();
    Instant now = clock.instant();
    Map<String, Long> reportsAtStart = new HashMap<>();
    for (String id : rs.sides().get(to)) {
      reportsAtStart.put(id, health.reportsOf(id));
    }
    failovers.put(
        pool, new Failover(pool, from, to, now, now.plus(rs.failoverTimeout()), actor, changedBy, reportsAtStart));
    events.publishDurable(
        "failover", now.toEpochMilli(), failoverEvent(pool, "started", from, to, changedBy, reason));
    audit.record(actor, "pool.failover", pool, Map.of("from", from, "to", to, "reason", reason));
    for (String id : rs.sides().get(to)) {
      RoutingState s = routingOf(id).state();
      // MAINTENANCE is how an operator keeps a standby host out of a failover.
      if (s != RoutingState.ACTIVE && s != RoutingState.MAINTENANCE) {
        change(id, pool, RoutingState.ACTIVE, reason, changedBy, actor, null, Map.of());
      }
    }
  }

  /** True while a failover of the pool is under way. */
  public synchronized boolean failoverUnderWay(String pool) {
    return failovers.containsKey(pool);
  }

  // --- the tick ------------------------------------------------------------------------------

  /**
   * Completes graceful drains, ends maintenance windows, advances failovers, drains a pool's
   * standby side at first sight, runs the policy, and lets the actuators catch up.
   */
  public void runOnce(Instant now) {
    List<HostSnapshot> snapshot = health.snapshot();
    synchronized (this) {
      Map<String, HostSnapshot> byId = new HashMap<>();
      for (HostSnapshot h : snapshot) {
        byId.put(h.hostId(), h);
      }
      announce(snapshot);
      standbyAtFirstSight(snapshot, now);
      completeDrains(byId, now);
      endMaintenance(byId, now);
      advanceFailovers(byId, now);
      if (policy != null) {
        try {
          policy.runOnce(this, snapshot, now);
        } catch (RuntimeException e) {
          LOG.warn("the routing policy failed: {}", e.getMessage(), e);
        }
      }
    }
    actuation.runOnce();
  }

  /** Tells the actuators the current state of hosts first seen since this start (reconciliation). */
  private void announce(List<HostSnapshot> snapshot) {
    for (HostSnapshot h : snapshot) {
      if (announced.add(h.hostId())) {
        RoutingRecord r = routingOf(h.hostId());
        actuation.desire(h.pool(), h.hostId(), r.state(), r.reason() == null ? "current state" : r.reason());
      }
    }
  }

  private void standbyAtFirstSight(List<HostSnapshot> snapshot, Instant now) {
    for (HostSnapshot h : snapshot) {
      if (h.pool() == null || !activeSides.containsKey(h.pool())) {
        continue;
      }
      RoutingSettings rs = config().pool(h.pool()).routing();
      String side = rs.sideOf(h.hostId());
      if (side == null || side.equals(activeSides.get(h.pool())) || failovers.containsKey(h.pool())) {
        continue;
      }
      RoutingRecord r = routingOf(h.hostId());
      if (r.state() == RoutingState.ACTIVE && SYSTEM.equals(r.changedBy())) {
        change(
            h.hostId(), h.pool(), RoutingState.DRAINED, "standby side " + side + " of pool " + h.pool(), SYSTEM,
            Actor.SYSTEM, null, Map.of());
      }
    }
  }

  private void completeDrains(Map<String, HostSnapshot> byId, Instant now) {
    for (RoutingRow row : List.copyOf(rows.values())) {
      if (row.routing().state() != RoutingState.DRAINING) {
        continue;
      }
      String id = row.hostId();
      HostSnapshot h = byId.get(id);
      String pool = h == null ? row.pool() : h.pool();
      long began = row.routing().changedAtMs();
      Duration timeout =
          drainTimeouts.getOrDefault(
              id, pool == null ? RoutingSettings.DEFAULT_DRAIN_TIMEOUT : config().pool(pool).routing().drainTimeout());
      OptionalLong lb = actuation.inFlight(pool, id);
      // The model server's figure counts from the second report after the drain began: the reply to
      // the first told the agent (and its /ready and agent-check), so the second shows the host
      // after its load balancer heard of it. Unknown after a restart: two reports since it.
      long heardFrom = drainStartReports.getOrDefault(id, 0L) + 2;
      Double server =
          h != null && h.inFlight() != null && h.inFlightAtMs() >= began + SETTLE.toMillis() && h.reports() >= heardFrom
              ? h.inFlight()
              : null;
      boolean settled = now.toEpochMilli() >= began + SETTLE.toMillis();
      boolean lbIdle = lb.isEmpty() || lb.getAsLong() == 0;
      boolean serverIdle = server != null && server == 0;
      boolean anySource = lb.isPresent() || server != null;
      String reason = null;
      if (settled && lbIdle && anySource && (server == null ? serverFigureUnknown(h) : serverIdle)) {
        reason =
            "in-flight requests reached 0 ("
                + (server != null ? "model server " + fmt(server) : "")
                + (server != null && lb.isPresent() ? ", " : "")
                + (lb.isPresent() ? "load balancer " + lb.getAsLong() : "")
                + ")";
      } else if (now.toEpochMilli() >= began + timeout.toMillis()) {
        // The latest figures, whether or not they count for completion.
        Double latest = h == null ? null : h.inFlight();
        reason =
            "drain timeout of " + timeout.toSeconds() + " s passed with "
                + (latest != null || lb.isPresent()
                    ? (latest != null ? fmt(latest) + " in flight on the model server" : "")
                        + (latest != null && lb.isPresent() ? " and " : "")
                        + (lb.isPresent() ? lb.getAsLong() + " on the load balancer" : "")
                    : "no in-flight figure");
      }
      if (reason != null) {
        drainTimeouts.remove(id);
        drainStartReports.remove(id);
        // Whoever drained it stays the changer: the policy undrains only what it drained itself.
        change(id, pool, RoutingState.DRAINED, reason, row.routing().changedBy(), Actor.SYSTEM, null, Map.of());
      }
    }
  }

  /**
   * True when the host's latest report carried no running/waiting figure (the LB's decides). Not
   * before a report of it was judged since this start: a restarted backend, or a replica elected
   * after the leader died, knows no figure yet, which says nothing about the model server (it
   * completed drains at once on the load balancer's 0 while the model server was still busy).
   */
  private static boolean serverFigureUnknown(HostSnapshot h) {
    return h == null || (h.reports() > 0 && h.inFlight() == null);
  }

  private void endMaintenance(Map<String, HostSnapshot> byId, Instant now) {
    for (RoutingRow row : List.copyOf(rows.values())) {
      if (row.routing().state() == RoutingState.MAINTENANCE && row.untilMs() != null && row.untilMs() <= now.toEpochMilli()) {
        HostSnapshot h = byId.get(row.hostId());
        change(
            row.hostId(), h == null ? row.pool() : h.pool(), RoutingState.ACTIVE, "maintenance window ended", SYSTEM,
            Actor.SYSTEM, null, Map.of());
      }
    }
  }

  private void advanceFailovers(Map<String, HostSnapshot> byId, Instant now) {
    for (Failover f : List.copyOf(failovers.values())) {
      PoolSettings ps = config().pool(f.pool());
      List<String> standby = ps.routing().sides().get(f.to());
      int required = ps.guard().requiredOf(standby.size());
      List<String> ready = new ArrayList<>();
      List<String> notReady = new ArrayList<>();
      for (String id : standby) {
        HostSnapshot h = byId.get(id);
        RoutingRecord r = routingOf(id);
        // Heard of it: the reply to its first report after the change told its agent, the second
        // shows it ACTIVE (its /ready and agent-check, so its load balancer too).
        boolean heard =
            h != null && h.lastReportAt() != null
                && h.lastReportAt().toEpochMilli() >= r.changedAtMs() + SETTLE.toMillis()
                && h.reports() >= f.reportsAtStart().getOrDefault(id, 0L) + 2;
        if (h != null && serving(h.health()) && r.state() == RoutingState.ACTIVE && heard) {
          ready.add(id);
        } else {
          notReady.add(id + " (" + (h == null ? "never reported" : h.health() + (heard ? "" : ", not heard since")) + ")");
        }
      }
      if (ready.size() >= required) {
        failovers.remove(f.pool());
        activeSides.put(f.pool(), f.to());
        store.recordActiveSide(f.pool(), f.to(), f.changedBy(), now.toEpochMilli());
        String reason = "failover to side " + f.to() + ": " + ready.size() + " of its hosts healthy";
        for (String id : ps.routing().sides().get(f.from())) {
          RoutingState s = routingOf(id).state();
          if (s == RoutingState.ACTIVE) {
            change(id, f.pool(), RoutingState.DRAINING, reason, f.changedBy(), f.actor(), null, Map.of());
          }
        }
        lastFailoverOutcome.put(f.pool(), "completed to " + f.to() + " at " + now);
        events.publishDurable(
            "failover", now.toEpochMilli(), failoverEvent(f.pool(), "completed", f.from(), f.to(), f.changedBy(), reason));
      } else if (!now.isBefore(f.deadline())) {
        failovers.remove(f.pool());
        String reason =
            "failover to side " + f.to() + " aborted: only " + ready.size() + " of the " + required
                + " healthy hosts it needs within " + ps.routing().failoverTimeout().toSeconds() + " s; not ready: "
                + String.join(", ", notReady);
        for (String id : standby) {
          if (routingOf(id).state() == RoutingState.ACTIVE) {
            change(id, f.pool(), RoutingState.DRAINED, reason, f.changedBy(), f.actor(), null, Map.of());
          }
        }
        lastFailoverOutcome.put(f.pool(), reason);
        events.publishDurable(
            "failover", now.toEpochMilli(), failoverEvent(f.pool(), "aborted", f.from(), f.to(), f.changedBy(), reason));
        LOG.warn("pool {}: {}", f.pool(), reason);
      }
    }
  }

  // --- transitions ---------------------------------------------------------------------------

  /**
   * Records one transition: stored, audited, published, added to the host's open incident and
   * handed to the actuators. The caller holds the lock.
   */
  void change(
      String hostId, String pool, RoutingState to, String reason, String changedBy, Actor actor, Long untilMs,
      Map<String, Object> extra) {
    RoutingRecord before = routingOf(hostId);
    long at = Math.max(clock.millis(), before.changedAtMs());
    store.recordRoutingChange(hostId, to.name(), reason, changedBy, at, untilMs);
    rows.put(hostId, new RoutingRow(hostId, pool, new RoutingRecord(to, reason, at, changedBy), untilMs));
    if (to == RoutingState.DRAINING) {
      drainStartReports.put(hostId, health.reportsOf(hostId));
    } else {
      drainStartReports.remove(hostId);
    }
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("pool", pool);
    detail.put("from", before.state().name());
    detail.put("to", to.name());
    detail.put("reason", reason);
    detail.put("changedBy", changedBy);
    if (untilMs != null) {
      detail.put("untilMs", untilMs);
    }
    detail.putAll(extra);
    audit.record(actor, "routing." + to.name().toLowerCase(java.util.Locale.ROOT), hostId, detail);
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("host", hostId);
    event.putAll(detail);
    event.put("at", at);
    events.publishDurable("routing", at, event);
    if (incidents != null) {
      try {
        incidents.addAction(
            IncidentKind.HOST, hostId, "routing " + before.state() + " -> " + to + " by " + changedBy + ": " + reason,
            Instant.ofEpochMilli(at));
      } catch (RuntimeException e) {
        LOG.warn("routing change of {} not added to its incident: {}", hostId, e.getMessage(), e);
      }
    }
    actuation.desire(pool, hostId, to, reason);
    announced.add(hostId);
    LOG.info("routing of {} ({}) {} -> {} by {}: {}", hostId, pool, before.state(), to, changedBy, reason);
  }

  // --- helpers -------------------------------------------------------------------------------

  /**
   * The guard's verdict on taking {@code hostId} out of its pool's rotation (the active side's, with
   * sides), as the policy counts it ({@link OperatorCheck#drain}).
   */
  public synchronized GuardVerdict guardForRemoval(String pool, String hostId) {
    if (pool == null) {
      return new GuardVerdict(true, 0, 0, 0, "the host is in no pool: no capacity guard applies");
    }
    PoolSnapshot snapshot = policySnapshot(pool, members(pool), id -> java.util.Set.of());
    if (snapshot.member(hostId).isEmpty()) {
      return new GuardVerdict(
          true, 0, 0, 0, hostId + " is on neither side of pool " + pool + ": no capacity guard applies");
    }
    return OperatorCheck.drain(snapshot, hostId);
  }

  /** The policy's settings of a pool, from its config. */
  PolicySettings policySettings(String pool) {
    PoolSettings ps = config().pool(pool);
    RoutingSettings rs = ps.routing();
    return new PolicySettings(
        rs.autoDrain(), rs.hysteresis(), rs.cooldown(), rs.recovery(), ps.guard(), rs.autoFailover(),
        rs.quarantine(), rs.quarantineRelease(), rs.startupGrace(), rs.drainDegradedBy());
  }

  /**
   * A pool as the policy sees it now: each known member with its health, the rules firing (plus
   * {@code extraRules}, the latched hard GPU faults), its routing and who set it; a host not heard from
   * since this start counts as UNKNOWN since the start unless it was HEALTHY. In a pool with
   * sides, hosts on neither side are left out (the policy does not act on them).
   */
  synchronized PoolSnapshot policySnapshot(
      String pool, List<HostSnapshot> hosts, java.util.function.Function<String, java.util.Set<String>> extraRules) {
    RoutingSettings rs = config().pool(pool).routing();
    String active = activeSides.get(pool);
    List<Member> members = new ArrayList<>();
    for (HostSnapshot h : hosts) {
      String side = rs.sideOf(h.hostId());
      if (rs.hasSides() && side == null) {
        continue;
      }
      java.util.Set<String> firing = new java.util.TreeSet<>(h.firing());
      firing.addAll(extraRules.apply(h.hostId()));
      RoutingRecord r = routingOf(h.hostId());
      Instant since = Instant.ofEpochMilli(r.changedAtMs() == 0 ? startedAt.toEpochMilli() : r.changedAtMs());
      // Health carried over a restart is not evidence until a report confirms it: the backend's own
      // outage may have made it stale. Until then a host that was not HEALTHY counts as silent.
      boolean stale = !h.judged() && h.health() != Health.HEALTHY;
      members.add(
          new Member(
              h.hostId(), side, stale ? Health.UNKNOWN : h.health(), stale ? startedAt : h.since(), firing, r.state(),
              r.changedBy(), since));
    }
    return new PoolSnapshot(pool, policySettings(pool), members, active, active == null ? null : rs.otherSide(active));
  }

  private HostSnapshot requireHost(String hostId) {
    for (HostSnapshot h : health.snapshot()) {
      if (h.hostId().equals(hostId)) {
        return h;
      }
    }
    throw new RoutingRefused(404, "no such host", Map.of("host", hostId));
  }

  private boolean sameUntil(String hostId, Instant until) {
    Long stored = maintenanceUntil(hostId);
    return until == null ? stored == null : stored != null && stored == until.toEpochMilli();
  }

  private List<String> drainSteps(String pool, String hostId, RoutingState target, Duration timeout, Instant until) {
    List<String> steps = new ArrayList<>();
    if (target == RoutingState.MAINTENANCE) {
      steps.add("routing MAINTENANCE: the agent's /ready answers 503 and its agent-check 'maint' from its next report");
    } else {
      steps.add("routing DRAINING: the agent's /ready answers 503 and its agent-check 'drain' from its next report");
    }
    for (String a : actuatorNames(pool)) {
      steps.add(a + ": set " + (target == RoutingState.MAINTENANCE ? "maint" : "drain"));
    }
    if (target == RoutingState.DRAINING) {
      steps.add(
          "wait until in-flight requests reach 0 (model server's running + waiting requests"
              + (actuatorNames(pool).stream().anyMatch(a -> a.startsWith("haproxy")) ? ", HAProxy's current sessions" : "")
              + "), at most " + timeout.toSeconds() + " s");
      steps.add("then DRAINED");
    } else if (until != null) {
      steps.add("back to ACTIVE at " + until);
    }
    return steps;
  }

  private List<String> actuatorNames(String pool) {
    List<String> out = new ArrayList<>();
    if (pool == null) {
      return out;
    }
    RoutingSettings rs = config().pool(pool).routing();
    if (rs.haproxy() != null) {
      out.add("haproxy " + rs.haproxy().backend());
    }
    if (rs.webhook() != null) {
      out.add("webhook " + rs.webhook().url());
    }
    return out;
  }

  private static Map<String, Object> failoverEvent(String pool, String phase, String from, String to, String by, String reason) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("pool", pool);
    e.put("phase", phase);
    e.put("from", from);
    e.put("to", to);
    e.put("changedBy", by);
    e.put("reason", reason);
    return e;
  }

  /** The changed-by of an operator: {@code operator:<token name>}. */
  public static String operator(Actor actor) {
    return "operator:" + (actor.name().isBlank() ? actor.id() : actor.name());
  }

  static boolean serving(Health h) {
    return h == Health.HEALTHY || h == Health.DEGRADED;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}

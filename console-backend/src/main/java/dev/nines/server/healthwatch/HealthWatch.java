package dev.nines.server.healthwatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.protocol.AgentReport;
import dev.nines.server.events.EventHub;
import dev.nines.server.health.Health;
import dev.nines.server.health.HealthChange;
import dev.nines.server.health.HealthConfig;
import dev.nines.server.health.HealthJudge;
import dev.nines.server.health.HealthRules;
import dev.nines.server.health.HostHealthState;
import dev.nines.server.health.HostObservation;
import dev.nines.server.health.Judgement;
import dev.nines.server.health.PoolContext;
import dev.nines.server.health.RuleFinding;
import dev.nines.server.health.RuleIds;
import dev.nines.server.store.HealthInterval;
import dev.nines.server.store.HealthRecord;
import dev.nines.server.store.HostRecord;
import dev.nines.server.store.Store;
import dev.nines.server.store.WriteResult;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the pure health judge: after each newly stored report it judges the host, and
 * {@link #runOnce} judges every known host for staleness. A change is stored as an exact interval
 * ({@link Store#recordHealthChange}) and then announced as a {@code health} event. All methods are
 * synchronized: the writer thread and the staleness tick take turns.
 *
 * <p>Memory per host is one {@link HostHealthState} (bounded by the rules' windows) plus its pool,
 * latest seq and latest p95. The pools' p95 figures are also kept sorted per pool ({@link PoolP95s}),
 * so judging a report costs the same whatever the number of hosts.
 */
public final class HealthWatch {
  private static final Logger LOG = LoggerFactory.getLogger(HealthWatch.class);

  private final Store store;
  private final EventHub events;
  private volatile HealthConfig config;
  private final ObjectMapper json;
  private final Clock clock;
  private final Map<String, Host> hosts = new HashMap<>();
  private final List<HealthListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Map<String, PoolP95s> pools = new HashMap<>();

  private static final class Host {
    HostHealthState state;
    long lastSeq;
    String pool;
    Double p95;
    long lastChangeMs;
    /** The rules firing at the latest evaluation. */
    java.util.Set<String> firing = java.util.Set.of();
    /** Their findings (with figures), worst first. */
    List<RuleFinding> findings = List.of();
    /** The running and waiting requests of the latest report (summed over endpoints), or null. */
    Double inFlight;
    long inFlightAtMs;
    /** A report was judged since this start (false for hosts restored from the store). */
    boolean judged;
    /** Reports judged since this start. */
    long reports;
  }

  /**
   * One host as the watch sees it now.
   *
   * @param hostId the host
   * @param pool its pool, or null
   * @param health its health
   * @param since when it took that health
   * @param firing the rules firing at its latest evaluation
   * @param inFlight running plus waiting requests in its latest report (summed over the model
   *     servers' own figures), or null when no server reports them
   * @param inFlightAtMs when that report was received, epoch ms (0 without a figure)
   * @param lastReportAt when its latest report was received, or null
   * @param judged a report of it was judged since this start; false: its health is the stored one
   *     from before the start, which the backend's own outage may have made stale
   * @param reports how many of its reports were judged since this start
   */
  public record HostSnapshot(
      String hostId, String pool, Health health, Instant since, java.util.Set<String> firing, Double inFlight,
      long inFlightAtMs, Instant lastReportAt, boolean judged, long reports) {}

  /** How many reports of a host were judged since this start (0 for an unknown host). */
  public synchronized long reportsOf(String hostId) {
    Host h = hosts.get(hostId);
    return h == null ? 0 : h.reports;
  }

  /** The findings (rules firing, with their figures) of every host's latest evaluation, by host id. */
  public synchronized Map<String, List<RuleFinding>> findings() {
    Map<String, List<RuleFinding>> out = new HashMap<>();
    hosts.forEach((id, h) -> out.put(id, h.findings));
    return out;
  }

  /** Every known host now, by id. */
  public synchronized List<HostSnapshot> snapshot() {
    List<HostSnapshot> out = new java.util.ArrayList<>(hosts.size());
    for (Map.Entry<String, Host> e : hosts.entrySet()) {
      Host h = e.getValue();
      out.add(
          new HostSnapshot(
              e.getKey(), h.pool, h.state.health(), h.state.since(), h.firing, h.inFlight, h.inFlightAtMs,
              h.state.lastReportAt(), h.judged, h.reports));
    }
    out.sort(java.util.Comparator.comparing(HostSnapshot::hostId));
    return out;
  }

  /**
   * Tells {@code listener} of every evaluation with a hard GPU fault finding (a fatal XID, a new
   * uncorrectable ECC error): such a finding holds for one report only, and the quarantine must
   * not miss it. Called like a {@link HealthListener}.
   */
  public void addHardFaultListener(java.util.function.BiConsumer<String, List<RuleFinding>> listener) {
    hardFaultListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  private final List<java.util.function.BiConsumer<String, List<RuleFinding>>> hardFaultListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private static Double inFlight(AgentReport report) {
    if (report.endpoints() == null) {
      return null;
    }
    double sum = 0;
    boolean any = false;
    for (dev.nines.protocol.EndpointReport e : report.endpoints()) {
      if (e.scrape() != null && e.scrape().ok()) {
        if (e.scrape().running() != null) {
          sum += e.scrape().running();
          any = true;
        }
        if (e.scrape().waiting() != null) {
          sum += e.scrape().waiting();
          any = true;
        }
      }
    }
    return any ? sum : null;
  }

  /**
   * Rebuilds the in-memory state from the store: every host keeps its stored health and since, and
   * counts as heard from at the later of its last report and this start (the server being down is
   * not the host's fault). What the rules remembered between reports starts empty.
   */
  public HealthWatch(Store store, EventHub events, HealthConfig config, ObjectMapper json, Clock clock) {
    this.store = store;
    this.events = events;
    this.config = config;
    this.json = json;
    this.clock = clock;
    Instant start = clock.instant();
    Map<String, HealthRecord> current = store.currentHealth();
    for (HostRecord h : store.hosts()) {
      AgentReport last = parse(h.id(), h.lastReportJson());
      HealthRecord stored = current.get(h.id());
      Host host = new Host();
      host.lastSeq = h.lastSeq();
      Instant heard = Instant.ofEpochMilli(Math.max(h.lastSeenMs(), start.toEpochMilli()));
      host.state =
          new HostHealthState(
              h.id(),
              stored == null ? Health.UNKNOWN : Health.valueOf(stored.state()),
              stored == null ? start : Instant.ofEpochMilli(stored.sinceMs()),
              last == null ? null : heard,
              last == null ? 0 : last.intervalMs(),
              null, 0, null, 0, null, null, 0, null, null, 0);
      host.lastChangeMs = stored == null ? Long.MIN_VALUE : stored.sinceMs();
      setFigures(host, h.pool(), last == null ? null : new HostObservation(last, heard).latencyP95Ms());
      hosts.put(h.id(), host);
    }
  }

  /**
   * Judges the hosts of newly stored reports. Duplicates and replayed old reports (a seq not above
   * the host's latest) are not judged. Called by the writer after COMMIT.
   */
  public void committed(List<WriteResult> results) {
    committed(results, null);
  }

  /**
   * As {@link #committed(List)}, with the reports already parsed (same order as {@code results};
   * a null list or element means: parse the stored JSON).
   */
  public synchronized void committed(List<WriteResult> results, List<AgentReport> parsed) {
    for (int i = 0; i < results.size(); i++) {
      WriteResult r = results.get(i);
      if (r.duplicate()) {
        continue;
      }
      String id = r.report().agentId();
      Host host = hosts.get(id);
      if (host != null && r.report().seq() <= host.lastSeq) {
        continue;
      }
      AgentReport report = parsed == null ? null : parsed.get(i);
      if (report == null) {
        report = parse(id, r.report().bodyJson());
      }
      if (report == null) {
        continue;
      }
      Instant received = Instant.ofEpochMilli(r.report().receivedAtMs());
      if (host == null) {
        host = new Host();
        host.state = HostHealthState.initial(id, received);
        host.lastChangeMs = Long.MIN_VALUE;
        hosts.put(id, host);
      }
      host.lastSeq = r.report().seq();
      host.judged = true;
      host.reports++;
      HostObservation observation = new HostObservation(report, received);
      setFigures(host, config.poolOf(id, report.labels()), observation.latencyP95Ms());
      host.inFlight = inFlight(report);
      host.inFlightAtMs = host.inFlight == null ? 0 : received.toEpochMilli();
      HealthRules rules = config.rulesFor(host.pool);
      Judgement j =
          HealthJudge.evaluate(host.state, observation, poolContext(host.pool, rules), rules, clock.instant());
      apply(host, j);
    }
  }

  /** Judges every known host for staleness as of {@code now}: silent hosts go UNKNOWN, then UNHEALTHY. */
  public synchronized void runOnce(Instant now) {
    for (Host host : hosts.values()) {
      apply(host, HealthJudge.evaluateStale(host.state, config.rulesFor(host.pool), now));
    }
  }

  /** Replaces the health rules and pool membership (an admin changed a pool); from the next evaluation on. */
  public void setConfig(HealthConfig config) {
    this.config = java.util.Objects.requireNonNull(config, "config");
  }

  /** Adds a listener told of every stored change, after its {@code health} event. */
  public void addListener(HealthListener listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  /** The in-memory health of a host, or null when it is not known. For tests and metrics. */
  public synchronized Health health(String hostId) {
    Host h = hosts.get(hostId);
    return h == null ? null : h.state.health();
  }

  private PoolContext poolContext(String pool, HealthRules rules) {
    if (pool == null) {
      return PoolContext.none();
    }
    PoolP95s figures = pools.get(pool);
    return figures == null ? PoolContext.ofMemberP95s(List.of(), rules) : figures.context(rules.latencyPoolMinMembers());
  }

  /** Moves the host to its pool and its latest p95, keeping the pools' sorted figures in step. */
  private void setFigures(Host host, String pool, Double p95) {
    if (host.pool != null) {
      PoolP95s old = pools.get(host.pool);
      old.replace(host.p95, null);
    }
    host.pool = pool;
    host.p95 = p95;
    if (pool != null) {
      pools.computeIfAbsent(pool, k -> new PoolP95s()).replace(null, p95);
    }
  }

  /** Stores and announces the change, if any; the host keeps its old state when storing fails. */
  private void apply(Host host, Judgement j) {
    java.util.Set<String> firing = new java.util.TreeSet<>();
    List<RuleFinding> hard = new java.util.ArrayList<>();
    for (RuleFinding f : j.findings()) {
      firing.add(f.rule());
      if (f.rule().equals(RuleIds.GPU_XID) || f.rule().equals(RuleIds.GPU_ECC)) {
        hard.add(f);
      }
    }
    host.firing = java.util.Set.copyOf(firing);
    host.findings = j.findings();
    if (!hard.isEmpty()) {
      for (java.util.function.BiConsumer<String, List<RuleFinding>> l : hardFaultListeners) {
        try {
          l.accept(j.next().hostId(), List.copyOf(hard));
        } catch (RuntimeException e) {
          LOG.warn("a hard-fault listener failed on host {}: {}", j.next().hostId(), e.getMessage(), e);
        }
      }
    }
    if (j.change().isEmpty()) {
      host.state = j.next();
      return;
    }
    HealthChange c = j.change().get();
    long at = Math.max(c.at().toEpochMilli(), host.lastChangeMs);
    Map<String, Map<String, Double>> figures = new LinkedHashMap<>();
    for (RuleFinding f : c.findings()) {
      figures.put(f.rule(), f.figures());
    }
    try {
      store.recordHealthChange(
          new HealthInterval(
              c.hostId(), c.to().name(), at, null, json.writeValueAsString(c.rules()), c.reason(),
              json.writeValueAsString(figures)));
    } catch (JsonProcessingException | RuntimeException e) {
      LOG.warn("health of {} not recorded ({} -> {}): {}", c.hostId(), c.from(), c.to(), e.getMessage(), e);
      return;
    }
    host.state = j.next();
    host.lastChangeMs = at;
    events.publishHealth(c.hostId(), c.from().name(), c.to().name(), at, c.rules(), c.reason());
    HealthChange stored =
        at == c.at().toEpochMilli()
            ? c
            : new HealthChange(c.hostId(), c.from(), c.to(), Instant.ofEpochMilli(at), c.reason(), c.findings());
    for (HealthListener l : listeners) {
      try {
        l.healthChanged(stored);
      } catch (RuntimeException e) {
        LOG.warn("a health listener failed on host {} ({} -> {}): {}", c.hostId(), c.from(), c.to(), e.getMessage(), e);
      }
    }
  }

  private AgentReport parse(String hostId, String body) {
    try {
      return json.readValue(body, AgentReport.class);
    } catch (JsonProcessingException e) {
      LOG.warn("stored report of host {} cannot be read: {}", hostId, e.getOriginalMessage());
      return null;
    }
  }
}

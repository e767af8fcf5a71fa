package dev.nines.server.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.protocol.AgentReport;
import dev.nines.server.health.Health;
import dev.nines.server.store.HealthRecord;
import dev.nines.server.store.HostRecord;
import dev.nines.server.store.Store;
import dev.nines.server.store.WriteResult;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet part of {@code /metrics}: per-host health, routing, report age, GPU and endpoint
 * figures, and per-pool availability, error budget and burn rates. A Prometheus collector built at
 * scrape time from the latest state, so a host the store no longer has vanishes from the page at
 * the next refresh: cardinality follows the fleet.
 *
 * <p>Cost: the host part is rebuilt from the store ({@link Store#hosts()} and {@link
 * Store#currentHealth()}) at most once per {@code hostRefresh}; a host's stored report is parsed
 * again only when its seq moved. Pool figures are asked for at most once per {@code poolRefresh}.
 * Between refreshes a scrape only recomputes report ages and counters.
 *
 * <p>Endpoint request/error counters are monotonic over the server's life: {@link #committed} adds
 * the per-interval counts of every newly stored report (duplicates excluded), read with a streaming
 * parser on the writer thread. They restart at 0 when the server restarts (a counter reset, which
 * Prometheus' {@code rate()} handles). XID events are counted the same way, per host, GPU and code
 * ({@link XidCounts}, at most 64 codes per host).
 */
public final class FleetMetrics implements MultiCollector {
  private static final Logger LOG = LoggerFactory.getLogger(FleetMetrics.class);
  /** The default period between rebuilds of the host part. */
  public static final Duration HOST_REFRESH = Duration.ofSeconds(5);
  /** The default period between pool-figure refreshes. */
  public static final Duration POOL_REFRESH = Duration.ofSeconds(15);

  private final Store store;
  private final PoolFiguresSource pools;
  private final ObjectMapper json;
  private final JsonFactory streaming;
  private final Clock clock;
  private final long hostRefreshMs;
  private final long poolRefreshMs;
  /** Per host id, per endpoint URL: {requests, errors}; arrays are replaced, never changed. */
  private final Map<String, Map<String, long[]>> counts = new ConcurrentHashMap<>();
  /** XID events per host, GPU and code. */
  private final XidCounts xids = new XidCounts();

  private final Object refreshLock = new Object();
  private final Map<String, Parsed> parsed = new HashMap<>();
  private volatile HostPart hostPart;
  private volatile PoolPart poolPart;

  private record Parsed(long seq, AgentReport report) {}

  private record HostPart(long builtAtMs, List<HostView> hosts, List<MetricSnapshot> gauges) {}

  private record PoolPart(long builtAtMs, List<MetricSnapshot> families) {}

  /**
   * @param json reads stored report bodies
   * @param hostRefresh the longest a scrape may show host figures older than the store's
   * @param poolRefresh the longest a scrape may show pool figures older than {@code pools}'
   */
  public FleetMetrics(
      Store store, PoolFiguresSource pools, ObjectMapper json, Clock clock, Duration hostRefresh, Duration poolRefresh) {
    if (store == null || pools == null || json == null || clock == null) {
      throw new IllegalArgumentException("store, pools, json and clock are required");
    }
    if (hostRefresh == null || hostRefresh.isNegative() || poolRefresh == null || poolRefresh.isNegative()) {
      throw new IllegalArgumentException("hostRefresh and poolRefresh must be >= 0");
    }
    this.store = store;
    this.pools = pools;
    this.json = json;
    this.streaming = json.getFactory();
    this.clock = clock;
    this.hostRefreshMs = hostRefresh.toMillis();
    this.poolRefreshMs = poolRefresh.toMillis();
  }

  /**
   * Adds the endpoint request and error counts of newly stored reports. Called by the writer after
   * COMMIT, from its one thread.
   */
  public void committed(List<WriteResult> results) {
    committed(results, null);
  }

  /**
   * As {@link #committed(List)}, taking the counts from the reports as the controller parsed them
   * ({@code parsed.get(i)} belongs to {@code results.get(i)}; null or a null element: read the
   * stored body instead).
   */
  public void committed(List<WriteResult> results, List<dev.nines.protocol.AgentReport> parsed) {
    for (int i = 0; i < results.size(); i++) {
      WriteResult r = results.get(i);
      if (r.duplicate()) {
        continue;
      }
      dev.nines.protocol.AgentReport report = parsed == null ? null : parsed.get(i);
      countXids(r, report);
      List<EndpointCounts> endpoints;
      try {
        endpoints =
            report != null ? EndpointCounts.of(report) : EndpointCounts.parse(streaming, r.report().bodyJson());
      } catch (IOException | RuntimeException e) { // never let a counter break the writer
        LOG.warn("stored report of host {} cannot be read for counters: {}", r.report().agentId(), e.getMessage());
        continue;
      }
      if (endpoints.isEmpty()) {
        continue;
      }
      Map<String, long[]> byUrl = counts.computeIfAbsent(r.report().agentId(), h -> new ConcurrentHashMap<>());
      for (EndpointCounts c : endpoints) {
        byUrl.merge(c.url(), new long[] {c.requests(), c.errors()}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
      }
    }
  }

  /**
   * Counts the XID events of one newly stored report. Without the parsed report the stored body is
   * bound only when it may hold an XID event (the key {@code "xid"} occurs in it): nearly every
   * report has none, and this runs on the writer's path.
   */
  private void countXids(WriteResult r, AgentReport report) {
    try {
      if (report == null) {
        String body = r.report().bodyJson();
        if (body == null || !body.contains(XID_EVENT)) {
          return;
        }
        report = json.readValue(body, AgentReport.class);
      }
      xids.add(r.report().agentId(), report);
    } catch (IOException | RuntimeException e) { // never let a counter break the writer
      LOG.warn("stored report of host {} cannot be read for XID counters: {}", r.report().agentId(), e.getMessage());
    }
  }

  private static final String XID_EVENT = "\"xid\"";

  /** Makes the next scrape rebuild everything from the store and the pool source. */
  public void refreshSoon() {
    hostPart = null;
    poolPart = null;
  }

  @Override
  public MetricSnapshots collect() {
    long now = clock.millis();
    HostPart h = hostPart(now);
    PoolPart p = poolPart(now);
    List<MetricSnapshot> all = new ArrayList<>(h.gauges().size() + p.families().size() + 3);
    all.addAll(h.gauges());
    all.add(FleetPage.reportAge(h.hosts(), now));
    all.addAll(FleetPage.endpointCounters(h.hosts(), counts));
    all.add(FleetPage.xidCounters(h.hosts(), xids::of));
    all.addAll(p.families());
    return new MetricSnapshots(all);
  }

  private HostPart hostPart(long now) {
    HostPart h = hostPart;
    if (h != null && now - h.builtAtMs() < hostRefreshMs && now >= h.builtAtMs()) {
      return h;
    }
    synchronized (refreshLock) {
      h = hostPart;
      if (h != null && now - h.builtAtMs() < hostRefreshMs && now >= h.builtAtMs()) {
        return h;
      }
      try {
        h = buildHostPart(now);
        hostPart = h;
      } catch (RuntimeException e) {
        LOG.warn("host metrics not refreshed: {}", e.getMessage(), e);
        if (h == null) {
          h = new HostPart(now, List.of(), List.of());
        }
      }
      return h;
    }
  }

  private HostPart buildHostPart(long now) {
    // Counter keys seen before reading the store: only these may be pruned, so that a host stored
    // after the read below keeps the counts it got meanwhile.
    Set<String> countedBefore = new HashSet<>(counts.keySet());
    Set<String> xidsBefore = xids.hosts();
    List<HostRecord> records = store.hosts();
    Map<String, HealthRecord> health = store.currentHealth();
    List<HostView> views = new ArrayList<>(records.size());
    Set<String> ids = new HashSet<>();
    for (HostRecord r : records) {
      ids.add(r.id());
      Parsed p = parsed.get(r.id());
      if (p == null || p.seq() != r.lastSeq()) {
        p = new Parsed(r.lastSeq(), parse(r));
        parsed.put(r.id(), p);
      }
      HealthRecord hr = health.get(r.id());
      Health state = hr == null ? null : healthOf(r.id(), hr.state());
      views.add(new HostView(r.id(), r.pool() == null ? "" : r.pool(), state, r.routing().state(), r.lastSeenMs(), p.report()));
      if (p.report() != null) {
        // every endpoint the host reports has counters, 0 until it counts something
        Map<String, long[]> byUrl = counts.computeIfAbsent(r.id(), x -> new ConcurrentHashMap<>());
        Set<String> urls = new HashSet<>();
        p.report().endpoints().forEach(e -> urls.add(e.url()));
        for (String url : urls) {
          byUrl.putIfAbsent(url, new long[2]);
        }
        byUrl.keySet().retainAll(urls);
      }
    }
    parsed.keySet().retainAll(ids);
    for (String id : countedBefore) {
      if (!ids.contains(id)) {
        counts.remove(id);
      }
    }
    xids.retainHosts(xidsBefore, ids);
    return new HostPart(now, List.copyOf(views), FleetPage.hostGauges(views));
  }

  private PoolPart poolPart(long now) {
    PoolPart p = poolPart;
    if (p != null && now - p.builtAtMs() < poolRefreshMs && now >= p.builtAtMs()) {
      return p;
    }
    synchronized (refreshLock) {
      p = poolPart;
      if (p != null && now - p.builtAtMs() < poolRefreshMs && now >= p.builtAtMs()) {
        return p;
      }
      try {
        p = new PoolPart(now, FleetPage.pools(pools.snapshot(java.time.Instant.ofEpochMilli(now))));
        poolPart = p;
      } catch (RuntimeException e) {
        LOG.warn("pool metrics not refreshed: {}", e.getMessage(), e);
        if (p == null) {
          p = new PoolPart(now, List.of());
        }
      }
      return p;
    }
  }

  private AgentReport parse(HostRecord r) {
    if (r.lastReportJson() == null) {
      return null;
    }
    try {
      return json.readValue(r.lastReportJson(), AgentReport.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      LOG.warn("stored report of host {} cannot be read for metrics: {}", r.id(), e.getMessage());
      return null;
    }
  }

  private static Health healthOf(String hostId, String state) {
    try {
      return Health.valueOf(state);
    } catch (IllegalArgumentException e) {
      LOG.warn("host {} has an unknown stored health {}", hostId, state);
      return null;
    }
  }
}

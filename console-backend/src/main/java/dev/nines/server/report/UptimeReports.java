package dev.nines.server.report;

import dev.nines.server.availability.AvailabilityFigures;
import dev.nines.server.availability.Window;
import dev.nines.server.config.PoolSettings;
import dev.nines.server.pools.AvailabilityReport;
import dev.nines.server.pools.PoolService;
import dev.nines.server.pools.PoolUptime;
import dev.nines.server.store.HostRecord;
import dev.nines.server.store.IncidentEventRecord;
import dev.nines.server.store.IncidentQuery;
import dev.nines.server.store.IncidentRecord;
import dev.nines.server.store.Store;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds {@link UptimeReport}s from the stored intervals (through {@link PoolService}, the same
 * figures as {@code GET /api/v1/availability}) and the stored incidents.
 */
public final class UptimeReports {
  /** At most this many incidents in one report. */
  static final int MAX_INCIDENTS = 10_000;
  /** Incident ids per query when reading their actions. */
  static final int EVENT_BATCH = 500;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The threads that compute the pools of a report, shared by all reports: as many as the cores (at
   * most 4), idle ones ending after a minute.
   */
  private static final ExecutorService WORKERS =
      workers(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));

  private final PoolService pools;
  private final Store store;

  public UptimeReports(PoolService pools, Store store) {
    this.pools = pools;
    this.store = store;
  }

  /**
   * The report over {@code window} for every pool, or only {@code pool}, or only the pool of {@code
   * host} (and then that host's row only).
   *
   * @throws IllegalArgumentException naming an unknown pool or host
   */
  public UptimeReport build(Window window, String pool, String host) {
    List<HostRecord> hosts = store.hosts();
    List<String> known = pools.poolNames(hosts);
    List<String> names = new ArrayList<>();
    String onlyHost = host;
    if (host != null) {
      // The host's pool as stored (its latest report's), not a search through every pool's report.
      names.add(
          store.host(host).orElseThrow(() -> new IllegalArgumentException("no host with id '" + host + "'")).pool());
    } else if (pool != null) {
      if (!known.contains(pool)) {
        throw new IllegalArgumentException("no pool named '" + pool + "'");
      }
      names.add(pool);
    } else {
      names.addAll(known);
    }
    List<Window> days = days(window);
    // The pools on the worker threads (one read of each pool's intervals for its figures and its
    // days), the incidents of the period here meanwhile.
    List<Future<Optional<PoolUptime>>> perPool = new ArrayList<>(names.size());
    for (String name : names) {
      perPool.add(
          name == null
              ? CompletableFuture.completedFuture(Optional.empty())
              : WORKERS.submit(() -> pools.uptime(name, window, onlyHost == null ? days : List.of(), hosts)));
    }
    List<UptimeReport.Row> poolRows = new ArrayList<>();
    List<UptimeReport.Row> hostRows = new ArrayList<>();
    List<UptimeReport.DailySeries> daily = new ArrayList<>();
    List<UptimeReport.IncidentRow> incidents;
    try {
      incidents = incidents(window, names, onlyHost, hosts);
      for (int k = 0; k < names.size(); k++) {
        PoolUptime u = join(perPool.get(k)).orElse(null);
        if (u == null) {
          continue;
        }
        String name = names.get(k);
        PoolSettings settings = pools.settings(name);
        if (onlyHost == null) {
          UptimeReport.Row row = row(u.report().availability(), name, settings);
          poolRows.add(row);
          List<UptimeReport.Day> out = new ArrayList<>(days.size());
          for (int d = 0; d < days.size(); d++) {
            out.add(day(days.get(d), d < u.daily().size() ? Optional.of(u.daily().get(d)) : Optional.empty()));
          }
          daily.add(new UptimeReport.DailySeries("pool", name, row.sloTarget(), out));
        }
        for (AvailabilityReport h : u.report().hosts()) {
          if (onlyHost == null || onlyHost.equals(h.id())) {
            hostRows.add(row(h, name, settings));
          }
        }
      }
    } finally {
      for (Future<?> f : perPool) {
        f.cancel(true);
      }
    }
    if (onlyHost != null && !hostRows.isEmpty()) {
      List<UptimeReport.Day> out = new ArrayList<>(days.size());
      for (Window d : days) {
        out.add(day(d, pools.hostAvailability(onlyHost, d).map(AvailabilityReport::time)));
      }
      daily.add(new UptimeReport.DailySeries("host", onlyHost, hostRows.get(0).sloTarget(), out));
    }
    return new UptimeReport(
        window.from().toEpochMilli(), window.to().toEpochMilli(), ACCOUNTING, poolRows, hostRows, incidents, daily);
  }

  /**
   * The incidents open at any time in {@code window}: of the pools {@code names} (pool incidents, and
   * host incidents of their members by {@code hosts}), or only of {@code onlyHost}; oldest first,
   * with the actions taken.
   */
  private List<UptimeReport.IncidentRow> incidents(
      Window window, List<String> names, String onlyHost, List<HostRecord> hosts) {
    Map<String, String> poolOfHost = new HashMap<>();
    for (HostRecord h : hosts) {
      poolOfHost.put(h.id(), h.pool());
    }
    List<IncidentRecord> kept = new ArrayList<>();
    List<String> poolOfIncident = new ArrayList<>();
    List<IncidentRecord> found =
        store.incidents(
            new IncidentQuery(null, null, null, window.from().toEpochMilli(), window.to().toEpochMilli(), MAX_INCIDENTS, null, null));
    for (IncidentRecord i : found) {
      String p = "pool".equals(i.kind()) ? i.subject() : poolOfHost.get(i.subject());
      boolean wanted =
          onlyHost != null ? "host".equals(i.kind()) && onlyHost.equals(i.subject()) : p != null && names.contains(p);
      if (!wanted) {
        continue;
      }
      kept.add(i);
      poolOfIncident.add(p);
    }
    Map<Long, List<IncidentEventRecord>> actions = actionsOf(kept);
    List<UptimeReport.IncidentRow> incidents = new ArrayList<>(kept.size());
    for (int k = 0; k < kept.size(); k++) {
      IncidentRecord i = kept.get(k);
      long end = i.closedAtMs() == null ? window.to().toEpochMilli() : i.closedAtMs();
      List<UptimeReport.Action> acts = new ArrayList<>();
      for (IncidentEventRecord e : actions.getOrDefault(i.id(), List.of())) {
        acts.add(new UptimeReport.Action(e.atMs(), actorOf(e.text(), e.detailJson()), e.text()));
      }
      incidents.add(
          new UptimeReport.IncidentRow(
              i.id(), i.kind(), i.subject(), poolOfIncident.get(k), i.severity(), i.openedAtMs(), i.closedAtMs(),
              minutes(Math.max(0, end - i.openedAtMs())), i.causeJson(), acts));
    }
    incidents.sort(Comparator.comparingLong(UptimeReport.IncidentRow::startMs).thenComparingLong(UptimeReport.IncidentRow::id));
    return incidents;
  }

  private static <T> T join(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the uptime report", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("the uptime report could not be built: " + e.getCause(), e.getCause());
    }
  }

  private static UptimeReport.Day day(Window d, Optional<AvailabilityFigures> f) {
    return new UptimeReport.Day(
        d.from().toEpochMilli(), d.to().toEpochMilli(), f.map(x -> orNull(x.availability())).orElse(null));
  }

  private static ExecutorService workers(int n) {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            n, n, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "nines-report-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** The UTC days {@code window} touches, each clipped to it, oldest first. Pure. */
  static List<Window> days(Window window) {
    List<Window> out = new ArrayList<>();
    Instant at = window.from();
    while (at.isBefore(window.to())) {
      Instant next = at.truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS);
      Instant end = next.isAfter(window.to()) ? window.to() : next;
      out.add(new Window(at, end));
      at = end;
    }
    return out;
  }

  /** The action lines of the given incidents, read in batches (one query per batch, not per incident). */
  private Map<Long, List<IncidentEventRecord>> actionsOf(List<IncidentRecord> incidents) {
    Map<Long, List<IncidentEventRecord>> out = new HashMap<>();
    for (int from = 0; from < incidents.size(); from += EVENT_BATCH) {
      List<Long> ids =
          incidents.subList(from, Math.min(incidents.size(), from + EVENT_BATCH)).stream().map(IncidentRecord::id).toList();
      out.putAll(store.incidentEvents(ids, "action"));
    }
    return out;
  }

  private static final Pattern BY = Pattern.compile(" by (\\S+): ");

  /**
   * Who took an action: the {@code actor} or {@code changedBy} of its detail where it has one, else
   * the name after " by " in its text (the routing service writes "routing A -> B by WHO: reason"),
   * else null. Pure.
   */
  static String actorOf(String text, String detailJson) {
    if (detailJson != null && !detailJson.isBlank()) {
      try {
        JsonNode d = JSON.readTree(detailJson);
        for (String key : List.of("actor", "changedBy")) {
          if (d.path(key).isTextual() && !d.path(key).asText().isBlank()) {
            return d.path(key).asText();
          }
        }
      } catch (JsonProcessingException e) {
        // A detail that is not JSON says nothing about the actor; the text may.
      }
    }
    Matcher m = BY.matcher(text == null ? "" : text);
    return m.find() ? m.group(1) : null;
  }

  /** How the figures are counted, printed on every report. */
  static final String ACCOUNTING =
      "Time-based availability = up time / counted time, where maintenance windows are not counted;"
          + " a pool is up while at least its capacity guard of members are ACTIVE and serving;"
          + " DEGRADED counts as up, down or a weight as each pool's config says."
          + " Request-based availability = good / total requests (probes and the servers' own counters)."
          + " Error budget used = (1 - availability) / (1 - SLO target) over this period.";

  private static UptimeReport.Row row(AvailabilityReport r, String pool, PoolSettings settings) {
    AvailabilityFigures f = r.time();
    Double availability = orNull(f.availability());
    double target = settings.slo().target();
    Boolean met = availability == null ? null : availability >= target;
    Double budgetUsed = availability == null ? null : (1 - availability) / (1 - target);
    return new UptimeReport.Row(
        r.kind(), r.id(), pool, availability, orNull(r.requests().ratio()), target, met, budgetUsed,
        minutes(f.downtimeMs()), minutes(f.excludedMs()), f.incidentCount(), minutesOrNull(f.mttrMs()),
        minutesOrNull(f.mtbfMs()), minutes(f.longestOutageMs()));
  }

  private static Double orNull(OptionalDouble d) {
    return d.isPresent() ? d.getAsDouble() : null;
  }

  private static Double minutesOrNull(OptionalDouble ms) {
    return ms.isPresent() ? minutes(ms.getAsDouble()) : null;
  }

  static double minutes(double ms) {
    return Math.round(ms / 60_000.0 * 1000) / 1000.0;
  }
}

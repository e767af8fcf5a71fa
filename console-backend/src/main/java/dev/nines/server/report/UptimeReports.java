package dev.nines.server.report;

import dev.nines.server.availability.AvailabilityFigures;
import dev.nines.server.availability.Window;
import dev.nines.server.config.PoolSettings;
import dev.nines.server.pools.AvailabilityReport;
import dev.nines.server.pools.PoolReport;
import dev.nines.server.pools.PoolService;
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
    List<String> names = new ArrayList<>();
    String onlyHost = host;
    if (host != null) {
      // The host's pool as stored (its latest report's), not a search through every pool's report.
      names.add(
          store.host(host).orElseThrow(() -> new IllegalArgumentException("no host with id '" + host + "'")).pool());
    } else if (pool != null) {
      if (!pools.poolNames().contains(pool)) {
        throw new IllegalArgumentException("no pool named '" + pool + "'");
      }
      names.add(pool);
    } else {
      names.addAll(pools.poolNames());
    }
    long T0=System.nanoTime();
    List<UptimeReport.Row> poolRows = new ArrayList<>();
    List<UptimeReport.Row> hostRows = new ArrayList<>();
    Map<String, String> poolOfHost = new HashMap<>();
    for (String name : names) {
      if (name == null) {
        continue;
      }
      PoolReport r = pools.report(name, window).orElse(null);
      if (r == null) {
        continue;
      }
      PoolSettings settings = pools.settings(name);
      if (onlyHost == null) {
        poolRows.add(row(r.availability(), name, settings));
      }
      for (AvailabilityReport h : r.hosts()) {
        poolOfHost.put(h.id(), name);
        if (onlyHost == null || onlyHost.equals(h.id())) {
          hostRows.add(row(h, name, settings));
        }
      }
    }
    long T1=System.nanoTime();
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
    long T2=System.nanoTime();
    Map<Long, List<IncidentEventRecord>> actions = actionsOf(kept);
    long T3=System.nanoTime();
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
    long T4=System.nanoTime();
    List<UptimeReport.DailySeries> daily = new ArrayList<>();
    List<Window> days = days(window);
    if (onlyHost != null && !hostRows.isEmpty()) {
      List<UptimeReport.Day> out = new ArrayList<>(days.size());
      for (Window d : days) {
        out.add(day(d, pools.hostAvailability(onlyHost, d).map(AvailabilityReport::time)));
      }
      daily.add(new UptimeReport.DailySeries("host", onlyHost, hostRows.get(0).sloTarget(), out));
    } else if (onlyHost == null) {
      for (UptimeReport.Row row : poolRows) {
        // one read of the pool's intervals for all its days (figures as poolAvailability's per day)
        List<AvailabilityFigures> figures = pools.poolFigures(row.id(), days).orElse(List.of());
        List<UptimeReport.Day> out = new ArrayList<>(days.size());
        for (int k = 0; k < days.size(); k++) {
          out.add(day(days.get(k), k < figures.size() ? Optional.of(figures.get(k)) : Optional.empty()));
        }
        daily.add(new UptimeReport.DailySeries("pool", row.id(), row.sloTarget(), out));
      }
    }
    long T5=System.nanoTime();
    System.err.printf("TIMING build: pools+hosts %.0f ms, incidents %.0f ms, actions %.0f ms, rows %.0f ms, daily %.0f ms%n",(T1-T0)/1e6,(T2-T1)/1e6,(T3-T2)/1e6,(T4-T3)/1e6,(T5-T4)/1e6);
    return new UptimeReport(
        window.from().toEpochMilli(), window.to().toEpochMilli(), ACCOUNTING, poolRows, hostRows, incidents, daily);
  }

  private static UptimeReport.Day day(Window d, Optional<AvailabilityFigures> f) {
    return new UptimeReport.Day(
        d.from().toEpochMilli(), d.to().toEpochMilli(), f.map(x -> orNull(x.availability())).orElse(null));
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

package dev.nines.server.health;

import dev.nines.protocol.AgentReport;
import dev.nines.protocol.EndpointReport;
import dev.nines.protocol.GpuMetrics;
import dev.nines.protocol.ProbeResult;
import dev.nines.protocol.ServerStats;
import dev.nines.server.health.HostHealthState.RequestCount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The health judge: a pure function of a host's previous state, its latest report, its pool and the
 * rules, at a given time. No I/O and no clock: the caller passes {@code now}.
 *
 * <p>Hysteresis: a host takes a worse state only once that state (or a worse one) has been judged
 * for {@link HealthRules#failAfter()} consecutive evaluations; it takes a better one only after
 * {@link HealthRules#recoverAfter()} consecutive better evaluations (and then the worst of them).
 * Hard faults (a new uncorrectable ECC error, a fatal XID, a lost GPU), staleness, and the rules that
 * count their own persistence (generation failures, latency against the pool) act at once. Leaving
 * UNKNOWN is immediate: UNKNOWN means "no information", and a fresh report is information.
 */
public final class HealthJudge {

  private HealthJudge() {}

  /** Judges a host on its latest report. */
  public static Judgement evaluate(
      HostHealthState previous, HostObservation latest, PoolContext pool, HealthRules rules, Instant now) {
    require(previous, "previous");
    require(latest, "latest");
    require(rules, "rules");
    require(now, "now");
    if (pool == null) {
      pool = PoolContext.none();
    }
    if (!previous.hostId().equals(latest.hostId())) {
      throw new IllegalArgumentException(
          "latest.hostId (" + latest.hostId() + ") differs from previous.hostId (" + previous.hostId() + ")");
    }
    AgentReport report = latest.report();
    List<RuleFinding> findings = new ArrayList<>();

    staleFinding(latest.receivedAt(), report.intervalMs(), rules, now).ifPresent(findings::add);

    Map<String, Integer> generationFailures = generationFailures(previous, report);
    generationFinding(generationFailures, report, rules).ifPresent(findings::add);

    List<RequestCount> window = requestWindow(previous, report, rules);
    errorRatioFinding(window, rules).ifPresent(findings::add);

    Double p95 = latest.latencyP95Ms();
    if (rules.latencyP95LimitMs() != null && p95 != null && p95 > rules.latencyP95LimitMs()) {
      findings.add(
          new RuleFinding(
              RuleIds.LATENCY_ABSOLUTE, Health.DEGRADED, false,
              String.format("p95 latency %.0f ms is above the limit of %.0f ms", p95, rules.latencyP95LimitMs()),
              figures("p95Ms", p95, "limitMs", rules.latencyP95LimitMs())));
    }

    boolean slow =
        p95 != null
            && pool.medianP95Ms() != null
            && pool.medianP95Ms() > 0
            && p95 > rules.latencyVsPoolFactor() * pool.medianP95Ms();
    int slowStreak = slow ? previous.slowVsPoolStreak() + 1 : 0;
    if (slow && slowStreak >= rules.latencyVsPoolReports()) {
      double times = p95 / pool.medianP95Ms();
      findings.add(
          new RuleFinding(
              RuleIds.LATENCY_VS_POOL, Health.DEGRADED, true,
              String.format(
                  "p95 latency %.0f ms is %.1f times the pool's median of %.0f ms for %d reports in a row",
                  p95, times, pool.medianP95Ms(), slowStreak),
              figures(
                  "p95Ms", p95, "poolMedianP95Ms", pool.medianP95Ms(), "timesMedian", times,
                  "factor", rules.latencyVsPoolFactor(), "consecutiveReports", (double) slowStreak)));
    }

    List<GpuMetrics> gpus = report.gpu().available() ? report.gpu().gpus() : List.of();
    temperatureFinding(gpus, rules).ifPresent(findings::add);

    Map<String, Long> ecc = new HashMap<>(previous.eccUncorrectedByGpu());
    eccFinding(gpus, ecc).ifPresent(findings::add);

    xidFinding(gpus, rules).ifPresent(findings::add);

    Set<String> known = new HashSet<>(previous.knownGpus());
    gpuLostFinding(gpus, known, previous.maxGpuCount(), report).ifPresent(findings::add);
    for (GpuMetrics g : gpus) {
      known.add(g.uuid());
    }
    int maxGpuCount = Math.max(previous.maxGpuCount(), gpus.size());

    memoryFinding(report, rules).ifPresent(findings::add);

    findings.sort(Comparator.comparingInt((RuleFinding f) -> -f.health().severity()));
    HostHealthState remembered =
        new HostHealthState(
            previous.hostId(), previous.health(), previous.since(), latest.receivedAt(),
            report.intervalMs(), previous.pendingWorse(), previous.worseStreak(),
            previous.pendingBetter(), previous.betterStreak(), generationFailures, window,
            slowStreak, ecc, known, maxGpuCount);
    return decide(remembered, findings, rules, now);
  }

  /**
   * Judges a host that sent no new report: only staleness can change its health (to UNKNOWN, then
   * UNHEALTHY after the grace). A host that never reported stays as it is. Call it periodically for
   * every host; it does not count as an evaluation for hysteresis.
   */
  public static Judgement evaluateStale(HostHealthState previous, HealthRules rules, Instant now) {
    require(previous, "previous");
    require(rules, "rules");
    require(now, "now");
    if (previous.lastReportAt() == null) {
      return new Judgement(previous, Optional.empty(), List.of());
    }
    Optional<RuleFinding> stale = staleFinding(previous.lastReportAt(), previous.lastIntervalMs(), rules, now);
    if (stale.isEmpty()) {
      return new Judgement(previous, Optional.empty(), List.of());
    }
    RuleFinding f = stale.get();
    if (!f.health().isWorseThan(previous.health())) {
      return new Judgement(previous, Optional.empty(), List.of(f));
    }
    HealthChange change =
        new HealthChange(
            previous.hostId(), previous.health(), f.health(), now,
            previous.health() + " -> " + f.health() + ": " + f.reason(), List.of(f));
    return new Judgement(moveTo(previous, f.health(), now), Optional.of(change), List.of(f));
  }

  // ---- hysteresis -------------------------------------------------------------------------

  private static Judgement decide(
      HostHealthState s, List<RuleFinding> findings, HealthRules rules, Instant now) {
    Health current = s.health();
    Health raw = Health.HEALTHY;
    Health immediate = Health.HEALTHY;
    for (RuleFinding f : findings) {
      raw = Health.worst(raw, f.health());
      if (f.immediate()) {
        immediate = Health.worst(immediate, f.health());
      }
    }
    if (raw == current) {
      HostHealthState next = withStreaks(s, null, 0, null, 0);
      return new Judgement(next, Optional.empty(), findings);
    }
    if (current == Health.UNKNOWN) {
      return change(s, raw, findings, now, "a fresh report");
    }
    if (raw.isWorseThan(current)) {
      int streak = s.worseStreak() + 1;
      Health pending = s.worseStreak() == 0 ? raw : Health.best(s.pendingWorse(), raw);
      Health target = null;
      if (immediate.isWorseThan(current)) {
        target = immediate;
      }
      if (streak >= rules.failAfter()) {
        target = target == null ? pending : Health.worst(target, pending);
      }
      if (target != null) {
        return change(s, target, findings, now, null);
      }
      return new Judgement(withStreaks(s, pending, streak, null, 0), Optional.empty(), findings);
    }
    int streak = s.betterStreak() + 1;
    Health pending = s.betterStreak() == 0 ? raw : Health.worst(s.pendingBetter(), raw);
    if (streak >= rules.recoverAfter()) {
      return change(s, pending, findings, now, streak + " consecutive better evaluations");
    }
    return new Judgement(withStreaks(s, null, 0, pending, streak), Optional.empty(), findings);
  }

  private static Judgement change(
      HostHealthState s, Health to, List<RuleFinding> findings, Instant now, String why) {
    StringBuilder reason = new StringBuilder(s.health() + " -> " + to);
    if (why != null) {
      reason.append(" after ").append(why);
    }
    if (!findings.isEmpty()) {
      reason.append(": ");
      for (int i = 0; i < findings.size(); i++) {
        reason.append(i == 0 ? "" : "; ").append(findings.get(i).reason());
      }
    }
    HealthChange change = new HealthChange(s.hostId(), s.health(), to, now, reason.toString(), findings);
    return new Judgement(moveTo(s, to, now), Optional.of(change), findings);
  }

  private static HostHealthState moveTo(HostHealthState s, Health to, Instant now) {
    return new HostHealthState(
        s.hostId(), to, now, s.lastReportAt(), s.lastIntervalMs(), null, 0, null, 0,
        s.generationFailures(), s.requestWindow(), s.slowVsPoolStreak(), s.eccUncorrectedByGpu(),
        s.knownGpus(), s.maxGpuCount());
  }

  private static HostHealthState withStreaks(
      HostHealthState s, Health pendingWorse, int worseStreak, Health pendingBetter, int betterStreak) {
    return new HostHealthState(
        s.hostId(), s.health(), s.since(), s.lastReportAt(), s.lastIntervalMs(), pendingWorse,
        worseStreak, pendingBetter, betterStreak, s.generationFailures(), s.requestWindow(),
        s.slowVsPoolStreak(), s.eccUncorrectedByGpu(), s.knownGpus(), s.maxGpuCount());
  }

  // ---- rules ------------------------------------------------------------------------------

  private static Optional<RuleFinding> staleFinding(
      Instant lastReportAt, long intervalMs, HealthRules rules, Instant now) {
    Duration age = Duration.between(lastReportAt, now);
    Duration limit = Duration.ofMillis(intervalMs * rules.staleAfterIntervals());
    if (age.compareTo(limit) <= 0) {
      return Optional.empty();
    }
    boolean pastGrace = age.compareTo(limit.plus(rules.staleGrace())) > 0;
    Health h = pastGrace ? Health.UNHEALTHY : Health.UNKNOWN;
    String reason =
        pastGrace
            ? String.format(
                "no report for %.1f s, more than %d intervals plus a grace of %d s",
                age.toMillis() / 1000.0, rules.staleAfterIntervals(), rules.staleGrace().toSeconds())
            : String.format(
                "no report for %.1f s, more than %d intervals of %d ms",
                age.toMillis() / 1000.0, rules.staleAfterIntervals(), intervalMs);
    return Optional.of(
        new RuleFinding(
            RuleIds.STALE, h, true, reason,
            figures(
                "ageMs", (double) age.toMillis(), "limitMs", (double) limit.toMillis(),
                "graceMs", (double) rules.staleGrace().toMillis())));
  }

  private static Map<String, Integer> generationFailures(HostHealthState previous, AgentReport report) {
    Map<String, Integer> next = new HashMap<>();
    for (EndpointReport e : report.endpoints()) {
      ProbeResult g = e.generation();
      if (g == null) {
        continue;
      }
      boolean failed = !g.ok() || g.timedOut();
      next.put(e.url(), failed ? previous.generationFailures().getOrDefault(e.url(), 0) + 1 : 0);
    }
    return next;
  }

  private static Optional<RuleFinding> generationFinding(
      Map<String, Integer> failures, AgentReport report, HealthRules rules) {
    for (EndpointReport e : report.endpoints()) {
      int n = failures.getOrDefault(e.url(), 0);
      if (n >= rules.generationFailures()) {
        ProbeResult g = e.generation();
        ProbeResult h = e.health();
        String healthPage =
            h.ok() ? "its health page answered " + h.statusCode() : "its health page failed too";
        return Optional.of(
            new RuleFinding(
                RuleIds.GENERATION_FAILURES, Health.UNHEALTHY, true,
                String.format(
                    "generation probe of %s failed %d times in a row (%s); %s",
                    e.url(), n, g.timedOut() ? "timed out" : String.valueOf(g.error()), healthPage),
                figures(
                    "consecutiveFailures", (double) n, "threshold", (double) rules.generationFailures(),
                    "latencyMs", g.latencyMs(), "timedOut", g.timedOut() ? 1.0 : 0.0,
                    "healthStatus", h.statusCode() == null ? -1.0 : h.statusCode())));
      }
    }
    return Optional.empty();
  }

  private static List<RequestCount> requestWindow(
      HostHealthState previous, AgentReport report, HealthRules rules) {
    long requests = 0;
    long errors = 0;
    for (EndpointReport e : report.endpoints()) {
      ServerStats s = e.scrape();
      if (s != null && s.ok() && s.requests() != null) {
        requests += s.requests();
        errors += s.errors() == null ? 0 : s.errors();
      }
    }
    List<RequestCount> window = new ArrayList<>(previous.requestWindow());
    window.add(new RequestCount(requests, errors));
    while (window.size() > rules.errorWindowReports()) {
      window.remove(0);
    }
    return window;
  }

  private static Optional<RuleFinding> errorRatioFinding(List<RequestCount> window, HealthRules rules) {
    long requests = 0;
    long errors = 0;
    for (RequestCount c : window) {
      requests += c.requests();
      errors += c.errors();
    }
    if (requests < rules.errorMinRequests()) {
      return Optional.empty();
    }
    double ratio = (double) errors / requests;
    Health h;
    double threshold;
    if (ratio > rules.errorRatioUnhealthy()) {
      h = Health.UNHEALTHY;
      threshold = rules.errorRatioUnhealthy();
    } else if (ratio > rules.errorRatioDegraded()) {
      h = Health.DEGRADED;
      threshold = rules.errorRatioDegraded();
    } else {
      return Optional.empty();
    }
    return Optional.of(
        new RuleFinding(
            RuleIds.ERROR_RATIO, h, false,
            String.format(
                "%d of %d requests failed over the last %d reports (%.1f %%, above %.1f %%)",
                errors, requests, window.size(), ratio * 100, threshold * 100),
            figures(
                "errors", (double) errors, "requests", (double) requests, "ratio", ratio,
                "threshold", threshold, "reports", (double) window.size())));
  }

  private static Optional<RuleFinding> temperatureFinding(List<GpuMetrics> gpus, HealthRules rules) {
    GpuMetrics hottest = null;
    for (GpuMetrics g : gpus) {
      if (g.temperatureC() != null
          && (hottest == null || g.temperatureC() > hottest.temperatureC())) {
        hottest = g;
      }
    }
    if (hottest == null || hottest.temperatureC() < rules.gpuTemperatureDegradedC()) {
      return Optional.empty();
    }
    boolean hot = hottest.temperatureC() >= rules.gpuTemperatureUnhealthyC();
    double threshold = hot ? rules.gpuTemperatureUnhealthyC() : rules.gpuTemperatureDegradedC();
    return Optional.of(
        new RuleFinding(
            RuleIds.GPU_TEMPERATURE, hot ? Health.UNHEALTHY : Health.DEGRADED, false,
            String.format(
                "GPU %d (%s) at %.0f C, at or above %.0f C",
                hottest.index(), hottest.uuid(), hottest.temperatureC(), threshold),
            figures(
                "temperatureC", hottest.temperatureC(), "thresholdC", threshold,
                "gpuIndex", (double) hottest.index())));
  }

  /** Fires when a GPU's volatile uncorrectable ECC count rose; updates {@code ecc} to the latest counts. */
  private static Optional<RuleFinding> eccFinding(List<GpuMetrics> gpus, Map<String, Long> ecc) {
    RuleFinding finding = null;
    for (GpuMetrics g : gpus) {
      Long now = g.eccUncorrectedVolatile();
      if (now == null) {
        continue;
      }
      Long before = ecc.put(g.uuid(), now);
      if (finding == null && before != null && now > before) {
        finding =
            new RuleFinding(
                RuleIds.GPU_ECC, Health.UNHEALTHY, true,
                String.format(
                    "GPU %d (%s) has %d new uncorrectable ECC errors (%d in all)",
                    g.index(), g.uuid(), now - before, now),
                figures(
                    "newErrors", (double) (now - before), "eccUncorrectedVolatile", (double) now,
                    "gpuIndex", (double) g.index()));
      }
    }
    return Optional.ofNullable(finding);
  }

  private static Optional<RuleFinding> xidFinding(List<GpuMetrics> gpus, HealthRules rules) {
    int fatal = 0;
    GpuMetrics firstGpu = null;
    long firstXid = -1;
    for (GpuMetrics g : gpus) {
      for (GpuMetrics.XidEvent x : g.xidEvents()) {
        if (rules.fatalXids().contains(x.xid())) {
          fatal++;
          if (firstGpu == null) {
            firstGpu = g;
            firstXid = x.xid();
          }
        }
      }
    }
    if (firstGpu == null) {
      return Optional.empty();
    }
    return Optional.of(
        new RuleFinding(
            RuleIds.GPU_XID, Health.UNHEALTHY, true,
            String.format(
                "GPU %d (%s) reported fatal XID %d%s",
                firstGpu.index(), firstGpu.uuid(), firstXid,
                fatal > 1 ? " and " + (fatal - 1) + " more fatal XID events" : ""),
            figures("xid", (double) firstXid, "gpuIndex", (double) firstGpu.index(), "fatalEvents", (double) fatal)));
  }

  private static Optional<RuleFinding> gpuLostFinding(
      List<GpuMetrics> gpus, Set<String> known, int maxCount, AgentReport report) {
    Set<String> present = new HashSet<>();
    for (GpuMetrics g : gpus) {
      present.add(g.uuid());
    }
    Set<String> missing = new TreeSet<>(known);
    missing.removeAll(present);
    if (missing.isEmpty() && gpus.size() >= maxCount) {
      return Optional.empty();
    }
    String why =
        !report.gpu().available()
            ? "GPUs could not be read (" + report.gpu().unavailableReason() + ")"
            : missing.isEmpty()
                ? gpus.size() + " GPUs reported where there were " + maxCount
                : "GPU " + String.join(", ", missing) + " no longer reported";
    return Optional.of(
        new RuleFinding(
            RuleIds.GPU_LOST, Health.UNHEALTHY, true, why,
            figures(
                "gpusNow", (double) gpus.size(), "gpusBefore", (double) Math.max(maxCount, known.size()),
                "missing", (double) missing.size())));
  }

  private static Optional<RuleFinding> memoryFinding(AgentReport report, HealthRules rules) {
    long total = report.host().memoryTotalBytes();
    long available = report.host().memoryAvailableBytes();
    if (total <= 0) {
      return Optional.empty();
    }
    double ratio = (double) available / total;
    if (ratio >= rules.memoryAvailableMinRatio()) {
      return Optional.empty();
    }
    return Optional.of(
        new RuleFinding(
            RuleIds.MEMORY, Health.DEGRADED, false,
            String.format(
                "only %.1f %% of memory available (below %.1f %%)",
                ratio * 100, rules.memoryAvailableMinRatio() * 100),
            figures(
                "availableBytes", (double) available, "totalBytes", (double) total,
                "availableRatio", ratio, "thresholdRatio", rules.memoryAvailableMinRatio())));
  }

  // ---- helpers ----------------------------------------------------------------------------

  private static Map<String, Double> figures(Object... namesAndValues) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      m.put((String) namesAndValues[i], ((Number) namesAndValues[i + 1]).doubleValue());
    }
    return m;
  }

  private static void require(Object value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
  }
}

package dev.nines.server.health;

import dev.nines.protocol.AgentReport;
import dev.nines.protocol.EndpointReport;
import dev.nines.protocol.GpuMetrics;
import dev.nines.protocol.GpuSection;
import dev.nines.protocol.HostMetrics;
import dev.nines.protocol.ProbeResult;
import dev.nines.protocol.Protocol;
import dev.nines.protocol.ServerStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One simulated host for the health tests: a report template the test changes, a clock it moves by
 * hand, and the judge's state carried from one evaluation to the next.
 */
final class HostSim {
  static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");
  static final long INTERVAL_MS = 10_000;
  static final String URL = "http://127.0.0.1:8000";

  final String hostId;
  Instant now = T0;
  HostHealthState state;
  HealthRules rules = HealthRules.defaults();
  PoolContext pool = PoolContext.none();
  final List<HealthChange> changes = new ArrayList<>();
  private long seq = 0;

  // the report template
  long memoryTotalBytes = 64L << 30;
  long memoryAvailableBytes = 32L << 30;
  final Map<String, Gpu> gpus = new LinkedHashMap<>();
  boolean gpusReadable = true;
  boolean generationOk = true;
  boolean generationTimedOut = false;
  boolean scrape = true;
  long requests = 100;
  long errors = 0;
  Double p95Ms = 200.0;

  static final class Gpu {
    final int index;
    final String uuid;
    double temperatureC = 60;
    long ecc = 0;
    List<Long> xidsNextReport = new ArrayList<>();

    Gpu(int index, String uuid) {
      this.index = index;
      this.uuid = uuid;
    }
  }

  HostSim(String hostId) {
    this.hostId = hostId;
    this.state = HostHealthState.initial(hostId, T0);
    gpus.put("GPU-0", new Gpu(0, "GPU-0"));
    gpus.put("GPU-1", new Gpu(1, "GPU-1"));
  }

  HostSim() {
    this("host-a");
  }

  Gpu gpu(int index) {
    return gpus.get("GPU-" + index);
  }

  AgentReport buildReport() {
    seq++;
    HostMetrics host =
        new HostMetrics(
            0.5, 16, 1.0, 1.0, 1.0, memoryTotalBytes, memoryAvailableBytes, 0, 0, 3600, List.of(), List.of());
    GpuSection section;
    if (gpusReadable) {
      List<GpuMetrics> list = new ArrayList<>();
      for (Gpu g : gpus.values()) {
        List<GpuMetrics.XidEvent> xids = new ArrayList<>();
        for (long x : g.xidsNextReport) {
          xids.add(new GpuMetrics.XidEvent(x, now.toEpochMilli()));
        }
        list.add(
            new GpuMetrics(
                g.index, g.uuid, "H100", 0.9, 0.4, 80_000_000_000L, 40_000_000_000L, g.temperatureC,
                500.0, 700.0, g.ecc, 0L, List.of(), xids));
        g.xidsNextReport = new ArrayList<>();
      }
      section = new GpuSection(true, null, "sim", "550.54", list);
    } else {
      section = GpuSection.unavailable("nvml", "NVML init failed: driver not loaded");
    }
    long at = now.toEpochMilli();
    ProbeResult health = new ProbeResult(true, 200, 2.0, false, null, at);
    ProbeResult generation =
        generationOk
            ? new ProbeResult(true, 200, 40.0, false, null, at)
            : generationTimedOut
                ? new ProbeResult(false, null, 5000.0, true, "timed out", at)
                : new ProbeResult(false, 500, 12.0, false, "HTTP 500", at);
    ServerStats stats =
        scrape
            ? new ServerStats(true, null, "vllm", requests, errors, 100.0, 90.0, p95Ms, p95Ms, 2.0, 0.0, 0)
            : null;
    EndpointReport ep = new EndpointReport(URL, "vllm", health, generation, stats);
    return new AgentReport(
        Protocol.CURRENT_VERSION, hostId, seq, at, INTERVAL_MS, Map.of("pool", "llama"), "test",
        host, section, List.of(ep));
  }

  /** One interval passes and the host's report arrives and is judged. */
  Judgement report() {
    now = now.plusMillis(INTERVAL_MS);
    HostObservation obs = new HostObservation(buildReport(), now);
    return record(HealthJudge.evaluate(state, obs, pool, rules, now));
  }

  /** {@code n} reports; the last judgement. */
  Judgement reports(int n) {
    Judgement j = null;
    for (int i = 0; i < n; i++) {
      j = report();
    }
    return j;
  }

  /** Time passes with no report; the periodic job judges the host. */
  Judgement silence(Duration d) {
    now = now.plus(d);
    return record(HealthJudge.evaluateStale(state, rules, now));
  }

  Health health() {
    return state.health();
  }

  private Judgement record(Judgement j) {
    state = j.next();
    j.change().ifPresent(changes::add);
    return j;
  }
}

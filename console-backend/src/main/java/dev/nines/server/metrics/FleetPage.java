package dev.nines.server.metrics;

import dev.nines.protocol.EndpointReport;
import dev.nines.protocol.GpuMetrics;
import dev.nines.protocol.ProbeResult;
import dev.nines.protocol.RoutingState;
import dev.nines.protocol.ServerStats;
import dev.nines.server.health.Health;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Turns host views, endpoint counters and pool figures into Prometheus metric families. Pure: no
 * I/O, no clock. A figure that is not available produces no sample.
 */
final class FleetPage {
  /**
   * The percentiles of {@code nines_endpoint_request_latency_seconds}. A label named {@code quantile}
   * is reserved for summaries (promtool refuses it on a gauge), hence {@code percentile}.
   */
  static final String[] PERCENTILES = {"p50", "p95", "p99"};
  /** The states of {@code nines_pool_state}, one sample each. */
  static final List<String> POOL_STATES = List.of("UP", "DEGRADED", "DOWN", "MAINTENANCE", "UNKNOWN");

  private FleetPage() {}

  /** Every per-host gauge that depends only on the host's latest state (not on the time now). */
  static List<MetricSnapshot> hostGauges(List<HostView> hosts) {
    Gauge health = new Gauge("nines_host_health_state",
        "Current health of the host as judged by the server: 1 for its state, 0 for the others (UNKNOWN when never judged)");
    Gauge routing = new Gauge("nines_host_routing_state",
        "Desired routing state of the host: 1 for its state, 0 for the others");
    Gauge util = new Gauge("nines_gpu_utilization_ratio", "Share of time a GPU kernel ran during the latest report's interval, 0..1");
    Gauge memUsed = new Gauge("nines_gpu_memory_used_bytes", "GPU frame-buffer memory in use at the latest report");
    Gauge memTotal = new Gauge("nines_gpu_memory_total_bytes", "GPU frame-buffer memory size");
    Gauge temp = new Gauge("nines_gpu_temperature_celsius", "GPU core temperature at the latest report");
    Gauge power = new Gauge("nines_gpu_power_watts", "GPU power draw at the latest report");
    Gauge ecc = new Gauge("nines_gpu_ecc_uncorrectable_errors",
        "Volatile uncorrectable ECC errors of the GPU since its driver loaded, as the latest report gave them");
    Gauge probeLatency = new Gauge("nines_endpoint_probe_latency_seconds",
        "Latency of the agent's latest probe of the endpoint (probe=health: its health page, probe=generation: a one-token generation)");
    Gauge probeOk = new Gauge("nines_endpoint_probe_success", "1 when the agent's latest probe of the endpoint succeeded, else 0");
    Gauge latency = new Gauge("nines_endpoint_request_latency_seconds",
        "Percentiles (p50, p95, p99) of the endpoint's own end-to-end request latency during the latest report's interval, from its metrics page");
    Gauge running = new Gauge("nines_endpoint_requests_running", "Requests the endpoint was processing at the latest scrape of it");
    Gauge waiting = new Gauge("nines_endpoint_requests_waiting", "Requests queued in the endpoint at the latest scrape of it");
    for (HostView h : hosts) {
      Labels host = hostLabels(h);
      Health current = h.health() == null ? Health.UNKNOWN : h.health();
      for (Health s : Health.values()) {
        health.add(host.add("state", s.name()), s == current ? 1 : 0);
      }
      for (RoutingState s : RoutingState.values()) {
        routing.add(host.add("state", s.name()), s == h.routing() ? 1 : 0);
      }
      if (h.report() == null) {
        continue;
      }
      for (GpuMetrics g : h.report().gpu().gpus()) {
        Labels gpu = host.add("gpu", Integer.toString(g.index()));
        util.add(gpu, g.utilGpuRatio());
        memUsed.add(gpu, g.memoryUsedBytes() == null ? null : g.memoryUsedBytes().doubleValue());
        memTotal.add(gpu, g.memoryTotalBytes() == null ? null : g.memoryTotalBytes().doubleValue());
        temp.add(gpu, g.temperatureC());
        power.add(gpu, g.powerDrawWatts());
        ecc.add(gpu, g.eccUncorrectedVolatile() == null ? null : g.eccUncorrectedVolatile().doubleValue());
      }
      for (EndpointReport e : h.report().endpoints()) {
        Labels ep = host.add("endpoint", e.url());
        probe(probeLatency, probeOk, ep.add("probe", "health"), e.health());
        probe(probeLatency, probeOk, ep.add("probe", "generation"), e.generation());
        ServerStats s = e.scrape();
        if (s != null && s.ok()) {
          Double[] q = {s.latencyP50Ms(), s.latencyP95Ms(), s.latencyP99Ms()};
          for (int i = 0; i < q.length; i++) {
            latency.add(ep.add("percentile", PERCENTILES[i]), q[i] == null ? null : q[i] / 1000.0);
          }
          running.add(ep, s.running());
          waiting.add(ep, s.waiting());
        }
      }
    }
    return List.of(
        health.build(), routing.build(), util.build(), memUsed.build(), memTotal.build(), temp.build(),
        power.build(), ecc.build(), probeLatency.build(), probeOk.build(), latency.build(), running.build(),
        waiting.build());
  }

  private static void probe(Gauge latency, Gauge ok, Labels labels, ProbeResult p) {
    if (p != null) {
      latency.add(labels, p.latencyMs() / 1000.0);
      ok.add(labels, p.ok() ? 1.0 : 0.0);
    }
  }

  /** Seconds since each host's latest report reached the server (0 when its clock is ahead). */
  static GaugeSnapshot reportAge(List<HostView> hosts, long nowMs) {
    Gauge age = new Gauge("nines_host_last_report_age_seconds", "Seconds since the host's latest report reached the server");
    for (HostView h : hosts) {
      age.add(hostLabels(h), Math.max(0, nowMs - h.lastSeenMs()) / 1000.0);
    }
    return age.build();
  }

  /**
   * The endpoint request and error counters of the hosts shown.
   *
   * @param counts per host id, per endpoint URL: {requests, errors}
   */
  static List<MetricSnapshot> endpointCounters(List<HostView> hosts, Map<String, Map<String, long[]>> counts) {
    CounterSnapshot.Builder requests =
        CounterSnapshot.builder()
            .name("nines_endpoint_requests")
            .help("Requests the endpoint finished, summed over the reports this server stored since it started");
    CounterSnapshot.Builder errors =
        CounterSnapshot.builder()
            .name("nines_endpoint_request_errors")
            .help("Requests the endpoint failed, summed over the reports this server stored since it started");
    for (HostView h : hosts) {
      Map<String, long[]> byUrl = counts.get(h.id());
      if (byUrl == null) {
        continue;
      }
      Labels host = hostLabels(h);
      for (Map.Entry<String, long[]> e : byUrl.entrySet()) {
        Labels ep = host.add("endpoint", e.getKey());
        requests.dataPoint(CounterDataPointSnapshot.builder().labels(ep).value(e.getValue()[0]).build());
        errors.dataPoint(CounterDataPointSnapshot.builder().labels(ep).value(e.getValue()[1]).build());
      }
    }
    return List.of(requests.build(), errors.build());
  }

  /**
   * The XID error counter of the hosts shown: one series per GPU and XID code the host reported
   * since this server started (codes beyond the per-host limit under {@code xid="other"}).
   *
   * @param counts a host id's counts (empty when it has none)
   */
  static CounterSnapshot xidCounters(List<HostView> hosts, Function<String, Map<XidCounts.Key, Long>> counts) {
    CounterSnapshot.Builder xid =
        CounterSnapshot.builder()
            .name("nines_gpu_xid_errors")
            .help("XID error events of the GPU by XID code, summed over the reports this server stored since it"
                + " started (at most 64 codes per host, later new codes under xid=\"other\")");
    for (HostView h : hosts) {
      Map<XidCounts.Key, Long> byKey = counts.apply(h.id());
      if (byKey.isEmpty()) {
        continue;
      }
      Labels host = hostLabels(h);
      for (Map.Entry<XidCounts.Key, Long> e : byKey.entrySet()) {
        Labels labels = host.add("gpu", Integer.toString(e.getKey().gpu())).add("xid", e.getKey().xid());
        xid.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(e.getValue()).build());
      }
    }
    return xid.build();
  }

  /** The per-pool families. */
  static List<MetricSnapshot> pools(List<PoolFigures> pools) {
    Gauge availability = new Gauge("nines_pool_availability_ratio",
        "Time-based availability of the pool over the window ending now, 0..1 (absent when nothing was counted)");
    Gauge budget = new Gauge("nines_pool_error_budget_remaining_ratio",
        "Share of the SLO period's error budget left: 1 untouched, 0 spent, negative overspent");
    Gauge burn = new Gauge("nines_pool_error_budget_burn_rate",
        "Error-budget burn rate over the window ending now: 1 spends the budget exactly over the SLO period");
    Gauge state = new Gauge("nines_pool_state", "Current state of the pool: 1 for its state, 0 for the others");
    Gauge members = new Gauge("nines_pool_members", "Hosts in the pool");
    Gauge up = new Gauge("nines_pool_members_up", "Hosts of the pool that serve now (ACTIVE and up)");
    Gauge target = new Gauge("nines_pool_slo_target_ratio",
        "The pool's SLO availability target, 0..1 (0.999 for 99.9 %), as configured now");
    Gauge alerts = new Gauge("nines_pool_burn_rate_alert",
        "1 while the SLO's multi-window burn-rate condition fires (SRE workbook: page-14.4x-1h-5m,"
            + " page-6x-6h-30m, ticket-1x-3d-6h), else 0");
    for (PoolFigures p : pools) {
      Labels pool = Labels.of("pool", p.pool());
      BiConsumer<Gauge, Map<String, Double>> byWindow =
          (g, m) -> m.forEach((w, v) -> g.add(pool.add("window", w), v));
      byWindow.accept(availability, p.availability());
      byWindow.accept(burn, p.burnRates());
      budget.add(pool, p.budgetRemaining());
      for (String s : POOL_STATES) {
        state.add(pool.add("state", s), s.equals(p.state()) ? 1 : 0);
      }
      if (!POOL_STATES.contains(p.state())) {
        state.add(pool.add("state", p.state()), 1);
      }
      members.add(pool, (double) p.membersTotal());
      up.add(pool, (double) p.membersUp());
      target.add(pool, p.sloTarget());
      p.burnAlerts().forEach((condition, firing) -> alerts.add(pool.add("condition", condition), firing ? 1 : 0));
    }
    return List.of(
        availability.build(), budget.build(), burn.build(), state.build(), members.build(), up.build(),
        target.build(), alerts.build());
  }

  private static Labels hostLabels(HostView h) {
    return Labels.of("host", h.id(), "pool", h.pool());
  }

  /** A gauge family being filled; a null value adds no sample. */
  private static final class Gauge {
    private final GaugeSnapshot.Builder builder;

    Gauge(String name, String help) {
      builder = GaugeSnapshot.builder().name(name).help(help);
    }

    void add(Labels labels, Double value) {
      if (value != null && !value.isNaN()) {
        builder.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
      }
    }

    void add(Labels labels, double value) {
      builder.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
    }

    GaugeSnapshot build() {
      return builder.build();
    }
  }
}

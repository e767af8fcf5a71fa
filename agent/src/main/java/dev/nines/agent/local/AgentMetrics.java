package dev.nines.agent.local;

import dev.nines.agent.ship.DesiredState;
import dev.nines.agent.ship.DropReason;
import dev.nines.agent.ship.Shipper;
import dev.nines.agent.ship.Spool;
import dev.nines.protocol.AgentReport;
import dev.nines.protocol.EndpointReport;
import dev.nines.protocol.GpuMetrics;
import dev.nines.protocol.HostMetrics;
import dev.nines.protocol.RoutingState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's own Prometheus page: one {@link PrometheusMeterRegistry} holding
 *
 * <ul>
 *   <li>collection timings ({@code nines_agent_collect_seconds{collector}}),
 *   <li>shipping: spool depth and bytes, reports sent, failed send attempts, reports dropped by
 *       reason, age of the last acknowledged report ({@link #bindShipper}),
 *   <li>the desired routing state, one 0/1 gauge per state ({@link #bindDesiredState}),
 *   <li>host, GPU and endpoint gauges mirroring the latest {@link AgentReport} ({@link #update}).
 * </ul>
 *
 * <p>Report gauges read values held here, so a scrape always sees the latest report. A figure the
 * report leaves out (null: not available), a GPU that disappeared or an endpoint no longer probed
 * has its series removed, so the page never shows stale values as if they were current.
 *
 * <p>Thread-safe: {@link #update} may run on the collection thread while the page is scraped.
 */
public final class AgentMetrics {
  /** Collector names used for {@code nines_agent_collect_seconds}. */
  public static final List<String> COLLECTORS = List.of("host", "gpu", "probe");

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Clock clock;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<SeriesKey, Series> series = new HashMap<>();
  private volatile long lastReportAtMs = -1;

  private record SeriesKey(String name, Tags tags) {}

  /** A gauge's current value, read by the gauge function at scrape time. */
  private static final class Series {
    final Gauge gauge;
    volatile double value;

    Series(PrometheusMeterRegistry registry, Def def, Tags tags, double value) {
      this.value = value;
      this.gauge =
          Gauge.builder(def.name, this, s -> s.value)
              .description(def.description)
              .baseUnit(def.baseUnit)
              .tags(tags)
              .strongReference(true)
              .register(registry);
    }
  }

  /** A gauge family fed from reports. */
  private record Def(String name, String description, String baseUnit) {}

  private static final Def CPU = new Def("nines_host_cpu_utilization_ratio",
      "Share of CPU time the host was busy over the last interval, 0..1", null);
  private static final Def CPU_COUNT = new Def("nines_host_cpus",
      "Logical processors of the host", null);
  private static final Def MEM_TOTAL = new Def("nines_host_memory_total_bytes",
      "Physical memory of the host", "bytes");
  private static final Def MEM_AVAILABLE = new Def("nines_host_memory_available_bytes",
      "Memory available for new work (MemAvailable)", "bytes");
  private static final Def SWAP_TOTAL = new Def("nines_host_swap_total_bytes",
      "Swap space of the host", "bytes");
  private static final Def SWAP_USED = new Def("nines_host_swap_used_bytes",
      "Swap space in use", "bytes");
  private static final Def LOAD1 = new Def("nines_host_load1",
      "1-minute load average", null);
  private static final Def LOAD5 = new Def("nines_host_load5",
      "5-minute load average", null);
  private static final Def LOAD15 = new Def("nines_host_load15",
      "15-minute load average", null);
  private static final Def UPTIME = new Def("nines_host_uptime_seconds",
      "Seconds since the host booted", "seconds");
  private static final Def FS_USED = new Def("nines_host_filesystem_used_bytes",
      "Space in use on a mounted file system", "bytes");
  private static final Def FS_TOTAL = new Def("nines_host_filesystem_total_bytes",
      "Size of a mounted file system", "bytes");
  private static final Def NET_RX = new Def("nines_host_network_rx_bytes_per_second",
      "Bytes received per second on a network interface over the last interval", null);
  private static final Def NET_TX = new Def("nines_host_network_tx_bytes_per_second",
      "Bytes sent per second on a network interface over the last interval", null);
  private static final Def GPU_AVAILABLE = new Def("nines_gpu_available",
      "1 when the agent could read the host's GPUs, 0 when not (see the report's reason)", null);
  private static final Def GPU_COUNT = new Def("nines_gpus",
      "GPUs the driver reports", null);
  private static final Def GPU_UTIL = new Def("nines_gpu_utilization_ratio",
      "Share of time a kernel ran on the GPU over the last sample period, 0..1", null);
  private static final Def GPU_MEM_UTIL = new Def("nines_gpu_memory_utilization_ratio",
      "Share of time GPU memory was read or written, 0..1", null);
  private static final Def GPU_MEM_USED = new Def("nines_gpu_memory_used_bytes",
      "GPU frame-buffer memory in use", "bytes");
  private static final Def GPU_MEM_TOTAL = new Def("nines_gpu_memory_total_bytes",
      "GPU frame-buffer memory size", "bytes");
  private static final Def GPU_TEMP = new Def("nines_gpu_temperature_celsius",
      "GPU core temperature in degrees Celsius", null);
  private static final Def GPU_POWER = new Def("nines_gpu_power_watts",
      "GPU power draw in watts", null);
  private static final Def GPU_POWER_LIMIT = new Def("nines_gpu_power_limit_watts",
      "GPU enforced power limit in watts", null);
  private static final Def GPU_ECC = new Def("nines_gpu_ecc_uncorrected_errors",
      "Volatile uncorrectable ECC errors since the driver loaded", null);
  private static final Def GPU_THROTTLE = new Def("nines_gpu_throttle_reasons",
      "NVML clock-throttle reason bit mask (0: not throttled)", null);
  private static final Def EP_UP = new Def("nines_endpoint_health_up",
      "1 when the model server's health probe succeeded in the last interval, else 0", null);
  private static final Def EP_GEN_UP = new Def("nines_endpoint_generation_up",
      "1 when the one-token generation probe succeeded in the last interval, else 0", null);
  private static final Def EP_GEN_LATENCY = new Def("nines_endpoint_generation_latency_seconds",
      "Latency of the last one-token generation probe (to the answer or to the failure)", "seconds");
  private static final Def EP_P95 = new Def("nines_endpoint_scrape_latency_p95_seconds",
      "95th percentile request latency over the last interval, from the server's own metrics",
      "seconds");
  private static final Def EP_REQUESTS = new Def("nines_endpoint_requests",
      "Requests the model server finished during the last interval (its own counters)", null);
  private static final Def EP_ERRORS = new Def("nines_endpoint_errors",
      "Requests that failed during the last interval (the server's own counters)", null);

  /** Creates the registry and the meters that exist from the start (collection timers, report age). */
  public AgentMetrics(Clock clock) {
    if (clock == null) {
      throw new IllegalArgumentException("clock is required");
    }
    this.clock = clock;
    for (String collector : COLLECTORS) {
      collectTimer(collector);
    }
    Gauge.builder("nines_agent_last_report_age_seconds", this,
            m -> ageSeconds(m.lastReportAtMs))
        .description("Seconds since the latest report was collected (NaN before the first)")
        .baseUnit("seconds")
        .register(registry);
  }

  /** The registry, for callers that add their own meters. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The page in Prometheus text format 0.0.4. */
  public String scrape() {
    return registry.scrape();
  }

  /** The timer of one collector ({@code host}, {@code gpu}, {@code probe} or another name). */
  public Timer collectTimer(String collector) {
    if (collector == null || collector.isBlank()) {
      throw new IllegalArgumentException("collector is required");
    }
    return timers.computeIfAbsent(collector, c ->
        Timer.builder("nines_agent_collect")
            .description("Time one collection of a collector took")
            .tag("collector", c)
            .register(registry));
  }

  /** Records how long one collection took. */
  public void recordCollect(String collector, Duration took) {
    collectTimer(collector).record(took);
  }

  /** Exposes the shipper's counters and its spool's size. Call once. */
  public void bindShipper(Shipper shipper) {
    Spool spool = shipper.spool();
    Gauge.builder("nines_agent_spool_depth", spool, Spool::depth)
        .description("Reports waiting in the on-disk spool")
        .register(registry);
    Gauge.builder("nines_agent_spool_bytes", spool, Spool::bytes)
        .description("Bytes of reports waiting in the on-disk spool")
        .baseUnit("bytes")
        .register(registry);
    FunctionCounter.builder("nines_agent_reports_sent", shipper, Shipper::sentTotal)
        .description("Reports acknowledged by a backend")
        .register(registry);
    FunctionCounter.builder("nines_agent_report_send_failures", shipper,
            Shipper::failedAttemptsTotal)
        .description("Failed report POSTs (connection failure, timeout, 5xx, 401/403)")
        .register(registry);
    for (DropReason reason : DropReason.values()) {
      FunctionCounter.builder("nines_agent_reports_dropped", shipper,
              s -> s.droppedTotal(reason))
          .description("Reports given up on instead of delivered, by reason")
          .tag("reason", reason.label())
          .register(registry);
    }
    Gauge.builder("nines_agent_last_ack_age_seconds", shipper,
            s -> ageSeconds(s.lastAckAtMs().orElse(-1)))
        .description("Seconds since a backend last acknowledged a report (NaN before the first)")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("nines_agent_backing_off", shipper, s -> s.backingOff() ? 1 : 0)
        .description("1 while report sends are paused after every backend failed")
        .register(registry);
  }

  /** Exposes the desired routing state as one 0/1 gauge per state. Call once. */
  public void bindDesiredState(DesiredState desired) {
    for (RoutingState state : RoutingState.values()) {
      Gauge.builder("nines_agent_desired_state", desired, d -> d.state() == state ? 1 : 0)
          .description("1 for the routing state the backend wants this host in, 0 for the others")
          .tag("state", state.name())
          .register(registry);
    }
  }

  private double ageSeconds(long atMs) {
    return atMs < 0 ? Double.NaN : Math.max(0, clock.millis() - atMs) / 1000.0;
  }

  /** Epoch ms of the latest report's collection, empty before the first {@link #update}. */
  public OptionalLong lastReportAtMs() {
    long at = lastReportAtMs;
    return at < 0 ? OptionalLong.empty() : OptionalLong.of(at);
  }

  /** Mirrors the latest report in the gauges; series the report no longer has are removed. */
  public void update(AgentReport report) {
    Map<SeriesKey, Double> seen = new LinkedHashMap<>();
    Map<SeriesKey, Def> defs = new HashMap<>();
    Observer put = (def, tags, value) -> {
      if (value != null && Double.isFinite(value.doubleValue())) {
        SeriesKey key = new SeriesKey(def.name, tags);
        seen.put(key, value.doubleValue());
        defs.put(key, def);
      }
    };
    observeHost(report.host(), put);
    observeGpus(report, put);
    for (EndpointReport ep : report.endpoints()) {
      Tags tags = Tags.of("endpoint", ep.url());
      put.accept(EP_UP, tags, ep.health().ok() ? 1 : 0);
      if (ep.generation() != null) {
        put.accept(EP_GEN_UP, tags, ep.generation().ok() ? 1 : 0);
        put.accept(EP_GEN_LATENCY, tags, ep.generation().latencyMs() / 1000.0);
      }
      if (ep.scrape() != null) {
        put.accept(EP_P95, tags, msToSeconds(ep.scrape().latencyP95Ms()));
        put.accept(EP_REQUESTS, tags, ep.scrape().requests());
        put.accept(EP_ERRORS, tags, ep.scrape().errors());
      }
    }
    synchronized (series) {
      for (Map.Entry<SeriesKey, Double> e : seen.entrySet()) {
        Series s = series.get(e.getKey());
        if (s == null) {
          series.put(e.getKey(), new Series(registry, defs.get(e.getKey()), e.getKey().tags(), e.getValue()));
        } else {
          s.value = e.getValue();
        }
      }
      Iterator<Map.Entry<SeriesKey, Series>> it = series.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<SeriesKey, Series> e = it.next();
        if (!seen.containsKey(e.getKey())) {
          registry.remove(e.getValue().gauge);
          it.remove();
        }
      }
    }
    lastReportAtMs = report.collectedAtMs();
  }

  @FunctionalInterface
  private interface Observer {
    void accept(Def def, Tags tags, Number value);
  }

  private static void observeHost(HostMetrics h, Observer put) {
    Tags none = Tags.empty();
    put.accept(CPU, none, h.cpuUtilRatio());
    put.accept(CPU_COUNT, none, h.cpuCount());
    put.accept(MEM_TOTAL, none, h.memoryTotalBytes());
    put.accept(MEM_AVAILABLE, none, h.memoryAvailableBytes());
    put.accept(SWAP_TOTAL, none, h.swapTotalBytes());
    put.accept(SWAP_USED, none, h.swapUsedBytes());
    put.accept(LOAD1, none, h.load1());
    put.accept(LOAD5, none, h.load5());
    put.accept(LOAD15, none, h.load15());
    put.accept(UPTIME, none, h.uptimeSeconds());
    for (HostMetrics.FilesystemUsage fs : h.filesystems()) {
      Tags tags = Tags.of("mount", fs.mount());
      put.accept(FS_USED, tags, fs.usedBytes());
      put.accept(FS_TOTAL, tags, fs.totalBytes());
    }
    for (HostMetrics.NetworkRates net : h.network()) {
      Tags tags = Tags.of("interface", net.name());
      put.accept(NET_RX, tags, net.rxBytesPerSecond());
      put.accept(NET_TX, tags, net.txBytesPerSecond());
    }
  }

  private static void observeGpus(AgentReport report, Observer put) {
    put.accept(GPU_AVAILABLE, Tags.empty(), report.gpu().available() ? 1 : 0);
    if (!report.gpu().available()) {
      return;
    }
    put.accept(GPU_COUNT, Tags.empty(), report.gpu().gpus().size());
    for (GpuMetrics g : report.gpu().gpus()) {
      Tags tags = Tags.of("gpu", Integer.toString(g.index()), "uuid", g.uuid());
      put.accept(GPU_UTIL, tags, g.utilGpuRatio());
      put.accept(GPU_MEM_UTIL, tags, g.utilMemoryRatio());
      put.accept(GPU_MEM_USED, tags, g.memoryUsedBytes());
      put.accept(GPU_MEM_TOTAL, tags, g.memoryTotalBytes());
      put.accept(GPU_TEMP, tags, g.temperatureC());
      put.accept(GPU_POWER, tags, g.powerDrawWatts());
      put.accept(GPU_POWER_LIMIT, tags, g.powerLimitWatts());
      put.accept(GPU_ECC, tags, g.eccUncorrectedVolatile());
      put.accept(GPU_THROTTLE, tags, g.throttleReasons());
    }
  }

  private static Double msToSeconds(Double ms) {
    return ms == null ? null : ms / 1000.0;
  }
}

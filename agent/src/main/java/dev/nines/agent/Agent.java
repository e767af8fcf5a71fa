package dev.nines.agent;

import dev.nines.agent.collect.gpu.GpuCollector;
import dev.nines.agent.collect.gpu.GpuCollectors;
import dev.nines.agent.collect.host.HostCollector;
import dev.nines.agent.local.AgentCheckResponder;
import dev.nines.agent.local.AgentMetrics;
import dev.nines.agent.local.LocalServer;
import dev.nines.agent.net.AgentHttp;
import dev.nines.agent.probe.EndpointProbe;
import dev.nines.agent.probe.ProbeSettings;
import dev.nines.agent.ship.Backoff;
import dev.nines.agent.ship.DesiredState;
import dev.nines.agent.ship.SequenceStore;
import dev.nines.agent.ship.Shipper;
import dev.nines.agent.ship.ShipperConfig;
import dev.nines.agent.ship.Spool;
import dev.nines.protocol.AgentReport;
import dev.nines.protocol.EndpointReport;
import dev.nines.protocol.GpuSection;
import dev.nines.protocol.HostMetrics;
import dev.nines.protocol.Protocol;
import dev.nines.protocol.ReportReply;
import dev.nines.protocol.RoutingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One host agent: every interval it collects the host, its GPUs and its model servers into a
 * report, ships it (spooling it first, so nothing is lost), and enforces the desired routing state
 * that the backend answers with on {@code /ready} and the HAProxy agent-check port.
 */
public final class Agent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);
  private static final String VERSION = versionOf();

  private final AgentSettings settings;
  private final HostCollector host;
  private final GpuCollector gpu;
  private final List<EndpointProbe> probes;
  private final SequenceStore sequence;
  private final Shipper shipper;
  private final DesiredState desired;
  private final AgentMetrics metrics;
  private final Clock clock;
  private final LocalServer local;
  private final AgentCheckResponder agentCheck;
  private final ScheduledExecutorService cycle;
  private final ExecutorService probeThreads;
  private volatile boolean closed;
  private volatile Duration interval;

  private Agent(
      AgentSettings settings, HostCollector host, AgentHttp http, Clock clock) throws IOException {
    this.settings = settings;
    this.interval = settings.interval();
    this.host = host;
    this.clock = clock;
    Files.createDirectories(settings.spoolDir());
    this.sequence = SequenceStore.open(settings.spoolDir());
    this.desired = DesiredState.open(settings.spoolDir());
    Spool spool = Spool.open(settings.spoolDir().resolve("reports"));
    this.shipper =
        new Shipper(
            ShipperConfig.of(settings.servers(), settings.token()),
            spool,
            desired,
            Backoff.withDefaults(new SecureRandom()),
            clock,
            http);
    this.metrics = new AgentMetrics(clock);
    metrics.bindShipper(shipper);
    metrics.bindDesiredState(desired);
    this.gpu = GpuCollectors.open(settings.gpu(), settings.nvmlLib(), http, clock);
    ProbeSettings probeSettings = probeSettings(settings);
    List<EndpointProbe> list = new ArrayList<>();
    for (URI endpoint : settings.endpoints()) {
      list.add(EndpointProbe.create(endpoint, probeSettings, http, clock));
    }
    this.probes = List.copyOf(list);
    this.probeThreads =
        probes.size() > 1
            ? Executors.newFixedThreadPool(Math.min(4, probes.size()), daemon("nines-agent-probe-" + settings.id()))
            : null;
    this.local =
        settings.port() < 0
            ? null
            : LocalServer.start(
                new InetSocketAddress(settings.bind(), settings.port()), settings.id(), desired, metrics, clock);
    this.agentCheck =
        settings.agentCheckPort() < 0
            ? null
            : AgentCheckResponder.start(new InetSocketAddress(settings.bind(), settings.agentCheckPort()), desired, clock);
    RoutingState[] logged = {desired.state()};
    desired.addListener(
        s -> {
          if (s.state() != logged[0]) {
            logged[0] = s.state();
            log.info("agent {}: desired routing state is now {}{}", settings.id(), s.state(),
                s.reason() == null ? "" : " (" + s.reason() + ")");
          }
        });
    this.cycle = Executors.newSingleThreadScheduledExecutor(daemon("nines-agent-" + settings.id()));
  }

  /**
   * Starts an agent: opens its spool, its local endpoints and its collectors, and schedules a
   * collection every interval (the first one at once).
   */
  public static Agent start(AgentSettings settings, HostCollector host, AgentHttp http, Clock clock)
      throws IOException {
    Agent agent = new Agent(settings, host, http, clock);
    agent.scheduleNext(0);
    return agent;
  }

  /**
   * Probe timeouts follow the interval, so that one hung model server cannot hold a cycle much
   * longer than the interval: generation gets up to the interval (at most 10 s), health and
   * scrape up to half of it (at most 2 s).
   */
  static ProbeSettings probeSettings(AgentSettings settings) {
    Duration interval = settings.interval();
    Duration half = interval.dividedBy(2);
    return ProbeSettings.defaults()
        .withHealthPath(settings.healthPath())
        .withMetricsPath(settings.metricsPath())
        .withGeneration(settings.generation())
        .withModel(settings.model())
        .withGenerationTimeout(min(ProbeSettings.DEFAULT_GENERATION_TIMEOUT, interval))
        .withHealthTimeout(min(ProbeSettings.DEFAULT_HEALTH_TIMEOUT, half))
        .withScrapeTimeout(min(ProbeSettings.DEFAULT_SCRAPE_TIMEOUT, half));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** One scheduled cycle: collect and ship, then plan the next one an interval after this began. */
  private void tick() {
    long began = System.nanoTime();
    try {
      runOnce();
    } catch (RuntimeException e) {
      log.error("agent {}: collection cycle failed", settings.id(), e);
    }
    applyPushedSettings();
    long tookMs = (System.nanoTime() - began) / 1_000_000;
    scheduleNext(Math.max(0, interval.toMillis() - tookMs));
  }

  private void scheduleNext(long delayMs) {
    if (closed) {
      return;
    }
    try {
      cycle.schedule(this::tick, delayMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopping) {
      // close() shut the schedule down between the check and here.
    }
  }

  /** The backend may set the report interval in its reply; it applies from the next cycle. */
  private void applyPushedSettings() {
    shipper.lastSettings()
        .map(ReportReply.AgentSettings::intervalMs)
        .filter(ms -> ms != null && ms != interval.toMillis())
        .ifPresent(ms -> {
          log.info("agent {}: report interval set to {} ms by the backend", settings.id(), ms);
          interval = Duration.ofMillis(ms);
        });
  }

  /** The report interval in force: the configured one, or the one the backend last pushed. */
  public Duration interval() {
    return interval;
  }

  /** Collects one report and ships it. Called by the schedule; tests may call it directly. */
  public AgentReport runOnce() {
    if (closed) {
      return null;
    }
    AgentReport report = collect();
    metrics.update(report);
    try {
      shipper.ship(report);
    } catch (UncheckedIOException e) {
      log.error("agent {}: could not spool report {}: {}", settings.id(), report.seq(), e.getMessage());
    }
    return report;
  }

  /** Collects one report without shipping it. */
  AgentReport collect() {
    long t0 = System.nanoTime();
    HostMetrics hostMetrics = host.collect();
    long t1 = System.nanoTime();
    metrics.recordCollect("host", Duration.ofNanos(t1 - t0));
    GpuSection gpuSection = gpu.collect();
    long t2 = System.nanoTime();
    metrics.recordCollect("gpu", Duration.ofNanos(t2 - t1));
    List<EndpointReport> endpoints = probeAll();
    metrics.recordCollect("probe", Duration.ofNanos(System.nanoTime() - t2));
    return new AgentReport(
        Protocol.CURRENT_VERSION,
        settings.id(),
        sequence.next(),
        clock.millis(),
        interval.toMillis(),
        settings.labels(),
        VERSION,
        hostMetrics,
        gpuSection,
        endpoints);
  }

  private List<EndpointReport> probeAll() {
    if (probes.isEmpty()) {
      return List.of();
    }
    if (probeThreads == null) {
      return List.of(probes.get(0).probe());
    }
    List<CompletableFuture<EndpointReport>> running = new ArrayList<>();
    for (EndpointProbe p : probes) {
      running.add(CompletableFuture.supplyAsync(p::probe, probeThreads));
    }
    return running.stream().map(CompletableFuture::join).toList();
  }

  public String id() {
    return settings.id();
  }

  public String pool() {
    return settings.pool();
  }

  /** The local HTTP port, or -1 when disabled. */
  public int localPort() {
    return local == null ? -1 : local.port();
  }

  /** The agent-check port, or -1 when disabled. */
  public int agentCheckPort() {
    return agentCheck == null ? -1 : agentCheck.port();
  }

  /** The routing state this agent enforces now. */
  public RoutingState desired() {
    return desired.state();
  }

  /** Reports waiting in the spool. */
  public int spoolDepth() {
    return shipper.spool().depth();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    cycle.shutdown();
    try {
      if (!cycle.awaitTermination(15, TimeUnit.SECONDS)) {
        cycle.shutdownNow();
      }
    } catch (InterruptedException e) {
      cycle.shutdownNow();
      Thread.currentThread().interrupt();
    }
    if (probeThreads != null) {
      probeThreads.shutdownNow();
    }
    if (agentCheck != null) {
      agentCheck.close();
    }
    if (local != null) {
      local.close();
    }
    gpu.close();
    log.info("agent {}: stopped", settings.id());
  }

  @Override
  public String toString() {
    return "agent " + settings.id();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private static String versionOf() {
    String v = Agent.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}

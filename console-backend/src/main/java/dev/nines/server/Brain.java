package dev.nines.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.protocol.AgentReport;
import dev.nines.server.actuate.PoolActuation;
import dev.nines.server.alerts.AlertService;
import dev.nines.server.audit.Audit;
import dev.nines.server.config.LiveConfig;
import dev.nines.server.config.ServerConfig;
import dev.nines.server.events.EventHub;
import dev.nines.server.healthwatch.HealthWatch;
import dev.nines.server.incidentwatch.IncidentWatch;
import dev.nines.server.maintenance.MaintenanceCalendar;
import dev.nines.server.notify.DeliveryWorker;
import dev.nines.server.notify.Outbox;
import dev.nines.server.notify.ReceiverStore;
import dev.nines.server.pools.PoolService;
import dev.nines.server.routing.PolicyTick;
import dev.nines.server.routing.RoutingService;
import dev.nines.server.samples.Retention;
import dev.nines.server.samples.RetentionJob;
import dev.nines.server.samples.RollupJob;
import dev.nines.server.store.Store;
import dev.nines.server.store.WriteResult;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What only the leader runs: health judgement and staleness, incidents, the policy engine and the
 * actuators (drains, failovers), the alert engine and its delivery worker, rollups and retention.
 * Built from the database when this replica becomes the leader, exactly as at a start (every part
 * restores its state from the store), and closed when it stops leading; a single-replica server
 * builds it once at start.
 */
final class Brain implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Brain.class);

  /**
   * What the brain is built from: the replica's shared parts.
   *
   * @param externalUrl this replica's base URL, for links in alerts
   */
  record Parts(
      Store store, EventHub events, ObjectMapper json, LiveConfig live, MeterRegistry meters, Audit audit,
      MaintenanceCalendar maintenance, PoolService pools, ReceiverStore receivers, Outbox outbox,
      Retention retention, Supplier<String> externalUrl, Clock clock, boolean replicated) {}

  /** Whether this brain may act now (its replica leads and the lease's act window is open). */
  private final java.util.function.BooleanSupplier acting;

  final HealthWatch health;
  final IncidentWatch incidents;
  final PoolActuation actuation;
  final RoutingService routing;
  final PolicyTick policy;
  final AlertService alerts;
  final DeliveryWorker delivery;
  final RollupJob rollups;
  final RetentionJob retentionJob;
  /**
   * Replicas: the reports every replica stored, read back for this brain's health judgement (and
   * announced as {@code report} events to this replica's clients); null for a single replica.
   */
  final dev.nines.server.replica.ReportTail reports;
  /** The fencing token of the term this brain serves (0 for a single replica, never fenced). */
  final long token;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final List<Meter> meters = new ArrayList<>();
  private final MeterRegistry registry;

  /**
   * Builds the brain and, when {@code tick} is not null, starts its jobs: staleness every {@code
   * tick}, routing and alerts every {@link NinesServer#ROUTING_TICK}, rollups and retention (the
   * delivery loop with {@link #startDelivery}). With a null tick nothing runs by itself (tests call
   * each part's runOnce).
   */
  Brain(Parts p, long token, Duration tick, java.util.function.BooleanSupplier acting) {
    this.token = token;
    this.acting = acting;
    this.registry = p.meters();
    // Meters registered while the brain is built are removed when it closes, so that a later
    // term's gauges read that term's objects, not these.
    MeterCapture capture = MeterCapture.of(p.meters());
    List<Meter> added = capture.begin();
    try {
      ServerConfig config = p.live().get();
      Clock clock = p.clock();
      health = new HealthWatch(p.store(), p.events(), config.healthConfig(), p.json(), clock);
      incidents = new IncidentWatch(p.store(), p.events(), p.json(), pool -> p.live().get().pool(pool).guard(), clock.instant());
      health.addListener(incidents);
      actuation = new PoolActuation(config, clock);
      actuation.gate(acting, token);
      actuation.bind(p.meters());
      routing = new RoutingService(p.store(), p.events(), p.audit(), p.live(), health, actuation, clock);
      routing.setIncidents(incidents);
      policy = new PolicyTick(p.store(), p.events(), p.json(), p.meters());
      health.addHardFaultListener(policy::hardFault);
      routing.setPolicy(policy);
      alerts =
          new AlertService(
              p.store(), () -> p.live().get().alerts(), AlertWiring.source(health, p.pools(), policy, p.store()),
              p.receivers(), p.outbox(), p.maintenance()::covers, p.events(), p.meters());
      health.addHardFaultListener((id, findings) -> alerts.hardFault(id, findings, clock.instant()));
      policy.addListener(
          e -> alerts.policyEvent(e.kind(), e.pool(), e.hostId(), e.action(), e.reason(), e.figures(), clock.instant()));
      relatchHardFaults(alerts.alerts(), routing, policy);
      delivery = new DeliveryWorker(p.store(), p.receivers(), clock, new java.util.Random(), p.meters(), p.externalUrl());
      delivery.gate(acting, token);
      opened.add(delivery);
      rollups = new RollupJob(p.store(), p.retention());
      retentionJob = new RetentionJob(p.store(), p.retention());
      reports =
          p.replicated()
              ? new dev.nines.server.replica.ReportTail(
                  p.store(), p.json(), clock.millis() - dev.nines.server.replica.ReportTail.DEFAULT_OVERLAP.toMillis(),
                  ((dev.nines.server.replica.ReportTail.Listener) this::judgeTailed)
                      .andThen(dev.nines.server.replica.ReportTail.publishingReports(p.events())))
              : null;
      if (tick != null) {
        startJobs(p, tick);
      }
    } catch (RuntimeException e) {
      meters.addAll(capture.end(added));
      close();
      throw e;
    }
    meters.addAll(capture.end(added));
  }

  private void startJobs(Parts p, Duration tick) {
    Clock clock = p.clock();
    ScheduledExecutorService ticks = daemon("nines-health-tick");
    opened.add(0, ticks::shutdownNow);
    ticks.scheduleWithFixedDelay(
        () -> {
          if (!acting.getAsBoolean()) {
            return;
          }
          try {
            health.runOnce(clock.instant());
            incidents.runOnce(clock.instant());
            p.events().pruneIfDue(clock.instant());
          } catch (RuntimeException e) {
            LOG.warn("health staleness check failed: {}", e.getMessage(), e);
          }
        },
        tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    ScheduledExecutorService routingTicks = daemon("nines-routing-tick");
    long every = NinesServer.ROUTING_TICK.toMillis();
    routingTicks.scheduleWithFixedDelay(
        () -> {
          runJob("routing", () -> routing.runOnce(clock.instant()));
          runJob("alerts", () -> alerts.runOnce(clock.instant()));
        },
        every, every, TimeUnit.MILLISECONDS);
    // A hard GPU fault is judged at once, not at the next tick (the alert's group wait still applies).
    health.addHardFaultListener(
        (id, findings) -> {
          try {
            routingTicks.execute(() -> runJob("alerts", () -> alerts.runOnce(clock.instant())));
          } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the brain is closing
          }
        });
    opened.add(0, () -> {
      routingTicks.shutdownNow();
      routingTicks.awaitTermination(10, TimeUnit.SECONDS);
    });
    if (reports != null) {
      ScheduledExecutorService tail = daemon("nines-report-tail");
      long tailEvery = dev.nines.server.replica.ReportTail.EVERY.toMillis();
      tail.scheduleWithFixedDelay(() -> runJob("report tail", reports::runOnce), 0, tailEvery, TimeUnit.MILLISECONDS);
      opened.add(0, () -> {
        tail.shutdownNow();
        tail.awaitTermination(10, TimeUnit.SECONDS);
      });
    }
    ScheduledExecutorService sampleJobs = daemon("nines-sample-jobs");
    sampleJobs.scheduleWithFixedDelay(
        () -> runJob("rollup", () -> rollups.runOnce(clock.instant())),
        NinesServer.ROLLUP_EVERY.toMillis(), NinesServer.ROLLUP_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    sampleJobs.scheduleWithFixedDelay(
        () -> runJob("retention", () -> retentionJob.runOnce(clock.instant())),
        NinesServer.RETENTION_EVERY.toMillis() / 10, NinesServer.RETENTION_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    opened.add(0, () -> {
      sampleJobs.shutdownNow();
      sampleJobs.awaitTermination(10, TimeUnit.SECONDS);
    });
    jobs = true;
  }

  private boolean jobs;

  /** Starts the delivery loop (once this replica's URL is known: alerts link to it), when jobs run. */
  void startDelivery() {
    if (jobs) {
      delivery.start();
    }
  }

  /**
   * A fatal XID or a new uncorrectable ECC error holds for one report; the policy latches it in
   * memory until it quarantines the host. A brain built after its server crashed, or on a replica
   * elected after the leader died, has not seen that report (its health watch starts after the
   * latest stored seq), but the previous brain stored the fault's {@code gpu-fault} alert at once:
   * each such alert still firing whose host is not in MAINTENANCE and was not routed since the
   * alert began (the previous brain had not acted on it) is latched again. Without this, the
   * host was drained as merely UNHEALTHY and put back in rotation a few seconds later.
   *
   * @return the hosts latched again
   */
  static List<String> relatchHardFaults(
      List<dev.nines.server.alerts.Alert> alerts, RoutingService routing, PolicyTick policy) {
    List<String> out = new ArrayList<>();
    for (dev.nines.server.alerts.Alert a : alerts) {
      String host = a.labels().get("host");
      if (a.state() != dev.nines.server.alerts.Alert.State.FIRING
          || !dev.nines.server.alerts.AlertNames.GPU_FAULT.equals(a.labels().get("alertname"))
          || host == null
          || a.startsAt() == null) {
        continue;
      }
      dev.nines.server.store.RoutingRecord r = routing.routingOf(host);
      if (r.state() == dev.nines.protocol.RoutingState.MAINTENANCE || r.changedAtMs() >= a.startsAt().toEpochMilli()) {
        continue;
      }
      String description = a.annotations().getOrDefault("description", "");
      String rule =
          description.startsWith(dev.nines.server.health.RuleIds.GPU_ECC)
              ? dev.nines.server.health.RuleIds.GPU_ECC
              : dev.nines.server.health.RuleIds.GPU_XID;
      policy.hardFault(
          host,
          List.of(
              new dev.nines.server.health.RuleFinding(
                  rule, dev.nines.server.health.Health.UNHEALTHY, true,
                  "from the firing gpu-fault alert: " + description, java.util.Map.of())));
      out.add(host);
      LOG.info("host {}: the hard GPU fault of its firing gpu-fault alert (since {}) is latched again for the policy",
          host, a.startsAt());
    }
    return out;
  }

  /** Reports this replica stored, or another replica stored and the tail read: judged here. */
  void judge(List<WriteResult> results, List<AgentReport> parsed) {
    health.committed(results, parsed);
  }

  /** Reports another replica stored (or this one, before it led), read back by the tail. */
  private void judgeTailed(List<dev.nines.server.replica.ReportTail.TailedReport> tailed) {
    List<WriteResult> results = new ArrayList<>(tailed.size());
    List<AgentReport> parsed = new ArrayList<>(tailed.size());
    for (dev.nines.server.replica.ReportTail.TailedReport t : tailed) {
      // the routing row is not read back: health judgement does not use it
      results.add(new WriteResult(t.record(), false, TAILED_ROUTING));
      parsed.add(t.report());
    }
    health.committed(results, parsed);
  }

  private static final dev.nines.server.store.RoutingRecord TAILED_ROUTING =
      new dev.nines.server.store.RoutingRecord(
          dev.nines.protocol.RoutingState.ACTIVE, null, 0, dev.nines.server.store.RoutingRecord.SYSTEM);

  /** The live configuration changed (a pool's settings over the API, on any replica). */
  void reconfigure(ServerConfig next) {
    health.setConfig(next.healthConfig());
    actuation.reconfigure(next);
    routing.reconfigured(next);
  }

  /** Stops every job (waiting for a running one) and removes this brain's meters. Idempotent. */
  @Override
  public void close() {
    for (AutoCloseable c : opened) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", c, e.getMessage(), e);
      }
    }
    opened.clear();
    for (Meter m : meters) {
      registry.remove(m);
    }
    meters.clear();
  }

  /** A single daemon thread named {@code name} that runs scheduled jobs. */
  static ScheduledExecutorService daemon(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  private void runJob(String name, Runnable job) {
    if (!acting.getAsBoolean()) {
      return; // deposed: the brain is about to close; the next leader does this
    }
    try {
      job.run();
    } catch (RuntimeException e) {
      LOG.warn("{} job failed: {}", name, e.getMessage(), e);
    }
  }

  /**
   * The one meter-added listener of a registry (a registry keeps its listeners for good, so each term
   * adding its own would add one per election): it hands every meter added to the brains being built.
   */
  static final class MeterCapture implements java.util.function.Consumer<Meter> {
    private static final Map<MeterRegistry, MeterCapture> BY_REGISTRY = new java.util.WeakHashMap<>();
    private final List<List<Meter>> collecting = new ArrayList<>();

    static MeterCapture of(MeterRegistry registry) {
      synchronized (BY_REGISTRY) {
        return BY_REGISTRY.computeIfAbsent(registry, r -> {
          MeterCapture c = new MeterCapture();
          r.config().onMeterAdded(c);
          return c;
        });
      }
    }

    @Override
    public synchronized void accept(Meter m) {
      for (List<Meter> l : collecting) {
        l.add(m);
      }
    }

    /** Starts collecting: the meters added from now on go into the list returned. */
    synchronized List<Meter> begin() {
      List<Meter> l = new ArrayList<>();
      collecting.add(l);
      return l;
    }

    /** Stops collecting into {@code list}; answers a copy of what it collected. */
    synchronized List<Meter> end(List<Meter> list) {
      collecting.removeIf(l -> l == list); // by identity: two lists may be equal
      return List.copyOf(list);
    }
  }
}

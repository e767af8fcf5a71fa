package dev.nines.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.protocol.AgentReport;
import dev.nines.protocol.Protocol;
import dev.nines.server.api.ApiErrors;
import dev.nines.server.api.AuditApi;
import dev.nines.server.api.TokensApi;
import dev.nines.server.audit.Audit;
import dev.nines.server.api.HostsApi;
import dev.nines.server.api.IncidentsApi;
import dev.nines.server.api.Json;
import dev.nines.server.api.MetricsApi;
import dev.nines.server.api.PoolConfigApi;
import dev.nines.server.api.Probes;
import dev.nines.server.api.UptimeApi;
import dev.nines.server.routing.RoutingApi;
import dev.nines.server.actuate.PoolActuation;
import dev.nines.server.routing.PolicyTick;
import dev.nines.server.routing.RoutingService;
import dev.nines.server.auth.Access;
import dev.nines.server.auth.Role;
import dev.nines.server.auth.TokenService;
import dev.nines.server.events.EventHub;
import dev.nines.server.api.PoolsApi;
import dev.nines.server.config.LiveConfig;
import dev.nines.server.config.PoolSettings;
import dev.nines.server.config.ServerConfig;
import dev.nines.server.pools.PoolService;
import dev.nines.server.healthwatch.HealthWatch;
import dev.nines.server.incidentwatch.IncidentWatch;
import dev.nines.server.leader.Leadership;
import dev.nines.server.ingest.IngestController;
import dev.nines.server.metrics.FleetMetrics;
import dev.nines.server.metrics.PoolServiceFigures;
import dev.nines.server.samples.RetentionJob;
import dev.nines.server.samples.Retention;
import dev.nines.server.samples.RollupJob;
import dev.nines.server.store.GroupCommitWriter;
import dev.nines.server.store.Store;
import dev.nines.server.store.Stores;
import dev.nines.server.store.WriteResult;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Nines backend: wires storage, auth, ingest, the read API and events to one HTTP server. Start
 * it with {@link #start}; {@link #close} stops HTTP, writes what is queued and closes the database.
 */
public final class NinesServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NinesServer.class);
  /** Reports that may wait for the writer before posts get 503. */
  static final int QUEUE_CAPACITY = 20_000;
  /** The most reports in one transaction. */
  static final int MAX_BATCH = 2_000;
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  /** How often every host is judged for staleness. */
  static final Duration HEALTH_TICK = Duration.ofSeconds(5);
  /** How often the rollups catch up, and how often retention is enforced. */
  static final Duration ROLLUP_EVERY = Duration.ofSeconds(30);
  static final Duration RETENTION_EVERY = Duration.ofMinutes(10);
  /** How often drains, failovers, the policy and the actuators advance. */
  static final Duration ROUTING_TICK = Duration.ofSeconds(1);
  /** Replicas: how often the event stream reads what other replicas stored. */
  static final Duration EVENT_TAIL = Duration.ofMillis(200);

  private final ServerSettings settings;
  private final List<AutoCloseable> closeInOrder;
  private final Javalin app;
  private final TokenService tokens;
  private final String generatedAdminToken;
  private final PoolService pools;
  private final BrainHolder brains;
  private Cluster cluster;
  private final AtomicBoolean closed = new AtomicBoolean();
  private dev.nines.server.notify.ReceiverStore receivers;
  private dev.nines.server.notify.Outbox outbox;

  private NinesServer(
      ServerSettings settings, List<AutoCloseable> closeInOrder, Javalin app, TokenService tokens,
      String generatedAdminToken, PoolService pools, BrainHolder brains) {
    this.settings = settings;
    this.pools = pools;
    this.brains = brains;
    this.closeInOrder = closeInOrder;
    this.app = app;
    this.tokens = tokens;
    this.generatedAdminToken = generatedAdminToken;
  }

  /**
   * Opens the database (creating and migrating it), makes sure an admin token exists and starts
   * serving HTTP.
   *
   * @throws IllegalArgumentException for a setting that cannot work (unsupported database, a missing
   *     or invalid config file: the message names the offending key)
   */
  public static NinesServer start(ServerSettings settings, Clock clock) {
    return start(settings, clock, HEALTH_TICK);
  }

  /**
   * As {@link #start(ServerSettings, Clock)}, judging staleness every {@code healthTick}, or never
   * when it is null (tests call {@link #health()}{@code .runOnce} themselves); null also leaves the
   * rollup and retention jobs unscheduled ({@link #rollups()}, {@link #retention()}).
   */
  static NinesServer start(ServerSettings settings, Clock clock, Duration healthTick) {
    ServerConfig fileConfig =
        settings.configFile() == null ? ServerConfig.defaults() : ServerConfig.load(settings.configFile());
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      Store store = Stores.open(settings.db(), clock);
      opened.add(store);
      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      opened.add(0, meters::close);
      Audit audit = new Audit(store, clock);
      TokenService tokens = new TokenService(store, clock, audit);
      Optional<String> generated = tokens.bootstrapAdmin(settings.adminToken());
      Access access = new Access(tokens);
      // Alert receivers and the durable outbox (the delivery worker is part of the brain).
      dev.nines.server.notify.ReceiverStore receivers = new dev.nines.server.notify.ReceiverStore(store, clock);
      dev.nines.server.notify.Outbox outbox = new dev.nines.server.notify.Outbox(store, clock);
      String[] externalUrl = {""};
      ObjectMapper api = Json.api();
      boolean replicated = settings.db().startsWith("jdbc:postgresql:");
      // Replicas announce durable events from the events table, in id order, whoever stored them.
      EventHub events =
          replicated
              ? EventHub.replicated(access, api, KEEP_ALIVE, store, EVENT_TAIL)
              : new EventHub(access, api, KEEP_ALIVE, store);
      opened.add(0, events);
      LiveConfig live = new LiveConfig(fileConfig, storedPoolSettings(store, fileConfig));
      dev.nines.server.maintenance.MaintenanceCalendar maintenance =
          new dev.nines.server.maintenance.MaintenanceCalendar(store, audit, events, clock);
      PoolService pools =
          new PoolService(
              store, live, dev.nines.server.pools.RequestCounts.of(store), PoolService.DEFAULT_SNAPSHOT_TTL, maintenance);
      FleetMetrics fleet =
          new FleetMetrics(
              store, new PoolServiceFigures(pools), api, clock, FleetMetrics.HOST_REFRESH,
              FleetMetrics.POOL_REFRESH);
      meters.getPrometheusRegistry().register(fleet);
      Retention keep =
          new Retention(settings.rawRetention(), settings.minuteRetention(), settings.hourRetention());
      Brain.Parts parts =
          new Brain.Parts(
              store, events, api, live, meters, audit, maintenance, pools, receivers, outbox, keep,
              () -> externalUrl[0], clock, replicated);
      // The brain: built now for a single replica; by the leader lease for replicas (below).
      // A replica elected leader first re-reads what the previous leader may have changed in the
      // caches only the leader writes through (else its brain alerts no receiver made since its start).
      BrainHolder brains =
          new BrainHolder(
              parts, healthTick,
              () -> {
                receivers.refresh();
                maintenance.refresh();
                live.reload(storedPoolSettings(store, fileConfig));
              });
      opened.add(0, brains);
      // Replicas share a PostgreSQL database: the one holding the leader lease runs the brain, and
      // every write of it is fenced by the lease's token. On SQLite there is one replica, the leader.
      Leadership leadership = null;
      if (replicated) {
        leadership =
            new Leadership(
                leaseStore(store), Leadership.LEADER, replicaId(), Leadership.DEFAULT_TTL, Leadership.DEFAULT_MARGIN,
                clock);
        Leadership fenced = leadership;
        store.fence(Leadership.LEADER, () -> fenced.fence().orElse(0));
        brains.follow(leadership);
      } else {
        brains.buildSingle();
      }
      Cluster cluster = new Cluster(leadership, () -> brains.brain() != null);
      cluster.bind(meters);
      // A follower hands operators' writes (and the reads of the leader's memory) to the leader.
      dev.nines.server.replica.LeaderForwarder forwarder = null;
      if (leadership != null) {
        Leadership lead = leadership;
        forwarder =
            new dev.nines.server.replica.LeaderForwarder(
                lead::isLeader,
                () -> {
                  String url = lead.status().leaderUrl();
                  return url == null || url.isEmpty() ? Optional.empty() : Optional.of(java.net.URI.create(url));
                },
                lead.replica());
        opened.add(0, forwarder);
      }
      dev.nines.server.replica.LeaderForwarder forwarding = forwarder;
      outbox.addListener(brains::wakeDelivery);
      live.addListener(brains::reconfigure);

      Timer commits =
          Timer.builder("nines_ingest_commit")
              .description("Time to store one batch of reports in one transaction, COMMIT included")
              .register(meters);
      DistributionSummary batches =
          DistributionSummary.builder("nines_ingest_batch_reports")
              .description("Reports per group-commit transaction")
              .register(meters);
      GroupCommitWriter writer =
          new GroupCommitWriter(
              store, QUEUE_CAPACITY, MAX_BATCH,
              new GroupCommitWriter.Listener() {
                @Override
                public void committed(List<WriteResult> results, long nanos) {
                  committed(results, null, nanos);
                }

                @Override
                public void writing(List<dev.nines.server.store.ReportRecord> batch) {
                  brains.writing(batch);
                }

                @Override
                public void failed(List<dev.nines.server.store.ReportRecord> batch) {
                  brains.failed(batch);
                }

                @Override
                public void committed(List<WriteResult> results, List<AgentReport> parsed, long nanos) {
                  brains.committed(results);
                  commits.record(nanos, TimeUnit.NANOSECONDS);
                  batches.record(results.size());
                  for (WriteResult r : results) {
                    if (!r.duplicate()) {
                      events.publishReport(r.report().agentId(), r.report().seq(), r.report().collectedAtMs());
                    }
                  }
                  brains.judge(results, parsed);
                  fleet.committed(results, parsed);
                }
              });
      opened.add(0, writer);
      Gauge.builder("nines_ingest_queue_reports", writer, GroupCommitWriter::queued)
          .description("Reports waiting for the writer")
          .register(meters);
      Gauge.builder("nines_events_clients", events, EventHub::clients)
          .description("Clients connected to the event stream")
          .register(meters);

      IngestController ingest = new IngestController(
              access, writer, api, Json.storage(), clock, meters, (id, labels) -> live.get().poolOf(id, labels));
      PoolConfigApi poolConfig = new PoolConfigApi(live, store, audit, access, clock);
      UptimeApi uptime =
          new UptimeApi(new dev.nines.server.report.UptimeReports(pools, store), access, clock);
      HostsApi hosts = new HostsApi(store, access, clock, api);
      PoolsApi poolsApi = new PoolsApi(pools, access, clock);
      IncidentsApi incidentsApi = new IncidentsApi(store, access, api);
      MetricsApi metrics = new MetricsApi(store, access, clock, keep);
      TokensApi tokensApi = new TokensApi(tokens, access, api);
      AuditApi auditApi = new AuditApi(audit, access, api);
      RoutingApi routingApi = new RoutingApi(brains::routing, access, api, clock);
      dev.nines.server.maintenance.MaintenanceApi maintenanceApi =
          new dev.nines.server.maintenance.MaintenanceApi(maintenance, store, access, api, clock);
      dev.nines.server.alerts.AlertsApi alertsApi = new dev.nines.server.alerts.AlertsApi(brains::alerts, access, audit, api, clock);
      dev.nines.server.api.WebhooksApi webhooks =
          new dev.nines.server.api.WebhooksApi(receivers, outbox, audit, access, api, clock);
      dev.nines.server.api.DeliveriesApi deliveries =
          new dev.nines.server.api.DeliveriesApi(store, brains::delivery, audit, access, clock);
      Probes probes = new Probes(() -> writer.alive() && store.ping(), cluster::probe);
      ClusterApi clusterApi = new ClusterApi(cluster, access);

      Javalin app =
          Javalin.create(
              cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.jsonMapper(new JavalinJackson(api, false));
                cfg.http.maxRequestSize = Protocol.MAX_REPORT_BYTES;
                cfg.http.prefer405over404 = true;
                cfg.jetty.host = settings.bindHost();
                cfg.jetty.port = settings.port();
                ApiErrors.install(cfg);
                if (forwarding != null) {
                  forwarding.install(cfg);
                }
                cfg.routes.get("/healthz", probes::healthz);
                cfg.routes.get("/readyz", probes::readyz);
                cfg.routes.get(
                    "/metrics",
                    ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(meters.scrape()));
                cfg.routes.post(Protocol.REPORTS_PATH, ingest::post);
                cfg.routes.get("/api/v1/whoami", new dev.nines.server.api.WhoAmIApi(access)::get);
                cfg.routes.get("/api/v1/cluster", clusterApi::get);
                cfg.routes.get("/api/v1/hosts", hosts::list);
                cfg.routes.get("/api/v1/hosts/{id}", hosts::one);
                cfg.routes.get("/api/v1/hosts/{id}/health", hosts::health);
                cfg.routes.get("/api/v1/hosts/{id}/routing", hosts::routing);
                cfg.routes.get("/api/v1/hosts/{id}/metrics", metrics::get);
                cfg.routes.get("/api/v1/events", events::handle);
                cfg.routes.get("/api/v1/pools", poolsApi::list);
                cfg.routes.get("/api/v1/pools/{id}", poolsApi::one);
                cfg.routes.get("/api/v1/availability", poolsApi::availability);
                cfg.routes.get("/api/v1/incidents", incidentsApi::list);
                cfg.routes.get("/api/v1/incidents/{id}", incidentsApi::one);
                cfg.routes.get("/api/v1/tokens", tokensApi::list);
                cfg.routes.post("/api/v1/tokens", tokensApi::create);
                cfg.routes.delete("/api/v1/tokens/{id}", tokensApi::revoke);
                cfg.routes.get("/api/v1/audit", auditApi::list);
                cfg.routes.post("/api/v1/hosts/{id}/drain", routingApi::drain);
                cfg.routes.post("/api/v1/hosts/{id}/maintenance", routingApi::maintenance);
                cfg.routes.post("/api/v1/hosts/{id}/undrain", routingApi::undrain);
                cfg.routes.post("/api/v1/pools/{id}/failover", routingApi::failover);
                cfg.routes.get("/api/v1/pools/{id}/routing", routingApi::poolRouting);
                cfg.routes.get("/api/v1/pools/{id}/config", poolConfig::get);
                cfg.routes.put("/api/v1/pools/{id}/config", poolConfig::put);
                cfg.routes.delete("/api/v1/pools/{id}/config", poolConfig::delete);
                cfg.routes.get("/api/v1/reports/uptime", uptime::get);
                cfg.routes.get("/api/v1/maintenance-windows", maintenanceApi::list);
                cfg.routes.get("/api/v1/maintenance-windows/{id}", maintenanceApi::one);
                cfg.routes.post("/api/v1/maintenance-windows", maintenanceApi::create);
                cfg.routes.delete("/api/v1/maintenance-windows/{id}", maintenanceApi::cancel);
                cfg.routes.get("/api/v1/alerts", alertsApi::list);
                cfg.routes.get("/api/v1/alerts/{fingerprint}", alertsApi::one);
                cfg.routes.post("/api/v1/alerts/{fingerprint}/ack", alertsApi::ack);
                cfg.routes.get("/api/v1/silences", alertsApi::silences);
                cfg.routes.post("/api/v1/silences", alertsApi::createSilence);
                cfg.routes.delete("/api/v1/silences/{id}", alertsApi::expireSilence);
                cfg.routes.get("/api/v1/webhooks", webhooks::list);
                cfg.routes.post("/api/v1/webhooks", webhooks::create);
                cfg.routes.get("/api/v1/webhooks/{id}", webhooks::one);
                cfg.routes.put("/api/v1/webhooks/{id}", webhooks::replace);
                cfg.routes.delete("/api/v1/webhooks/{id}", webhooks::delete);
                cfg.routes.post("/api/v1/webhooks/{id}/test", webhooks::test);
                cfg.routes.get("/api/v1/deliveries", deliveries::list);
                cfg.routes.post("/api/v1/deliveries/{seq}/redrive", deliveries::redrive);
              });
      app.start();
      // Close order: end the event streams (while HTTP still runs, so their requests finish), stop
      // HTTP so that nothing new is queued, flush the writer, close the database.
      opened.remove(events);
      opened.add(0, app::stop);
      opened.add(0, events);
      NinesServer server = new NinesServer(settings, opened, app, tokens, generated.orElse(null), pools, brains);
      server.receivers = receivers;
      server.outbox = outbox;
      server.cluster = cluster;
      externalUrl[0] = server.url();
      if (leadership == null) {
        brains.started();
      } else {
        Leadership lead = leadership;
        lead.setUrl(server.url());
        lead.runOnce(); // lead at once when the lease is free (a first or a lone replica)
        ScheduledExecutorService leaseTicks =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "nines-leader-lease");
                  t.setDaemon(true);
                  return t;
                });
        long every = lead.renewEvery().toMillis();
        leaseTicks.scheduleWithFixedDelay(lead::runOnce, every, every, TimeUnit.MILLISECONDS);
        // On close: stop renewing, stop the brain, then give the lease up so another replica leads at once.
        opened.add(0, () -> {
          leaseTicks.shutdownNow();
          leaseTicks.awaitTermination(10, TimeUnit.SECONDS);
          brains.close();
          lead.release();
        });
      }
      LOG.info("Nines server listening on {}:{} (db {})", settings.bindHost(), app.port(), settings.db());
      return server;
    } catch (RuntimeException e) {
      closeAll(opened);
      throw e;
    }
  }

  private static final java.util.concurrent.atomic.AtomicInteger STARTED = new java.util.concurrent.atomic.AtomicInteger();

  /** This replica's id: host name, process id and the number of servers this process started. */
  private static String replicaId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "localhost";
    }
    return host + ":" + ProcessHandle.current().pid() + ":" + STARTED.incrementAndGet();
  }

  /** The store as the lease's store. */
  private static dev.nines.server.leader.LeaseStore leaseStore(Store store) {
    return new dev.nines.server.leader.LeaseStore() {
      @Override
      public dev.nines.server.leader.Lease acquire(
          String name, String holder, String holderUrl, long token, long nowMs, long ttlMs) {
        return store.acquireLease(name, holder, holderUrl, token, nowMs, ttlMs);
      }

      @Override
      public boolean release(String name, String holder, long token, long nowMs) {
        return store.releaseLease(name, holder, token, nowMs);
      }
    };
  }

  /** This replica's view of the replicas (its role, the leader, the token). */
  Cluster cluster() {
    return cluster;
  }

  /** True while this replica may act as the leader now: it leads and its lease's act window is open. */
  boolean acting() {
    return cluster.leads();
  }

  /** True while this server runs the brain: always for a single replica; the lease holder among replicas. */
  boolean leads() {
    return brains.brain() != null;
  }

  /** The TCP port the server listens on. */
  public int port() {
    return app.port();
  }

  /** The base URL to reach this server from this machine. */
  public String url() {
    String host = settings.bindHost();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = "localhost";
    } else if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port();
  }

  /** The health wiring: judges reports and staleness, stores and announces changes. */
  HealthWatch health() {
    return brains.require().health;
  }

  /** Pools and availability from the stored intervals (the metrics page reads its snapshot). */
  PoolService pools() {
    return pools;
  }

  /** The incident wiring: opens and closes host and pool incidents, records actions. */
  IncidentWatch incidents() {
    return brains.require().incidents;
  }

  /** Routing: operator actions, graceful drains, failovers, the policy (ticked every second). */
  /** The alert engine (tests call its {@code runOnce} themselves when started without background jobs). */
  dev.nines.server.alerts.AlertService alerts() {
    return brains.require().alerts;
  }

  RoutingService routing() {
    return brains.require().routing;
  }

  /** The alert receivers stored over {@code /api/v1/webhooks}. */
  dev.nines.server.notify.ReceiverStore receivers() {
    return receivers;
  }

  /** The durable outbox the alert engine enqueues to. */
  dev.nines.server.notify.Outbox outbox() {
    return outbox;
  }

  /** The delivery worker (its loop runs unless started without background jobs; tests call runOnce). */
  dev.nines.server.notify.DeliveryWorker delivery() {
    return brains.require().delivery;
  }

  /** The rollup job (scheduled every 30 s unless started without background jobs). */
  RollupJob rollups() {
    return brains.require().rollups;
  }

  /** The retention job (scheduled every 10 min unless started without background jobs). */
  RetentionJob retention() {
    return brains.require().retentionJob;
  }

  /** The pool settings admins stored over the API; one that no longer parses is skipped, loudly. */
  private static java.util.Map<String, PoolSettings> storedPoolSettings(Store store, ServerConfig file) {
    java.util.Map<String, PoolSettings> out = new java.util.TreeMap<>();
    for (java.util.Map.Entry<String, String> e : store.poolOverrides().entrySet()) {
      try {
        PoolSettings p = ServerConfig.parsePool(e.getKey(), e.getValue(), file.rules());
        java.util.Map<String, PoolSettings> next = new java.util.TreeMap<>(out);
        next.put(e.getKey(), p);
        new LiveConfig(file, next); // validates the whole
        out.put(e.getKey(), p);
      } catch (IllegalArgumentException ex) {
        LOG.error("pool {}: the settings stored over the API are not valid any more and are ignored: {}", e.getKey(), ex.getMessage());
      }
    }
    return out;
  }

  /** Every HTTP route the server answers, as {@code "GET /api/v1/hosts"} (for the route-by-role test). */
  List<String> routes() {
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .map(parsed -> parsed.endpoint)
        .filter(e -> e.method.isHttpMethod())
        .map(e -> e.method.name() + " " + e.path)
        .sorted()
        .toList();
  }

  /** The admin token generated at this start, when none was given and none existed. */
  public Optional<String> generatedAdminToken() {
    return Optional.ofNullable(generatedAdminToken);
  }

  /**
   * Creates a token and returns its plaintext (shown only this once).
   *
   * @param role {@code agent}, {@code viewer}, {@code operator} or {@code admin}
   * @param name who or what it is for
   */
  public String createToken(String role, String name) {
    return tokens.create(Role.parse(role), name);
  }

  /** Stops HTTP, writes every queued report, closes the database. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      closeAll(closeInOrder);
      LOG.info("Nines server stopped");
    }
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable c : resources) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", c, e.getMessage(), e);
      }
    }
  }
}

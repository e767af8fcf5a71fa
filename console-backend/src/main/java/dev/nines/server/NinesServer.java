package dev.nines.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.protocol.AgentReport;
import dev.nines.protocol.Protocol;
import dev.nines.server.api.ApiErrors;
import dev.nines.server.api.HostsApi;
import dev.nines.server.api.Json;
import dev.nines.server.api.Probes;
import dev.nines.server.auth.Access;
import dev.nines.server.auth.Role;
import dev.nines.server.auth.TokenService;
import dev.nines.server.events.EventHub;
import dev.nines.server.health.HealthConfig;
import dev.nines.server.healthwatch.HealthWatch;
import dev.nines.server.ingest.IngestController;
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
import java.nio.file.Files;
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

  private final ServerSettings settings;
  private final List<AutoCloseable> closeInOrder;
  private final Javalin app;
  private final TokenService tokens;
  private final String generatedAdminToken;
  private final HealthWatch health;
  private final AtomicBoolean closed = new AtomicBoolean();

  private NinesServer(
      ServerSettings settings, List<AutoCloseable> closeInOrder, Javalin app, TokenService tokens,
      String generatedAdminToken, HealthWatch health) {
    this.settings = settings;
    this.health = health;
    this.closeInOrder = closeInOrder;
    this.app = app;
    this.tokens = tokens;
    this.generatedAdminToken = generatedAdminToken;
  }

  /**
   * Opens the database (creating and migrating it), makes sure an admin token exists and starts
   * serving HTTP.
   *
   * @throws IllegalArgumentException for a setting that cannot work (unsupported database, missing
   *     config file)
   */
  public static NinesServer start(ServerSettings settings, Clock clock) {
    return start(settings, clock, HEALTH_TICK);
  }

  /**
   * As {@link #start(ServerSettings, Clock)}, judging staleness every {@code healthTick}, or never
   * when it is null (tests call {@link #health()}{@code .runOnce} themselves).
   */
  static NinesServer start(ServerSettings settings, Clock clock, Duration healthTick) {
    if (settings.configFile() != null && !Files.isRegularFile(settings.configFile())) {
      throw new IllegalArgumentException("config: no such file: " + settings.configFile());
    }
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      Store store = Stores.open(settings.db(), clock);
      opened.add(store);
      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      opened.add(0, meters::close);
      TokenService tokens = new TokenService(store, clock);
      Optional<String> generated = tokens.bootstrapAdmin(settings.adminToken());
      Access access = new Access(tokens);
      ObjectMapper api = Json.api();
      EventHub events = new EventHub(access, api, KEEP_ALIVE);
      opened.add(0, events);
      HealthWatch health = new HealthWatch(store, events, HealthConfig.defaultsOnly(), api, clock);

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
                public void committed(List<WriteResult> results, List<AgentReport> parsed, long nanos) {
                  commits.record(nanos, TimeUnit.NANOSECONDS);
                  batches.record(results.size());
                  for (WriteResult r : results) {
                    if (!r.duplicate()) {
                      events.publishReport(r.report().agentId(), r.report().seq(), r.report().collectedAtMs());
                    }
                  }
                  health.committed(results, parsed);
                }
              });
      opened.add(0, writer);
      if (healthTick != null) {
        ScheduledExecutorService ticks =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "nines-health-tick");
                  t.setDaemon(true);
                  return t;
                });
        ticks.scheduleWithFixedDelay(
            () -> {
              try {
                health.runOnce(clock.instant());
              } catch (RuntimeException e) {
                LOG.warn("health staleness check failed: {}", e.getMessage(), e);
              }
            },
            healthTick.toMillis(), healthTick.toMillis(), TimeUnit.MILLISECONDS);
        opened.add(0, ticks::shutdownNow);
      }
      Gauge.builder("nines_ingest_queue_reports", writer, GroupCommitWriter::queued)
          .description("Reports waiting for the writer")
          .register(meters);
      Gauge.builder("nines_events_clients", events, EventHub::clients)
          .description("Clients connected to the event stream")
          .register(meters);

      IngestController ingest = new IngestController(access, writer, api, Json.storage(), clock, meters);
      HostsApi hosts = new HostsApi(store, access, clock, api);
      Probes probes = new Probes(() -> writer.alive() && store.ping());

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
                cfg.routes.get("/healthz", probes::healthz);
                cfg.routes.get("/readyz", probes::readyz);
                cfg.routes.get(
                    "/metrics",
                    ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(meters.scrape()));
                cfg.routes.post(Protocol.REPORTS_PATH, ingest::post);
                cfg.routes.get("/api/v1/hosts", hosts::list);
                cfg.routes.get("/api/v1/hosts/{id}", hosts::one);
                cfg.routes.get("/api/v1/hosts/{id}/health", hosts::health);
                cfg.routes.get("/api/v1/events", events::handle);
              });
      app.start();
      // Close order: end the event streams (while HTTP still runs, so their requests finish), stop
      // HTTP so that nothing new is queued, flush the writer, close the database.
      opened.remove(events);
      opened.add(0, app::stop);
      opened.add(0, events);
      NinesServer server = new NinesServer(settings, opened, app, tokens, generated.orElse(null), health);
      LOG.info("Nines server listening on {}:{} (db {})", settings.bindHost(), app.port(), settings.db());
      return server;
    } catch (RuntimeException e) {
      closeAll(opened);
      throw e;
    }
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
    return health;
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

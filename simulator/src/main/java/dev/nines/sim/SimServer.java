package dev.nines.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.protocol.GpuSection;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.util.ConcurrencyUtil;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fake model server: an OpenAI-compatible API with vLLM's metrics, simulated GPUs and fault
 * injection, on its own port.
 *
 * <p>No request holds a thread while it waits: an inference request is answered from a {@link
 * CompletableFuture} that a shared scheduler completes after the simulated latency, and a hung
 * request is a future parked in a set until the hang clears (or {@link #HANG_CAP_MS} passes).
 *
 * <p>Faults live in an immutable {@link FaultBook}; every answer reads it with the injected clock.
 * A timer acts on the edges that need action: listening again after {@code down}, releasing hung
 * requests after {@code hang}.
 */
public final class SimServer {
  private static final Logger log = LoggerFactory.getLogger(SimServer.class);

  /** Longest a hung request is held before it is released with a 503. */
  static final long HANG_CAP_MS = 600_000;

  /** Requests that run at once, like vLLM's default max_num_seqs; the rest wait. */
  static final int MAX_RUNNING = 256;

  /** Simulated decode time per generated token. */
  static final double MS_PER_TOKEN = 1.0;

  /** Idle timeout of model-port connections: longer than any hang, so a hang stays a hang. */
  static final long IDLE_TIMEOUT_MS = HANG_CAP_MS + 60_000;

  private final int index;
  private final SimConfig config;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Executor responder;
  private final ObjectMapper mapper;
  private final ScheduledExecutorService lifecycle;
  private final long startedMs;

  private final Object lock = new Object();
  private FaultBook book = FaultBook.EMPTY; // guarded by lock
  private ScheduledFuture<?> expiryTimer; // guarded by lock

  private final Random jitterRandom;
  private final Random errorRandom;
  private final LoadMeter load;
  private final SimGpus gpus;
  private final VllmMetrics metrics = new VllmMetrics();
  private final Set<Pending> hung = ConcurrentHashMap.newKeySet();
  private final AtomicLong served = new AtomicLong();
  private final AtomicLong abandoned = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong ids = new AtomicLong();

  private final Object listenLock = new Object();
  private volatile Javalin app; // guarded by listenLock for writes; null while down
  private volatile int port;
  private volatile boolean closed;

  /** A request held by a hang. */
  private record Pending(
      Context ctx, CompletableFuture<Void> done, String handler, long acceptedMs,
      ScheduledFuture<?>[] cap) {}

  SimServer(
      int index,
      SimConfig config,
      int requestedPort,
      Clock clock,
      ScheduledExecutorService scheduler,
      Executor responder,
      ObjectMapper mapper) {
    this.index = index;
    this.config = config;
    this.port = requestedPort;
    this.clock = clock;
    this.scheduler = scheduler;
    this.responder = responder;
    this.mapper = mapper;
    this.startedMs = clock.millis();
    this.jitterRandom = new Random(config.seed() * 1_000_003L + index);
    this.errorRandom = new Random(config.seed() * 7_919L + 31L * index + 17);
    this.load = new LoadMeter(startedMs);
    String identity = requestedPort > 0 ? config.bindHost() + ":" + requestedPort
        : config.seed() + "/" + index;
    this.gpus = new SimGpus(identity, config.gpusPerServer(), startedMs);
    this.lifecycle = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sim-" + index + "-lifecycle");
      t.setDaemon(true);
      return t;
    });
  }

  // ---------------------------------------------------------------- public API

  /** The model port (kept across {@code down}, so clients reconnect to the same port). */
  public int port() {
    return port;
  }

  /** The model server's base URL, e.g. {@code http://127.0.0.1:8000}. */
  public String baseUrl() {
    String host = config.bindHost();
    if ("0.0.0.0".equals(host) || "::".equals(host)) {
      host = "127.0.0.1";
    } else if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port;
  }

  /** This server's place in its fleet, from 0. */
  public int index() {
    return index;
  }

  /**
   * Applies a fault now. Returns once the model port listens or not as the fault says.
   *
   * @throws IllegalArgumentException if the fault names a GPU this server does not have
   */
  public void setFault(Fault fault) {
    apply(fault);
    Future.await(lifecycle.submit(this::reconcile));
  }

  /** What this server is doing now. */
  public SimState state() {
    long now = clock.millis();
    FaultBook b = currentBook(now);
    List<SimState.GpuSummary> summaries = new ArrayList<>();
    for (SimGpus.Reading r : gpus.read(now, load, b)) {
      summaries.add(new SimState.GpuSummary(r.index(), r.uuid(), r.lost(), r.hot(),
          Math.round(r.utilRatio() * 1000) / 1000.0, Math.round(r.temperatureC() * 10) / 10.0,
          r.eccUncorrectedVolatile(), b.xidsFor(r.index()).size()));
    }
    List<SimState.ActiveFault> faults = b.liveAt(now).stream()
        .map(a -> new SimState.ActiveFault(a.fault(), a.sinceMs(), a.untilMs()))
        .toList();
    return new SimState(index, port, baseUrl(), faults, b.extraLatencyMs(now), b.errorRate(now),
        b.hang(now), b.down(now), served.get(), failed.get(), rejected.get(), hung.size(),
        abandoned.get(), load.inflight(), summaries);
  }

  /** The simulated GPUs, as {@code GET /sim/gpus} answers; delivers pending XID events once. */
  public GpuSection gpus() {
    long now = clock.millis();
    FaultBook b;
    List<SimGpus.Reading> readings;
    synchronized (lock) {
      book = book.prune(now);
      b = book;
      readings = gpus.read(now, load, b);
      book = book.withoutXids();
    }
    return SimGpus.section(readings, b);
  }

  // ---------------------------------------------------------------- lifecycle

  void start() {
    synchronized (listenLock) {
      listen();
    }
  }

  void close() {
    closed = true;
    synchronized (lock) {
      if (expiryTimer != null) {
        expiryTimer.cancel(false);
      }
    }
    releaseHung("server closing");
    synchronized (listenLock) {
      stopListening();
    }
    lifecycle.shutdownNow();
  }

  /**
   * Makes the world match the fault book: listen or not, release hung requests once the hang is
   * over, and set the timer for the next fault that clears itself. Runs on the lifecycle thread;
   * tests that move the clock by hand call it directly.
   */
  void reconcile() {
    if (closed) {
      return;
    }
    long now = clock.millis();
    FaultBook b = currentBook(now);
    if (!b.hang(now)) {
      releaseHung("hang cleared");
    }
    synchronized (listenLock) {
      if (b.down(now) && app != null) {
        releaseHung("server going down");
        stopListening();
        log.info("sim server {} is down (port {} closed)", index, port);
      } else if (!b.down(now) && app == null && !closed) {
        listen();
        log.info("sim server {} is listening again on {}", index, baseUrl());
      }
    }
    OptionalLong next = b.nextExpiryAfter(now);
    synchronized (lock) {
      if (expiryTimer != null) {
        expiryTimer.cancel(false);
        expiryTimer = null;
      }
      if (next.isPresent() && !closed) {
        // A few ms late on purpose: the clock must have passed the expiry when the timer runs.
        long delay = next.getAsLong() - now + 5;
        expiryTimer = lifecycle.schedule(this::reconcile, delay, TimeUnit.MILLISECONDS);
      }
    }
  }

  private void apply(Fault fault) {
    if (fault.gpu() != null && fault.gpu() >= config.gpusPerServer()) {
      throw new IllegalArgumentException("gpu must be below " + config.gpusPerServer()
          + ", the number of GPUs of this server (was " + fault.gpu() + ")");
    }
    long now = clock.millis();
    synchronized (lock) {
      book = book.apply(fault, now, config.gpusPerServer());
    }
    log.info("sim server {}: fault {}", index, fault);
  }

  private FaultBook currentBook(long now) {
    synchronized (lock) {
      book = book.prune(now);
      return book;
    }
  }

  private void listen() {
    Javalin j = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.http.asyncTimeout = IDLE_TIMEOUT_MS;
      cfg.jetty.threadPool = ConcurrencyUtil.jettyThreadPool("sim-" + index + "-http", 4, 64, false);
      cfg.jetty.modifyServer(server -> server.setStopTimeout(0));
      cfg.routes.post("/v1/completions", ctx -> inference(ctx, false));
      cfg.routes.post("/v1/chat/completions", ctx -> inference(ctx, true));
      cfg.routes.get("/v1/models", ctx -> json(ctx, 200,
          Completions.models(mapper, config.model(), startedMs / 1000)));
      cfg.routes.get("/health", ctx -> ctx.status(200).result(""));
      cfg.routes.get("/metrics", this::metricsPage);
      cfg.routes.post("/sim/fault", this::postFault);
      cfg.routes.get("/sim/state", ctx -> json(ctx, 200, write(state())));
      cfg.routes.get("/sim/gpus", ctx -> json(ctx, 200, write(gpus())));
      cfg.routes.exception(Exception.class, (e, ctx) -> {
        log.warn("sim server {}: {} {} failed", index, ctx.method(), ctx.path(), e);
        json(ctx, 500, Completions.error(mapper, "internal error: " + e, "InternalServerError",
            500));
      });
    });
    j.start(config.bindHost(), port);
    for (Connector c : j.jettyServer().server().getConnectors()) {
      if (c instanceof ServerConnector sc) {
        sc.setIdleTimeout(IDLE_TIMEOUT_MS);
      }
    }
    port = j.port();
    app = j;
  }

  private void stopListening() {
    Javalin j = app;
    app = null;
    if (j != null) {
      j.stop();
    }
  }

  // ---------------------------------------------------------------- handlers

  private void postFault(Context ctx) {
    try {
      Fault fault = FaultJson.parse(mapper, ctx.body());
      apply(fault);
    } catch (BadRequest e) {
      badRequest(ctx, e);
      return;
    } catch (IllegalArgumentException e) {
      badRequest(ctx, new BadRequest("invalid fault", e.getMessage()));
      return;
    }
    SimState s = state();
    if (!s.down()) {
      json(ctx, 200, write(s));
      reconcile();
      return;
    }
    // Going down from inside one of our own requests: put this answer on the wire first, then
    // stop listening from the lifecycle thread (a server cannot stop itself from its own thread).
    byte[] body = write(s).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ctx.status(200).contentType("application/json").header("Connection", "close");
    ctx.res().setContentLength(body.length);
    try {
      ctx.res().getOutputStream().write(body);
      ctx.res().flushBuffer();
    } catch (java.io.IOException e) {
      log.debug("sim server {}: could not answer the down fault: {}", index, e.toString());
    }
    lifecycle.schedule(this::reconcile, 50, TimeUnit.MILLISECONDS);
  }

  private void metricsPage(Context ctx) {
    int inflight = load.inflight();
    int running = Math.min(inflight, MAX_RUNNING);
    String page = VllmMetrics.render(
        metrics.snapshot(config.model(), running, inflight - running));
    ctx.status(200).contentType("text/plain; version=0.0.4; charset=utf-8").result(page);
  }

  private void inference(Context ctx, boolean chat) {
    String handler = chat ? "/v1/chat/completions" : "/v1/completions";
    Completions.Request req;
    try {
      req = Completions.parse(mapper, ctx.body(), chat);
    } catch (BadRequest e) {
      rejected.incrementAndGet();
      metrics.recordHttp(handler, 400);
      json(ctx, 400, Completions.error(mapper, e.error() + ": " + e.detail(), "BadRequestError",
          400));
      return;
    }
    long now = clock.millis();
    FaultBook b = currentBook(now);
    CompletableFuture<Void> done = new CompletableFuture<>();
    load.add(now, +1);
    ctx.future(() -> done);
    if (b.hang(now)) {
      ScheduledFuture<?>[] cap = new ScheduledFuture<?>[1];
      Pending p = new Pending(ctx, done, handler, now, cap);
      hung.add(p);
      cap[0] = scheduler.schedule(() -> releaseOne(p, "hang cap of 10 minutes reached"),
          HANG_CAP_MS, TimeUnit.MILLISECONDS);
      // The hang may have cleared between the read above and the add: do not strand this one.
      if (!currentBook(clock.millis()).hang(clock.millis())) {
        releaseOne(p, "hang cleared");
      }
      return;
    }
    long extra = b.extraLatencyMs(now);
    boolean fail = b.errorRate(now) > 0 && nextErrorDraw() < b.errorRate(now);
    long base = config.baseLatencyMs();
    long jitter = base == 0 ? 0 : Math.round(base * 0.2 * (nextJitterDraw() - 0.5));
    if (fail) {
      long latency = Math.max(0, base + jitter) + extra;
      scheduler.schedule(() -> responder.execute(() -> {
        failed.incrementAndGet();
        metrics.recordHttp(handler, 500);
        finish(ctx, done, 500, "application/json", Completions.error(mapper,
            "simulated internal server error", "InternalServerError", 500));
      }), latency, TimeUnit.MILLISECONDS);
      return;
    }
    long latency = Math.max(0, base + jitter) + Math.round(MS_PER_TOKEN * req.maxTokens()) + extra;
    long n = ids.incrementAndGet();
    scheduler.schedule(() -> responder.execute(() -> {
      String id = (chat ? "chatcmpl-" : "cmpl-") + "sim" + index + "x" + Long.toHexString(n);
      List<String> tokens = Completions.tokens(config.seed() ^ (n * 31 + index), req.maxTokens());
      long created = clock.millis() / 1000;
      String body = req.stream()
          ? Completions.sse(mapper, req, id, config.model(), created, tokens)
          : Completions.answer(mapper, req, id, config.model(), created, tokens);
      served.incrementAndGet();
      metrics.recordSuccess(latency / 1000.0, req.promptTokens(), tokens.size(), req.lengthLimited());
      metrics.recordHttp(handler, 200);
      finish(ctx, done, 200, req.stream() ? "text/event-stream" : "application/json", body);
    }), latency, TimeUnit.MILLISECONDS);
  }

  private void finish(Context ctx, CompletableFuture<Void> done, int status, String type,
      String body) {
    load.add(clock.millis(), -1);
    if (!alive(ctx)) {
      // The client (or HAProxy's timeout) gave up and Jetty recycled the request: completing the
      // future would make Javalin write to it and log a failing exception handler per request.
      log.debug("sim server {}: answer after the request went away", index);
      abandoned.incrementAndGet();
      return;
    }
    try {
      ctx.status(status).contentType(type).result(body);
      done.complete(null);
    } catch (RuntimeException e) {
      log.debug("sim server {}: answer after the connection went away: {}", index, e.toString());
    }
  }

  /** False once Jetty recycled the request (its servlet request no longer has a request behind it). */
  private static boolean alive(Context ctx) {
    try {
      return ctx.req().getMethod() != null;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void releaseHung(String why) {
    for (Pending p : new ArrayList<>(hung)) {
      releaseOne(p, why);
    }
  }

  private void releaseOne(Pending p, String why) {
    if (!hung.remove(p)) {
      return;
    }
    if (p.cap()[0] != null) {
      p.cap()[0].cancel(false);
    }
    failed.incrementAndGet();
    metrics.recordHttp(p.handler(), 503);
    responder.execute(() -> finish(p.ctx(), p.done(), 503, "application/json",
        Completions.error(mapper, "simulated engine hang released: " + why,
            "ServiceUnavailableError", 503)));
  }

  private double nextErrorDraw() {
    synchronized (errorRandom) {
      return errorRandom.nextDouble();
    }
  }

  private double nextJitterDraw() {
    synchronized (jitterRandom) {
      return jitterRandom.nextDouble();
    }
  }

  private void badRequest(Context ctx, BadRequest e) {
    json(ctx, e.status(), write(Map.of("error", e.error(), "detail", e.detail())));
  }

  private static void json(Context ctx, int status, String body) {
    ctx.status(status).contentType("application/json").result(body);
  }

  private String write(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  /** Waiting on lifecycle work with a bound, so a stuck Jetty never stalls a caller forever. */
  static final class Future {
    private Future() {}

    static void await(java.util.concurrent.Future<?> f) {
      try {
        f.get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while applying a fault", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("applying a fault failed", e.getCause());
      } catch (TimeoutException e) {
        throw new IllegalStateException("applying a fault took more than 30 s", e);
      }
    }
  }
}

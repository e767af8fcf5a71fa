package dev.nines.server.replica;

import dev.nines.protocol.Protocol;
import dev.nines.server.api.ApiException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a follower replica, hands the requests that need the leader to the leader and answers with
 * what the leader answered. Installed as a Javalin before-handler ({@link #install}); on the leader
 * (and on the single-machine SQLite server, which always leads) it does nothing.
 *
 * <h2>What is forwarded</h2>
 *
 * <p><b>Every write</b>: POST, PUT, PATCH and DELETE under {@code /api/v1/}, except {@code POST
 * /api/v1/reports} (agents' reports are stored by whichever replica they reach). Writes change the
 * brain's memory (routing, alert engine) or the write-through caches below, which only the replica
 * that made the write re-reads.
 *
 * <p><b>The GETs answered from memory that only the leader keeps current</b> ({@link
 * #FORWARDED_GETS}):
 *
 * <ul>
 *   <li>{@code /api/v1/pools/{id}/routing}: RoutingService's active sides, failover under way and
 *       last outcome, the policy's recent decisions (PolicyTick) and the actuators' state — brain
 *       memory, never stored as such.
 *   <li>{@code /api/v1/alerts}, {@code /api/v1/alerts/{fingerprint}}, {@code /api/v1/silences}:
 *       AlertService answers from its in-memory alerts, groups and silences (written through to the
 *       database, but read back only at start).
 *   <li>{@code /api/v1/pools/{id}/config}: LiveConfig, held in memory, changed only by the PUT and
 *       DELETE that the leader executes (a follower's copy is the one it read at start).
 *   <li>{@code /api/v1/maintenance-windows}, {@code /api/v1/maintenance-windows/{id}}:
 *       MaintenanceCalendar's list, reloaded only after a write made through it (on the leader).
 *   <li>{@code /api/v1/webhooks}, {@code /api/v1/webhooks/{id}}: ReceiverStore's cache, likewise
 *       re-read only after its own writes.
 *   <li>{@code /api/v1/pools}, {@code /api/v1/pools/{id}}, {@code /api/v1/availability}, {@code
 *       /api/v1/reports/uptime}: computed from stored intervals, but with the pool settings
 *       (LiveConfig: members, SLO, guard) and the maintenance windows (MaintenanceCalendar) held in
 *       memory, which are current only on the leader.
 * </ul>
 *
 * <p><b>Served by every replica</b> ({@link #LOCAL_GETS}): {@code /api/v1/whoami}, {@code
 * /api/v1/cluster} (the answering replica's own role and the leader it knows of), {@code
 * /api/v1/hosts}, {@code /api/v1/hosts/{id}} and its {@code /health}, {@code /routing}, {@code
 * /metrics}, {@code /api/v1/incidents}, {@code /api/v1/incidents/{id}}, {@code /api/v1/tokens},
 * {@code /api/v1/audit}, {@code /api/v1/deliveries}: each reads the database only (the token cache
 * re-checks the database every 5 s); {@code /api/v1/events}: the event stream, served by each
 * replica from the events table. Outside {@code /api/v1/} nothing is forwarded ({@code /healthz},
 * {@code /readyz}, {@code /metrics} describe the replica that answers).
 *
 * <p>A GET under {@code /api/v1/} in neither list is served locally (a new route must be added to one
 * of them; {@code LeaderForwarderRoutesTest} fails until it is).
 *
 * <h2>How</h2>
 *
 * <p>Method, raw path, raw query and the body bytes are sent to the leader's advertised base URL with
 * the headers that matter ({@code Authorization}, {@code Content-Type}, {@code Accept}, {@code
 * X-Request-Id}) and {@code X-Nines-Forwarded-By: <this replica>}. The leader's status, body and
 * content type come back unchanged (with {@code Content-Disposition}, {@code Retry-After}, {@code
 * WWW-Authenticate}, {@code Location}, {@code X-Request-Id} when it sent them), plus {@code
 * X-Nines-Leader: <leader url>}. The request body limit of the follower's Javalin applies (the
 * body is read through it).
 *
 * <p>Nothing is changed locally when forwarding fails: no leader known, the leader unreachable or
 * not answering within the timeout, too many requests already waiting for it, or a request that was
 * already forwarded once reaching a replica that does not lead (no loops) — each is a 503 {@code
 * {"error": "no leader", "detail": ...}} with {@code Retry-After: 2}.
 *
 * <p>Thread-safe. Forwarded requests block the Jetty thread that carries them, at most {@link
 * #maxInFlight} at a time, each for at most the timeout.
 */
public final class LeaderForwarder implements Handler, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderForwarder.class);

  /** Set on every forwarded request: the id of the replica that forwarded it. */
  public static final String FORWARDED_BY = "X-Nines-Forwarded-By";
  /** Set on every answer that came from the leader, and on 503s when a leader is known. */
  public static final String LEADER = "X-Nines-Leader";
  /** How long a forwarded request may take, connecting included. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  /** Forwarded requests in flight at once; more are answered 503 at once. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 64;
  /** Seconds a client is told to wait before retrying a 503. */
  static final String RETRY_AFTER_SECONDS = "2";

  /** GET routes answered from memory that only the leader keeps current (see the class comment). */
  public static final List<String> FORWARDED_GETS =
      List.of(
          "/api/v1/pools/{id}/routing",
          "/api/v1/alerts",
          "/api/v1/alerts/{fingerprint}",
          "/api/v1/silences",
          "/api/v1/pools/{id}/config",
          "/api/v1/maintenance-windows",
          "/api/v1/maintenance-windows/{id}",
          "/api/v1/webhooks",
          "/api/v1/webhooks/{id}",
          "/api/v1/pools",
          "/api/v1/pools/{id}",
          "/api/v1/availability",
          "/api/v1/reports/uptime");

  /** GET routes every replica answers from the database (see the class comment). */
  public static final List<String> LOCAL_GETS =
      List.of(
          "/api/v1/whoami",
          "/api/v1/cluster",
          "/api/v1/hosts",
          "/api/v1/hosts/{id}",
          "/api/v1/hosts/{id}/health",
          "/api/v1/hosts/{id}/routing",
          "/api/v1/hosts/{id}/metrics",
          "/api/v1/events",
          "/api/v1/incidents",
          "/api/v1/incidents/{id}",
          "/api/v1/tokens",
          "/api/v1/audit",
          "/api/v1/deliveries");

  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
  private static final List<String> REQUEST_HEADERS =
      List.of("Authorization", "Content-Type", "Accept", "X-Request-Id");
  private static final List<String> ANSWER_HEADERS =
      List.of("Content-Disposition", "Retry-After", "WWW-Authenticate", "Location", "X-Request-Id");
  private static final String API = "/api/v1/";
  private static final List<List<String>> FORWARDED_GET_SEGMENTS =
      FORWARDED_GETS.stream().map(LeaderForwarder::segments).toList();

  private final BooleanSupplier isLeader;
  private final Supplier<Optional<URI>> leaderUrl;
  private final String replicaId;
  private final HttpClient http;
  private final Duration timeout;
  private final int maxInFlight;
  private final Semaphore inFlight;
  private final ExecutorService ownExecutor;

  /**
   * A forwarder with its own HTTP client (a bounded pool of {@code maxInFlight} threads), closed by
   * {@link #close}.
   *
   * @param isLeader whether this replica leads now (asked on every request)
   * @param leaderUrl the leader's advertised base URL ({@code http://host:port}), empty when none is
   *     known
   * @param replicaId this replica's id, sent as {@value #FORWARDED_BY}
   * @param timeout how long a forwarded request may take (connecting included)
   * @param maxInFlight forwarded requests at once; more get 503 at once
   */
  public LeaderForwarder(
      BooleanSupplier isLeader, Supplier<Optional<URI>> leaderUrl, String replicaId, Duration timeout, int maxInFlight) {
    this(isLeader, leaderUrl, replicaId, timeout, maxInFlight, null);
  }

  /** As above with {@link #DEFAULT_TIMEOUT} and {@link #DEFAULT_MAX_IN_FLIGHT}. */
  public LeaderForwarder(BooleanSupplier isLeader, Supplier<Optional<URI>> leaderUrl, String replicaId) {
    this(isLeader, leaderUrl, replicaId, DEFAULT_TIMEOUT, DEFAULT_MAX_IN_FLIGHT);
  }

  /**
   * A forwarder on the caller's HTTP client (which the caller closes); it should not follow
   * redirects.
   */
  public LeaderForwarder(
      BooleanSupplier isLeader, Supplier<Optional<URI>> leaderUrl, String replicaId, Duration timeout,
      int maxInFlight, HttpClient client) {
    this.isLeader = Objects.requireNonNull(isLeader, "isLeader");
    this.leaderUrl = Objects.requireNonNull(leaderUrl, "leaderUrl");
    if (replicaId == null || replicaId.isBlank() || !replicaId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("replicaId must be printable ASCII without spaces (was " + replicaId + ")");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive (was " + timeout + ")");
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1 (was " + maxInFlight + ")");
    }
    this.replicaId = replicaId;
    this.timeout = timeout;
    this.maxInFlight = maxInFlight;
    this.inFlight = new Semaphore(maxInFlight);
    if (client == null) {
      AtomicInteger n = new AtomicInteger();
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(
              maxInFlight, maxInFlight, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, "nines-forward-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      pool.allowCoreThreadTimeOut(true);
      this.ownExecutor = pool;
      this.http =
          HttpClient.newBuilder()
              .executor(pool)
              .connectTimeout(timeout)
              .followRedirects(HttpClient.Redirect.NEVER)
              .version(HttpClient.Version.HTTP_1_1)
              .build();
    } else {
      this.ownExecutor = null;
      this.http = client;
    }
  }

  /** Registers this forwarder as a before-handler for every path (it picks its own requests). */
  public void install(JavalinConfig config) {
    config.routes.before(this);
  }

  /**
   * Whether a request with this method and path must be executed by the leader (as the class
   * comment lists). {@code path} is the request's path without its query; a trailing slash is
   * ignored.
   */
  public static boolean mustForward(String method, String path) {
    if (path == null || !path.startsWith(API)) {
      return false;
    }
    String m = method.toUpperCase(java.util.Locale.ROOT);
    if (WRITES.contains(m)) {
      return !(m.equals("POST") && trimSlash(path).equals(Protocol.REPORTS_PATH));
    }
    if (m.equals("GET")) {
      List<String> actual = segments(path);
      for (List<String> pattern : FORWARDED_GET_SEGMENTS) {
        if (matches(pattern, actual)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public void handle(Context ctx) {
    String method = ctx.method().name();
    String rawPath = ctx.req().getRequestURI();
    if (!mustForward(method, rawPath) || isLeader.getAsBoolean()) {
      return;
    }
    Optional<URI> leader = leaderUrl.get();
    String alreadyBy = ctx.header(FORWARDED_BY);
    if (alreadyBy != null) {
      throw unavailable(
          leader,
          "replica " + replicaId + " does not lead and will not forward a request already forwarded by "
              + alreadyBy + " (the replicas disagree on the leader, or one is changing); retry");
    }
    if (leader.isEmpty()) {
      throw unavailable(
          leader, "replica " + replicaId + " does not lead and no leader is known now (an election may be under way); retry");
    }
    byte[] body = WRITES.contains(method) ? ctx.bodyAsBytes() : new byte[0];
    URI target = target(leader.get(), rawPath, ctx.queryString());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target)
            .timeout(timeout)
            .method(
                method,
                body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    for (String name : REQUEST_HEADERS) {
      String value = ctx.header(name);
      if (value != null) {
        request.header(name, value);
      }
    }
    request.header(FORWARDED_BY, replicaId);
    if (!inFlight.tryAcquire()) {
      throw unavailable(
          leader, "replica " + replicaId + " already has " + maxInFlight + " requests waiting for the leader at "
              + leader.get() + "; retry");
    }
    HttpResponse<byte[]> answer;
    // The request's own timeout ends at the answer's headers; the deadline here bounds the body too
    // (a leader that stalls half-way through an answer).
    CompletableFuture<HttpResponse<byte[]>> call = null;
    try {
      call = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      answer = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw timedOut(leader.get(), method, rawPath);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw timedOut(leader.get(), method, rawPath);
      }
      if (causedBy(cause, ConnectException.class)) {
        LOG.warn("forwarding {} {}: the leader at {} refused the connection", method, rawPath, leader.get());
        throw unavailable(
            leader, "replica " + replicaId + " could not connect to the leader at " + leader.get() + "; retry");
      }
      LOG.warn("forwarding {} {} to the leader at {} failed: {}", method, rawPath, leader.get(), cause.toString());
      throw unavailable(
          leader, "replica " + replicaId + " could not reach the leader at " + leader.get() + " ("
              + cause.getClass().getSimpleName() + "); retry");
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw unavailable(leader, "replica " + replicaId + " was stopped while waiting for the leader; retry");
    } finally {
      inFlight.release();
    }
    ctx.status(answer.statusCode());
    answer.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
    for (String name : ANSWER_HEADERS) {
      answer.headers().firstValue(name).ifPresent(v -> ctx.header(name, v));
    }
    ctx.header(LEADER, leader.get().toString());
    ctx.result(answer.body());
    ctx.skipRemainingHandlers();
  }

  /** Stops the threads of the client this forwarder made (not a client it was given). */
  @Override
  public void close() {
    if (ownExecutor != null) {
      ownExecutor.shutdownNow();
    }
  }

  /** The leader's base URL with this request's raw (still encoded) path and query. */
  static URI target(URI leader, String rawPath, String rawQuery) {
    String base = leader.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + rawPath + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery));
  }

  private ApiException timedOut(URI leader, String method, String rawPath) {
    LOG.warn("forwarding {} {} to the leader at {} timed out after {}", method, rawPath, leader, timeout);
    return unavailable(
        Optional.of(leader),
        "replica " + replicaId + " got no answer from the leader at " + leader + " within " + timeout.toMillis() + " ms; retry");
  }

  private static boolean causedBy(Throwable t, Class<? extends Throwable> kind) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (kind.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static ApiException unavailable(Optional<URI> leader, String detail) {
    Map<String, String> headers =
        leader.isPresent()
            ? Map.of("Retry-After", RETRY_AFTER_SECONDS, LEADER, leader.get().toString())
            : Map.of("Retry-After", RETRY_AFTER_SECONDS);
    return new ApiException(503, "no leader", detail, headers);
  }

  private static String trimSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static List<String> segments(String path) {
    String p = trimSlash(path);
    return List.of(p.substring(1).split("/", -1));
  }

  private static boolean matches(List<String> pattern, List<String> actual) {
    if (pattern.size() != actual.size()) {
      return false;
    }
    for (int i = 0; i < pattern.size(); i++) {
      String p = pattern.get(i);
      boolean param = p.startsWith("{") && p.endsWith("}");
      if (param ? actual.get(i).isEmpty() : !p.equals(actual.get(i))) {
        return false;
      }
    }
    return true;
  }
}

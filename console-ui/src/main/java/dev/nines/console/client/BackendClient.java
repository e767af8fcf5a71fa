package dev.nines.console.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The console's client of the Nines backend API ({@code /api/v1}). Every call blocks the calling
 * thread (call it off the UI thread), is bounded by the connect and request timeouts, and either
 * returns typed records (unknown JSON fields ignored; null figures stay null, meaning "not
 * available") or throws a {@link BackendException} whose {@code operatorMessage} can be shown as it
 * is. The one asynchronous call is {@link #uptimeReport}. Thread-safe: one instance serves the whole
 * console.
 */
public final class BackendClient implements AutoCloseable {
  /** How long to wait for a TCP connection. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** How long to wait for an answer's headers (reports: {@link #REPORT_TIMEOUT}). */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  /** How long the server may take to build a report before its first byte. */
  public static final Duration REPORT_TIMEOUT = Duration.ofMinutes(5);

  private static final int PROGRESS_EVERY_BYTES = 64 * 1024;

  private final Replicas replicas;
  private final List<Consumer<String>> refusedListeners = new CopyOnWriteArrayList<>();
  private final String token;
  private final Duration requestTimeout;
  private final Clock clock;
  private final HttpClient http;
  private final ObjectMapper json;
  private final ExecutorService downloads;

  /** A client with the default timeouts and the system clock. */
  public BackendClient(URI server, String token) {
    this(server, token, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, Clock.systemUTC());
  }

  /** A client of several replicas with the default timeouts and the system clock. */
  public BackendClient(List<URI> servers, String token) {
    this(servers, token, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, Clock.systemUTC());
  }

  /**
   * @param server the backend's base URL, e.g. {@code http://localhost:7070}
   * @param token a bearer token
   * @param connectTimeout bound on establishing a connection
   * @param requestTimeout bound on waiting for an answer
   * @param clock measures download times
   */
  public BackendClient(URI server, String token, Duration connectTimeout, Duration requestTimeout, Clock clock) {
    this(List.of(Objects.requireNonNull(server, "server")), token, connectTimeout, requestTimeout, clock);
  }

  /**
   * A client of several replicas of one backend (one PostgreSQL database). Calls go to the current
   * replica (the first at the start); when it cannot be reached (connection refused, no connection
   * within the connect timeout) or answers 503 "no leader" / "not the leader", the next one becomes
   * current. A read is then retried on it (each replica once per call); a write only when it cannot
   * have reached any server (no connection was made), so an action is never sent twice.
   *
   * @param servers the replicas' base URLs, in the order to try them
   */
  public BackendClient(
      List<URI> servers, String token, Duration connectTimeout, Duration requestTimeout, Clock clock) {
    this.replicas = new Replicas(servers);
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("token is required");
    }
    this.token = token.strip();
    this.requestTimeout = positive(requestTimeout, "requestTimeout");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(positive(connectTimeout, "connectTimeout"))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.json = mapper();
    this.downloads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "nines-report-download");
              t.setDaemon(true);
              return t;
            });
  }

  /** The JSON mapper the client reads with: unknown fields ignored. */
  static ObjectMapper mapper() {
    return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  }

  /** The base URL (without a trailing slash) of the replica the calls go to now. */
  public URI server() {
    return replicas.current();
  }

  /** Every replica's base URL, in the order given. */
  public List<URI> servers() {
    return replicas.all();
  }

  /**
   * Calls {@code listener} (on the calling thread) with the operator's line whenever the server
   * refuses this client's token (401) on any call: a token revoked while the console runs is noticed
   * at the next call, not only when the event stream reconnects. The answer removes the listener.
   */
  public Runnable onTokenRefused(Consumer<String> listener) {
    Objects.requireNonNull(listener, "listener");
    refusedListeners.add(listener);
    return () -> refusedListeners.remove(listener);
  }

  private void refused(int status) {
    if (status != 401) {
      return;
    }
    for (Consumer<String> l : refusedListeners) {
      try {
        l.accept(BackendException.TOKEN_REFUSED);
      } catch (RuntimeException e) {
        java.util.logging.Logger.getLogger(BackendClient.class.getName())
            .log(java.util.logging.Level.WARNING, "a token-refused listener failed", e);
      }
    }
  }

  /** The replicas, shared with the event stream made from this client. */
  Replicas replicas() {
    return replicas;
  }

  /**
   * A comma-separated list of replica URLs ({@code http://a:7070,http://b:7070}) as URIs: blanks
   * around the commas ignored, each an http(s) URL with a host.
   *
   * @throws IllegalArgumentException naming the first URL that is not usable, or for an empty list
   */
  public static List<URI> parseServers(String text) {
    List<URI> out = new ArrayList<>();
    for (String part : (text == null ? "" : text).split(",")) {
      String t = part.strip();
      if (t.isEmpty()) {
        continue;
      }
      try {
        out.add(normalise(URI.create(t)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("server '" + t + "' is not usable: " + e.getMessage(), e);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("server must name at least one URL (was '" + text + "')");
    }
    return out;
  }

  /**
   * This replica and the leader it knows of ({@code GET /api/v1/cluster}, answered by the replica
   * itself; every reader may ask).
   */
  public Cluster cluster() {
    return get("/api/v1/cluster", Map.of(), Cluster.class, "read the cluster's state");
  }

  /** The token this client sends (for the event stream). */
  String token() {
    return token;
  }

  /** Who this token is: its name and role ({@code GET /api/v1/whoami}). */
  public WhoAmI whoAmI() {
    JsonNode n = get("/api/v1/whoami", Map.of(), JsonNode.class, "identify the token");
    return new WhoAmI(n.path("name").asText(""), WhoAmI.Role.parse(n.path("role").asText(null)));
  }

  // --- hosts ---

  /** Every host ({@code GET /api/v1/hosts}). */
  public List<Host> hosts() {
    return get("/api/v1/hosts", Map.of(), listOf(Host.class), "list the hosts");
  }

  /** One host; NOT_FOUND for an unknown id. */
  public Host host(String id) {
    return get("/api/v1/hosts/" + seg(id), Map.of(), Host.class, "read host " + id);
  }

  /** The health intervals of a host overlapping {@code [from, to)}; null bounds: the server's default (24 h). */
  public HealthHistory hostHealth(String id, Instant from, Instant to) {
    return get("/api/v1/hosts/" + seg(id) + "/health", window(from, to), HealthHistory.class, "read the health of " + id);
  }

  /**
   * The routing intervals of a host overlapping {@code [from, to)} (every reader may read them);
   * null bounds: the server's default (24 h).
   */
  public RoutingHistory hostRouting(String id, Instant from, Instant to) {
    return get("/api/v1/hosts/" + seg(id) + "/routing", window(from, to), RoutingHistory.class, "read the routing of " + id);
  }

  /**
   * A host's series over {@code [from, to)} bucketed to {@code step}; null arguments take the
   * server's defaults (last hour, ~300 points, every metric). {@code metrics} names as in the
   * backend's {@code SampleMetrics.NAMES} (e.g. {@code cpu_util}, {@code gpu_util}).
   */
  public HostMetricsSeries hostMetrics(String id, Instant from, Instant to, Duration step, String... metrics) {
    Map<String, String> q = window(from, to);
    if (step != null) {
      q.put("step", Long.toString(step.toMillis()));
    }
    if (metrics != null && metrics.length > 0) {
      q.put("metric", String.join(",", metrics));
    }
    return get("/api/v1/hosts/" + seg(id) + "/metrics", q, HostMetricsSeries.class, "read the metrics of " + id);
  }

  // --- pools ---

  /** Every pool, without members or burn rates. */
  public List<Pool> pools() {
    return get("/api/v1/pools", Map.of(), listOf(Pool.class), "list the pools");
  }

  /** One pool with members, burn rates and conditions; NOT_FOUND for an unknown pool. */
  public Pool pool(String name) {
    return get("/api/v1/pools/" + seg(name), Map.of(), Pool.class, "read pool " + name);
  }

  /** The routing view of a pool: sides, failover, policy, N+1. */
  public PoolRouting poolRouting(String name) {
    JsonNode n = get("/api/v1/pools/" + seg(name) + "/routing", Map.of(), JsonNode.class, "read the routing of " + name);
    Map<String, List<String>> sides = new LinkedHashMap<>();
    n.path("sides").fields().forEachRemaining(e -> {
      List<String> ids = new ArrayList<>();
      e.getValue().forEach(v -> ids.add(v.asText()));
      sides.put(e.getKey(), ids);
    });
    List<JsonNode> events = new ArrayList<>();
    n.path("policyEvents").forEach(events::add);
    JsonNode np = n.path("nPlusOne");
    PoolRouting.NPlusOne nPlusOne =
        np.isObject()
            ? new PoolRouting.NPlusOne(
                np.path("ok").asBoolean(), np.path("serving").asInt(), np.path("required").asInt(),
                np.path("reason").asText(null))
            : null;
    return new PoolRouting(
        n.path("pool").asText(name), sides, textOrNull(n.get("activeSide")), objectOrNull(n.get("failover")),
        objectOrNull(n.get("lastFailover")), n.path("autoDrain").asBoolean(), n.path("autoFailover").asBoolean(),
        n.hasNonNull("drainTimeoutMs") ? n.get("drainTimeoutMs").asLong() : null, nPlusOne, events, n);
  }

  /** Availability of one pool or host over {@code [from, to)} (null bounds: the last 24 h). */
  public Availability availability(Subject subject, Instant from, Instant to) {
    Objects.requireNonNull(subject, "subject");
    Map<String, String> q = window(from, to);
    q.put(subject.param(), subject.id());
    return get("/api/v1/availability", q, Availability.class, "read the availability of " + subject.id());
  }

  // --- incidents, alerts, silences, audit ---

  /** One page of incidents, newest first; {@code cursor} null for the first page. */
  public Page<Incident> incidents(Incident.Filter filter, String cursor) {
    Incident.Filter f = filter == null ? Incident.Filter.ALL : filter;
    Map<String, String> q = new LinkedHashMap<>();
    put(q, "state", f.state());
    put(q, "kind", f.kind());
    put(q, "subject", f.subject());
    put(q, "limit", f.limit());
    put(q, "cursor", cursor);
    return get("/api/v1/incidents", q, pageOf(Incident.class), "list the incidents");
  }

  /** One incident with its timeline. */
  public Incident incident(long id) {
    return get("/api/v1/incidents/" + id, Map.of(), Incident.class, "read incident " + id);
  }

  /** One page of alerts; {@code cursor} null for the first page. */
  public Page<Alert> alerts(Alert.Filter filter, String cursor) {
    Alert.Filter f = filter == null ? Alert.Filter.ALL : filter;
    Map<String, String> q = new LinkedHashMap<>();
    put(q, "state", f.state());
    put(q, "pool", f.pool());
    put(q, "host", f.host());
    put(q, "alertname", f.alertname());
    put(q, "severity", f.severity());
    put(q, "limit", f.limit());
    put(q, "cursor", cursor);
    return get("/api/v1/alerts", q, pageOf(Alert.class), "list the alerts");
  }

  /** Acknowledges a firing alert (CONFLICT when it is not firing); answers the alert as it is now. */
  public Alert ack(String fingerprint, String comment) {
    ObjectNode body = json.createObjectNode();
    if (comment != null) {
      body.put("comment", comment);
    }
    return send("POST", "/api/v1/alerts/" + seg(fingerprint) + "/ack", body, Alert.class, "acknowledge the alert");
  }

  /** The first page of silences, newest first. */
  public Page<Silence> silences() {
    return silences(null);
  }

  /** One page of silences; {@code cursor} null for the first page. */
  public Page<Silence> silences(String cursor) {
    Map<String, String> q = new LinkedHashMap<>();
    put(q, "cursor", cursor);
    return get("/api/v1/silences", q, pageOf(Silence.class), "list the silences");
  }

  /**
   * Silences the alerts that match every matcher ({@code pool=chat}, {@code alertname=~host-.*}) from
   * now for {@code duration} (at most 30 days); {@code comment} says why (required).
   */
  public Silence createSilence(List<String> matchers, String comment, Duration duration) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive (was " + duration + ")");
    }
    ObjectNode body = json.createObjectNode();
    matchers.forEach(body.putArray("matchers")::add);
    body.put("comment", comment);
    body.put("duration", duration.toMillis() + "ms");
    return send("POST", "/api/v1/silences", body, Silence.class, "create a silence");
  }

  /** Ends a silence now; answers it as it is now. */
  public Silence expireSilence(String id) {
    return send("DELETE", "/api/v1/silences/" + seg(id), null, Silence.class, "expire the silence");
  }

  /** The first page of the audit log (operators and admins; FORBIDDEN for viewers). */
  public Page<AuditEntry> audit(String cursor) {
    Map<String, String> q = new LinkedHashMap<>();
    put(q, "cursor", cursor);
    return get("/api/v1/audit", q, pageOf(AuditEntry.class), "read the audit log");
  }

  // --- actions ---

  /**
   * Drains a host (DRAINING, then DRAINED when its in-flight requests end or at the timeout).
   *
   * @param reason why (required by the server)
   * @param timeout how long to wait for in-flight work, or null for the pool's setting
   * @param force override the capacity guard (audited)
   * @param dryRun only show the plan and the guard's verdict
   */
  public ActionOutcome drain(String host, String reason, Duration timeout, boolean force, boolean dryRun) {
    ObjectNode body = json.createObjectNode();
    body.put("reason", reason);
    if (timeout != null) {
      body.put("timeout", timeout.toMillis());
    }
    body.put("force", force);
    body.put("dryRun", dryRun);
    return act("/api/v1/hosts/" + seg(host) + "/drain", body, "drain " + host);
  }

  /** Puts a host back into rotation (ACTIVE; also releases a quarantine); {@code reason} may be null. */
  public ActionOutcome undrain(String host, String reason, boolean dryRun) {
    ObjectNode body = json.createObjectNode();
    if (reason != null) {
      body.put("reason", reason);
    }
    body.put("dryRun", dryRun);
    return act("/api/v1/hosts/" + seg(host) + "/undrain", body, "undrain " + host);
  }

  /** Puts a host in MAINTENANCE, until {@code until} when given (else until an undrain). */
  public ActionOutcome maintenance(String host, String reason, Instant until, boolean force, boolean dryRun) {
    ObjectNode body = json.createObjectNode();
    body.put("reason", reason);
    if (until != null) {
      body.put("until", until.toEpochMilli());
    }
    body.put("force", force);
    body.put("dryRun", dryRun);
    return act("/api/v1/hosts/" + seg(host) + "/maintenance", body, "put " + host + " in maintenance");
  }

  /** Fails a pool over to its standby side; CONFLICT for a pool without sides or a failover under way. */
  public ActionOutcome failover(String pool, boolean dryRun) {
    ObjectNode body = json.createObjectNode();
    body.put("dryRun", dryRun);
    return act("/api/v1/pools/" + seg(pool) + "/failover", body, "fail over " + pool);
  }

  // --- reports ---

  /**
   * Starts downloading the uptime report of {@code [from, to)} (null bounds: the server's default,
   * the last 30 days) for one pool or host ({@code subject} null: the whole fleet) to {@code out}.
   * The body streams to a temporary file in {@code out}'s folder, moved onto {@code out} when
   * complete. Progress goes to {@code listener} on the downloading thread.
   */
  public Download uptimeReport(
      Instant from, Instant to, Subject subject, ReportFormat format, Path out, ProgressListener listener) {
    Objects.requireNonNull(format, "format");
    Path target = Objects.requireNonNull(out, "out").toAbsolutePath();
    ProgressListener progress = listener == null ? ProgressListener.NONE : listener;
    Map<String, String> q = window(from, to);
    if (subject != null) {
      q.put(subject.param(), subject.id());
    }
    q.put("format", format.wire());
    Endpoint request = base -> request(base, "/api/v1/reports/uptime", q).timeout(REPORT_TIMEOUT).GET().build();
    CompletableFuture<Download.Result> result = new CompletableFuture<>();
    AtomicBoolean cancelled = new AtomicBoolean();
    AtomicReference<InputStream> body = new AtomicReference<>();
    Future<?> task =
        downloads.submit(
            () -> {
              try {
                result.complete(fetch(request, target, progress, cancelled, body));
              } catch (BackendException e) {
                result.completeExceptionally(cancelled.get() ? new CancellationException("cancelled") : e);
              } catch (RuntimeException e) {
                result.completeExceptionally(e);
              }
            });
    return new Download() {
      @Override
      public CompletableFuture<Result> result() {
        return result;
      }

      @Override
      public void cancel() {
        if (result.isDone()) {
          return;
        }
        cancelled.set(true);
        InputStream in = body.get();
        if (in != null) {
          closeQuietly(in);
        }
        task.cancel(true);
        result.completeExceptionally(new CancellationException("the report download was cancelled"));
      }
    };
  }

  private Download.Result fetch(
      Endpoint request, Path target, ProgressListener progress, AtomicBoolean cancelled,
      AtomicReference<InputStream> bodyRef) {
    Instant start = clock.instant();
    String what = "download the uptime report";
    HttpResponse<InputStream> response = exchange(request, HttpResponse.BodyHandlers.ofInputStream(), what, false);
    Path dir = target.getParent();
    Path part = null;
    try (InputStream in = response.body()) {
      bodyRef.set(in);
      if (response.statusCode() / 100 != 2) {
        throw failure(response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8), what);
      }
      long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      Files.createDirectories(dir);
      part = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
      long bytes = 0;
      long lastTold = 0;
      try (OutputStream os = Files.newOutputStream(part)) {
        byte[] buf = new byte[16 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
          if (cancelled.get()) {
            throw new CancellationException("cancelled");
          }
          os.write(buf, 0, n);
          bytes += n;
          if (bytes - lastTold >= PROGRESS_EVERY_BYTES) {
            lastTold = bytes;
            progress.progress(bytes, total, Duration.between(start, clock.instant()));
          }
        }
      }
      if (cancelled.get()) {
        throw new CancellationException("cancelled");
      }
      try {
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
      }
      part = null;
      Duration elapsed = Duration.between(start, clock.instant());
      progress.progress(bytes, total, elapsed);
      return new Download.Result(target, bytes, elapsed);
    } catch (IOException e) {
      if (cancelled.get()) {
        throw new CancellationException("cancelled");
      }
      throw new BackendException(
          BackendException.Kind.UNREACHABLE, 0, null, null,
          "The report download broke off (" + e.getMessage() + "); nothing was saved", e);
    } finally {
      if (part != null) {
        try {
          Files.deleteIfExists(part);
        } catch (IOException e) {
          // best effort: a stray .part file is harmless
        }
      }
    }
  }

  /** Stops the download threads. The client's synchronous calls keep working. */
  @Override
  public void close() {
    downloads.shutdownNow();
  }

  // --- plumbing ---

  private ActionOutcome act(String path, ObjectNode body, String what) {
    String text = write(body);
    Endpoint request =
        base -> request(base, path, Map.of())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(text))
            .build();
    HttpResponse<String> r = exchange(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), what, true);
    int status = r.statusCode();
    if (status / 100 == 2) {
      return new ActionOutcome(status, false, null, read(r.body(), json.constructType(ActionOutcome.Plan.class), what));
    }
    if (status == 409) {
      JsonNode n = tree(r.body());
      JsonNode detail = n == null ? null : n.get("detail");
      if (detail != null && detail.isObject() && detail.has("subject") && detail.hasNonNull("guard")) {
        try {
          ActionOutcome.Plan plan = json.treeToValue(detail, ActionOutcome.Plan.class);
          return new ActionOutcome(status, true, textOrNull(n.get("error")), plan);
        } catch (JsonProcessingException e) {
          // not a plan after all: a plain conflict below
        }
      }
    }
    throw failure(status, r.body(), what);
  }

  private <T> T get(String path, Map<String, String> query, Class<T> type, String what) {
    return get(path, query, json.constructType(type), what);
  }

  private <T> T get(String path, Map<String, String> query, JavaType type, String what) {
    Endpoint request = base -> request(base, path, query).GET().build();
    return answer(exchange(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), what, false), type, what);
  }

  private <T> T send(String method, String path, JsonNode body, Class<T> type, String what) {
    String text = body == null ? null : write(body);
    Endpoint request =
        base -> {
          HttpRequest.Builder b = request(base, path, Map.of());
          if (text == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
          } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(text));
          }
          return b.build();
        };
    HttpResponse<String> r = exchange(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), what, true);
    return answer(r, json.constructType(type), what);
  }

  private <T> T answer(HttpResponse<String> r, JavaType type, String what) {
    if (r.statusCode() / 100 != 2) {
      throw failure(r.statusCode(), r.body(), what);
    }
    return read(r.body(), type, what);
  }

  private <T> T read(String body, JavaType type, String what) {
    try {
      return json.readValue(body, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new BackendException(
          BackendException.Kind.SERVER, 200, null, null,
          "The server's answer could not be read while trying to " + what + " (" + e.getMessage().lines().findFirst().orElse("") + "): is this a Nines backend of the same version?",
          e);
    }
  }

  /** A request to one replica: made anew for each replica tried. */
  private interface Endpoint {
    HttpRequest at(URI base);
  }

  private HttpRequest.Builder request(URI base, String path, Map<String, String> query) {
    StringBuilder uri = new StringBuilder(base.toString()).append(path);
    char sep = '?';
    for (Map.Entry<String, String> e : query.entrySet()) {
      uri.append(sep).append(enc(e.getKey())).append('=').append(enc(e.getValue()));
      sep = '&';
    }
    return HttpRequest.newBuilder(URI.create(uri.toString()))
        .timeout(requestTimeout)
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json");
  }

  /**
   * Sends the request to the current replica, moving on to the next when it cannot serve it (see the
   * constructor): a read is tried on each replica at most once; a write ({@code write}) is tried on
   * another only when no connection was made (refused, or none within the connect timeout), because
   * then no byte of it reached a server. A write that broke off after it was sent, or was answered
   * 503 "no leader" / "not the leader", moves the next call on but is not retried: the leader may
   * have run it.
   */
  private <T> HttpResponse<T> exchange(
      Endpoint endpoint, HttpResponse.BodyHandler<T> handler, String what, boolean write) {
    int tries = replicas.size();
    BackendException last = null;
    for (int i = 0; i < tries; i++) {
      URI base = replicas.current();
      boolean more = i + 1 < tries;
      try {
        HttpResponse<T> r = http.send(endpoint.at(base), handler);
        refused(r.statusCode());
        if (r.statusCode() != 503 || replicas.size() == 1) {
          return r;
        }
        String body = bodyText(r);
        if (!noLeader(body)) {
          return withText(r, body, what);
        }
        replicas.moveOn(base);
        last = failure(503, body, what);
        if (write || !more) {
          throw last;
        }
      } catch (HttpConnectTimeoutException e) {
        last = unreachable(base, e, "did not accept a connection in time");
        replicas.moveOn(base);
      } catch (HttpTimeoutException e) {
        throw new BackendException(
            BackendException.Kind.TIMEOUT, 0, null, null,
            "The server at " + base + " did not answer in time while trying to " + what, e);
      } catch (ConnectException e) {
        last = unreachable(base, e, "refused the connection");
        replicas.moveOn(base);
      } catch (IOException e) {
        last = unreachable(base, e, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        replicas.moveOn(base);
        if (write) {
          throw last; // the request may have reached the server: never send an action twice
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BackendException(
            BackendException.Kind.UNREACHABLE, 0, null, null, "Interrupted while trying to " + what, e);
      }
    }
    if (replicas.size() > 1 && last != null && last.kind() == BackendException.Kind.UNREACHABLE) {
      throw new BackendException(
          BackendException.Kind.UNREACHABLE, 0, null, null,
          "Cannot reach any of the " + replicas.size() + " servers (" + replicas + "; last: "
              + last.operatorMessage() + ")",
          last);
    }
    throw last;
  }

  /** The body of a 503 as text (an input stream's is read: it is short). */
  private static String bodyText(HttpResponse<?> r) throws IOException {
    Object body = r.body();
    if (body instanceof String) {
      return (String) body;
    }
    if (body instanceof InputStream) {
      try (InputStream in = (InputStream) body) {
        return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  /** A 503 that is not about the leader, as the caller would see it: streamed bodies were read, so it is thrown here. */
  private <T> HttpResponse<T> withText(HttpResponse<T> r, String body, String what) {
    if (r.body() instanceof InputStream) {
      throw failure(r.statusCode(), body, what);
    }
    return r;
  }

  /** Whether a 503's body says the replica could not reach a leader, or no longer leads. */
  private boolean noLeader(String body) {
    JsonNode n = tree(body);
    String error = n == null ? null : textOrNull(n.get("error"));
    return "no leader".equals(error) || "not the leader".equals(error);
  }

  private static BackendException unreachable(URI base, Exception e, String how) {
    return new BackendException(
        BackendException.Kind.UNREACHABLE, 0, null, null,
        "Cannot reach the server at " + base + " (" + how + "): is it running, and is the URL right?", e);
  }

  /** The exception for a non-2xx answer, reading the server's {@code {"error", "detail"}}. */
  BackendException failure(int status, String body, String what) {
    JsonNode n = tree(body);
    String error = n == null ? null : textOrNull(n.get("error"));
    JsonNode d = n == null ? null : n.get("detail");
    String detail = d == null || d.isNull() ? null : d.isTextual() ? d.asText() : d.toString();
    return BackendException.ofStatus(status, error, detail, what);
  }

  private JsonNode tree(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return json.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private String write(JsonNode body) {
    try {
      return json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  private JavaType listOf(Class<?> type) {
    return json.getTypeFactory().constructCollectionType(List.class, type);
  }

  private JavaType pageOf(Class<?> type) {
    return json.getTypeFactory().constructParametricType(Page.class, type);
  }

  private static Map<String, String> window(Instant from, Instant to) {
    Map<String, String> q = new LinkedHashMap<>();
    if (from != null) {
      q.put("from", Long.toString(from.toEpochMilli()));
    }
    if (to != null) {
      q.put("to", Long.toString(to.toEpochMilli()));
    }
    return q;
  }

  private static void put(Map<String, String> q, String name, Object value) {
    if (value != null && !value.toString().isBlank()) {
      q.put(name, value.toString());
    }
  }

  private static String textOrNull(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  private static JsonNode objectOrNull(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : n;
  }

  private static String seg(String id) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("id is required");
    }
    return enc(id).replace("+", "%20");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // closing to interrupt a read: nothing to do
    }
  }

  static URI normalise(URI server) {
    Objects.requireNonNull(server, "server");
    String s = server.toString();
    if (!"http".equals(server.getScheme()) && !"https".equals(server.getScheme())) {
      throw new IllegalArgumentException("server must be an http:// or https:// URL (was " + s + ")");
    }
    if (server.getHost() == null) {
      throw new IllegalArgumentException("server must name a host (was " + s + ")");
    }
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s);
  }

  private static Duration positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive (was " + d + ")");
    }
    return d;
  }
}

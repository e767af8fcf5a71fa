package dev.nines.console.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The backend's event stream ({@code GET /api/v1/events}, server-sent events) kept open: it
 * reconnects by itself with capped exponential backoff and jitter, resumes with {@code
 * Last-Event-ID} so that the server replays every durable event missed meanwhile, and tells
 * listeners its {@link ConnectionState} with a reason. A refused token (401/403) stops the retries
 * (state UNAUTHORIZED); an unreachable server is retried for ever (state UNREACHABLE).
 *
 * <p>Listeners are called on the stream's reader thread, in stream order: hop to the UI thread
 * yourself and do not block. Time (backoff, idle checks) goes through the injected {@link Clock},
 * {@link Random} and {@link Scheduler}.
 */
public final class EventStream implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EventStream.class.getName());
  /** Listen to every event type. */
  public static final String ANY = "*";

  /**
   * How the stream behaves.
   *
   * @param backoff delays between tries
   * @param connectTimeout bound on a TCP connection and the answer's headers
   * @param idleTimeout a live connection that brings nothing (not even the 15 s keep-alive) this
   *     long is dropped and made again
   */
  public record Options(Backoff backoff, Duration connectTimeout, Duration idleTimeout) {
    /** 0.5 s .. 30 s backoff, 5 s connect, 45 s idle (three keep-alives missed). */
    public static final Options DEFAULT = new Options(Backoff.DEFAULT, Duration.ofSeconds(5), Duration.ofSeconds(45));

    public Options {
      Objects.requireNonNull(backoff, "backoff");
      if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be positive (was " + connectTimeout + ")");
      }
      if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("idleTimeout must be positive (was " + idleTimeout + ")");
      }
    }
  }

  private record Listener(String type, Consumer<ServerEvent> consumer) {}

  private static final String PATH = "/api/v1/events";

  private final Replicas replicas;
  private final String token;
  private final Options options;
  private final Clock clock;
  private final Random random;
  private final Scheduler scheduler;
  private final HttpClient http;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<ConnectionStatus>> stateListeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> unfollow = new CopyOnWriteArrayList<>();

  // guarded by this
  private volatile ConnectionStatus status;
  private String lastEventId;
  private int attempt;
  private long generation;
  private boolean started;
  private boolean closed;
  private boolean everLive;
  private Thread reader;
  private InputStream body;
  private Scheduler.Cancellable pending;
  private volatile long lastActivityMs;
  private volatile URI server;

  /**
   * @param server the backend's base URL
   * @param token a bearer token (viewer or above)
   * @param resumeFrom the last durable event id already seen, or null to start with live events
   */
  public EventStream(
      URI server, String token, String resumeFrom, Options options, Clock clock, Random random, Scheduler scheduler) {
    this(new Replicas(List.of(Objects.requireNonNull(server, "server"))), token, resumeFrom, options, clock, random, scheduler);
  }

  /**
   * A stream of several replicas of one backend: it reads from one; when that stream is lost (or
   * cannot be made) the next try goes to the next replica in turn, with {@code Last-Event-ID}
   * (event ids are global across replicas, so nothing is missed or repeated).
   *
   * @param servers the replicas' base URLs, in the order to try them
   */
  public EventStream(
      List<URI> servers, String token, String resumeFrom, Options options, Clock clock, Random random,
      Scheduler scheduler) {
    this(new Replicas(servers), token, resumeFrom, options, clock, random, scheduler);
  }

  /** On the replicas of a client: the stream and the client's calls move on together. */
  EventStream(
      Replicas replicas, String token, String resumeFrom, Options options, Clock clock, Random random,
      Scheduler scheduler) {
    this.replicas = Objects.requireNonNull(replicas, "replicas");
    this.server = replicas.current();
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("token is required");
    }
    this.token = token.strip();
    this.lastEventId = resumeFrom;
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.http = HttpClient.newBuilder().connectTimeout(options.connectTimeout()).build();
    this.status = new ConnectionStatus(ConnectionState.CONNECTING, "not started", clock.instant(), null);
  }

  /** A stream for a client's server and token with the default options, system clock and a daemon scheduler. */
  public static EventStream of(BackendClient client) {
    EventStream s = new EventStream(
        client.replicas(), client.token(), null, Options.DEFAULT, Clock.systemUTC(), new Random(),
        Scheduler.daemon("nines-events-scheduler"));
    s.follow(client);
    return s;
  }

  /**
   * Stops as on its own 401 when {@code client} (same server and token) has its token refused on any
   * call, until {@link #close()}: a token revoked while the stream is connected shows at once.
   */
  public void follow(BackendClient client) {
    Runnable off = client.onTokenRefused(this::tokenRefused);
    synchronized (this) {
      if (closed) {
        off.run();
        return;
      }
      unfollow.add(off);
    }
  }

  /**
   * The server refused the token on another call (401): the stream stops as it would on its own 401
   * (state UNAUTHORIZED with {@code line}, no more tries) instead of staying LIVE on a connection
   * made before the token was revoked.
   */
  public void tokenRefused(String line) {
    Detached old;
    long gen;
    synchronized (this) {
      if (closed || status.state() == ConnectionState.UNAUTHORIZED) {
        return;
      }
      old = detach();
      gen = generation;
    }
    old.end();
    change(gen, new ConnectionStatus(ConnectionState.UNAUTHORIZED, line, clock.instant(), null));
  }

  /** Calls {@code listener} with every event of {@code type} ({@link #ANY}: every event); the answer removes it. */
  public Runnable onEvent(String type, Consumer<ServerEvent> listener) {
    Listener l = new Listener(Objects.requireNonNull(type, "type"), Objects.requireNonNull(listener, "listener"));
    listeners.add(l);
    return () -> listeners.remove(l);
  }

  /** Calls {@code listener} with every state change; the answer removes it. */
  public Runnable onState(Consumer<ConnectionStatus> listener) {
    stateListeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> stateListeners.remove(listener);
  }

  /** The replica the stream reads from (or tries next, while retrying). */
  public URI server() {
    return server;
  }

  /** The current state and its reason. */
  public ConnectionStatus status() {
    return status;
  }

  /** The last durable event id received (sent as {@code Last-Event-ID} on reconnect), or null. */
  public synchronized String lastEventId() {
    return lastEventId;
  }

  /** Connects (once); later calls do nothing. */
  public void start() {
    synchronized (this) {
      if (started || closed) {
        return;
      }
      started = true;
    }
    connect();
  }

  /** Disconnects and stops every retry; listeners hear nothing more. */
  @Override
  public void close() {
    Detached old;
    synchronized (this) {
      closed = true;
      old = detach();
    }
    unfollow.forEach(Runnable::run);
    old.end();
  }

  /** A connection taken off the stream, to be ended outside the lock. */
  private record Detached(Thread reader, InputStream body) {
    void end() {
      closeQuietly(body);
      if (reader != null) {
        reader.interrupt();
      }
    }
  }

  /**
   * With the lock held: a new generation (the reader's and any planned retry's are over) and the
   * current connection taken off, for the caller to {@link Detached#end} once it let the lock go.
   */
  private Detached detach() {
    generation++;
    if (pending != null) {
      pending.cancel();
      pending = null;
    }
    Detached d = new Detached(reader, body);
    reader = null;
    body = null;
    return d;
  }


  private void connect() {
    long gen;
    synchronized (this) {
      if (closed) {
        return;
      }
      pending = null;
      gen = ++generation;
      reader = new Thread(() -> run(gen), "nines-events-reader");
      reader.setDaemon(true);
      reader.start();
    }
  }

  /** One connection, on its own reader thread, until it ends; then plans the next. */
  private void run(long gen) {
    URI base = replicas.current();
    server = base;
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + PATH))
            .timeout(options.connectTimeout().plusSeconds(10))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "text/event-stream")
            .GET();
    String resume = lastEventId();
    if (resume != null) {
      b.header("Last-Event-ID", resume);
    }
    HttpResponse<InputStream> response;
    try {
      response = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException | HttpConnectTimeoutException e) {
      retry(gen, base, ConnectionState.UNREACHABLE, "Cannot reach the server at " + base + " (" + how(e) + ")");
      return;
    } catch (IOException e) {
      retry(gen, base, everLive() ? ConnectionState.RECONNECTING : ConnectionState.UNREACHABLE,
          "Cannot reach the server at " + base + " (" + how(e) + ")");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    int code = response.statusCode();
    if (code == 401 || code == 403) {
      closeQuietly(response.body());
      String line =
          code == 401
              ? BackendException.TOKEN_REFUSED
              : "This token's role may not read the event stream (403): use a viewer, operator or admin token";
      change(gen, new ConnectionStatus(ConnectionState.UNAUTHORIZED, line, clock.instant(), null));
      return;
    }
    if (code != 200) {
      closeQuietly(response.body());
      retry(gen, base, ConnectionState.RECONNECTING, "The server answered " + code + " to the event stream");
      return;
    }
    InputStream in = response.body();
    synchronized (this) {
      if (gen != generation) {
        closeQuietly(in);
        return;
      }
      body = in;
      everLive = true;
    }
    lastActivityMs = clock.millis();
    change(gen, new ConnectionStatus(
        ConnectionState.LIVE, "Live: connected to " + base + (resume == null ? "" : ", resumed after event " + resume),
        clock.instant(), null));
    watchIdle(gen);
    SseParser parser = new SseParser(resume, e -> deliver(gen, e), c -> lastActivityMs = clock.millis());
    String why = "the server closed the stream";
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      boolean heard = false;
      while ((line = r.readLine()) != null) {
        lastActivityMs = clock.millis();
        if (!heard) {
          heard = true;
          resetAttempts(gen); // only a stream that speaks resets the backoff: no tight loop on one that closes at once
        }
        parser.line(line);
        if (gen != currentGeneration()) {
          return;
        }
      }
      parser.end();
    } catch (IOException e) {
      why = "the connection broke (" + how(e) + ")";
    }
    retry(gen, base, ConnectionState.RECONNECTING, "Connection to " + base + " lost: " + why);
  }

  private void deliver(long gen, ServerEvent e) {
    synchronized (this) {
      if (gen != generation) {
        return;
      }
      if (e.id() != null) {
        lastEventId = e.id();
      }
    }
    for (Listener l : listeners) {
      if (l.type().equals(ANY) || l.type().equals(e.type())) {
        try {
          l.consumer().accept(e);
        } catch (RuntimeException ex) {
          LOG.log(Level.WARNING, "an event listener failed on " + e.type(), ex);
        }
      }
    }
  }

  /** Plans the next try after {@code failed} did not give a stream: on the next replica, after the backoff. */
  private void retry(long gen, URI failed, ConnectionState state, String why) {
    Duration delay;
    URI next;
    synchronized (this) {
      if (gen != generation || closed) {
        return;
      }
      next = replicas.moveOn(failed);
      server = next;
      body = null;
      attempt++;
      delay = options.backoff().delay(attempt, random);
      pending = scheduler.schedule(this::connect, delay);
    }
    String where = replicas.size() > 1 ? " with " + next : "";
    change(gen, new ConnectionStatus(state, why + "; retrying in " + seconds(delay) + where, clock.instant(), delay));
  }

  private void watchIdle(long gen) {
    Duration idle = options.idleTimeout();
    scheduler.schedule(
        () -> {
          InputStream in;
          synchronized (this) {
            if (gen != generation || closed || body == null) {
              return;
            }
            if (clock.millis() - lastActivityMs < idle.toMillis()) {
              watchIdle(gen);
              return;
            }
            in = body;
          }
          closeQuietly(in); // the reader sees the end and reconnects
        },
        idle);
  }

  private void change(long gen, ConnectionStatus s) {
    synchronized (this) {
      if (gen != generation || closed) {
        return;
      }
      status = s;
    }
    for (Consumer<ConnectionStatus> l : stateListeners) {
      try {
        l.accept(s);
      } catch (RuntimeException ex) {
        LOG.log(Level.WARNING, "a connection-state listener failed", ex);
      }
    }
  }

  private synchronized void resetAttempts(long gen) {
    if (gen == generation) {
      attempt = 0;
    }
  }

  private synchronized long currentGeneration() {
    return generation;
  }

  private synchronized boolean everLive() {
    return everLive;
  }

  private static String how(Exception e) {
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof HttpConnectTimeoutException) {
      return "no connection within the timeout";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms < 10_000 ? String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0) : (ms / 1000) + " s";
  }

  private static void closeQuietly(InputStream in) {
    if (in == null) {
      return;
    }
    try {
      in.close();
    } catch (IOException e) {
      // closing to end a read: nothing to do
    }
  }
}

package dev.nines.server.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.server.api.ApiException;
import dev.nines.server.auth.Access;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import java.util.List;
import dev.nines.server.store.Store;
import dev.nines.server.store.StoredEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/events}: server-sent events to every connected client. State changes
 * ({@code health}, {@code incident.*}, {@code pool.state}) are durable: stored first, then sent with
 * the stored id as the SSE {@code id:}, so a client that reconnects with {@code Last-Event-ID: N}
 * (or {@code ?lastEventId=N}) first gets every stored event after N, in order, then the live ones,
 * with no gap and no duplicate. {@code report} events are live only and carry no id.
 *
 * <p>One dispatcher thread does every write to every client: live events (queued in id order, as
 * the append and the queueing happen under one lock), replays and keep-alive comments. A replay
 * runs on that thread before the client joins the live set, and each client remembers the last id
 * it was sent, so an event stored while its replay ran is sent once.
 *
 * <p><b>Replicated</b> ({@link #replicated}: several server processes on one PostgreSQL database):
 * a durable event is only stored by {@link #publishDurable}; a tail on the dispatcher reads the
 * events stored by every replica in id order ({@link #tailOnce}, every {@code tailEvery} and at
 * once after a local store) and announces them. Sending a local id N directly could reach a client
 * before another replica's N-1 was read, and the client's last sent id would then skip N-1. Ids
 * are taken under a table lock held until COMMIT, so a read of ids above the last one announced
 * misses nothing. A client may resume with {@code Last-Event-ID} on any replica.
 */
public final class EventHub implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);
  /** Events read from the store per query of a replay. */
  static final int REPLAY_PAGE = 500;
  /** The longest a new client's replay may take before it is dropped. */
  static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(60);
  /** Stored events are kept this long ... */
  public static final Duration KEEP_FOR = Duration.ofDays(7);
  /** ... and at most this many. */
  public static final int KEEP_AT_MOST = 100_000;

  /** The payload of a {@code report} event. */
  public record ReportEvent(String hostId, long seq, long collectedAtMs) {}

  /** One connected client and the last durable id it was sent (dispatcher thread only). */
  private static final class Subscriber {
    final SseClient client;
    long lastSentId;

    Subscriber(SseClient client) {
      this.client = client;
    }
  }

  /** Events read from the store per query of the replicated tail. */
  static final int TAIL_PAGE = 500;
  /** The most pages one tail pass reads (a replica far behind catches up over a few passes). */
  static final int TAIL_MAX_PAGES = 20;
  /** The longest {@link #tailOnce} waits for the dispatcher. */
  static final Duration TAIL_TIMEOUT = Duration.ofSeconds(30);

  private final Access access;
  private final ObjectMapper json;
  private final Store store;
  private final boolean replicated;
  /** Replicated: the id of the last event the tail announced; -1 until known (dispatcher only). */
  private long lastAnnounced = -1;
  private final Object publishLock = new Object();
  private final Set<Subscriber> clients = new CopyOnWriteArraySet<>();
  private final ScheduledExecutorService dispatcher =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "nines-events");
            t.setDaemon(true);
            return t;
          });

  /** A hub whose events are live only (no ids, no resume). */
  public EventHub(Access access, ObjectMapper json, Duration keepAlive) {
    this(access, json, keepAlive, null);
  }

  /**
   * A hub that stores state-change events in {@code store} (null: live only) and serves resumes
   * from it.
   */
  public EventHub(Access access, ObjectMapper json, Duration keepAlive, Store store) {
    this(access, json, keepAlive, store, false, null);
  }

  private EventHub(
      Access access, ObjectMapper json, Duration keepAlive, Store store, boolean replicated, Duration tailEvery) {
    this.access = access;
    this.json = json;
    this.store = store;
    this.replicated = replicated;
    long ms = keepAlive.toMillis();
    dispatcher.scheduleAtFixedRate(this::keepAlive, ms, ms, TimeUnit.MILLISECONDS);
    if (replicated) {
      // Announce only what is stored from now on; older events are for clients that resume.
      dispatch(this::startTail);
      if (tailEvery != null) {
        long every = tailEvery.toMillis();
        dispatcher.scheduleWithFixedDelay(this::tailSafely, every, every, TimeUnit.MILLISECONDS);
      }
    }
  }

  /**
   * A hub for one of several replicas sharing {@code store}'s database: durable events are stored
   * only, and a tail announces every replica's events in id order (see the class comment).
   *
   * @param tailEvery how often the tail reads the store (200 ms in the server); null: never by
   *     itself (tests call {@link #tailOnce})
   */
  public static EventHub replicated(
      Access access, ObjectMapper json, Duration keepAlive, Store store, Duration tailEvery) {
    if (store == null) {
      throw new IllegalArgumentException("store is required for a replicated event hub");
    }
    if (tailEvery != null && (tailEvery.isNegative() || tailEvery.isZero())) {
      throw new IllegalArgumentException("tailEvery must be positive (was " + tailEvery + ")");
    }
    return new EventHub(access, json, keepAlive, store, true, tailEvery);
  }

  /** Whether this hub is {@link #replicated}. */
  public boolean isReplicated() {
    return replicated;
  }

  /**
   * Replicated: reads the events stored (by any replica) since the last one announced and announces
   * them in id order, on the dispatcher; returns how many. Waits for the dispatcher (tests call it by
   * hand). 0 for a hub that is not replicated.
   */
  public int tailOnce() {
    if (!replicated) {
      return 0;
    }
    try {
      return dispatcher.submit(this::tailNow).get(TAIL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the event tail failed: " + e, e);
    }
  }

  /** On the dispatcher: the tail starts after the newest stored event. */
  private void startTail() {
    try {
      lastAnnounced = store.lastEventId();
    } catch (RuntimeException e) {
      LOG.warn("reading the newest event id failed (tried again on the next tail): {}", e.getMessage());
    }
  }

  /** Replicated: whether the last tail pass failed (dispatcher only; one warning per outage). */
  private boolean tailFailing;

  /** On the dispatcher: {@link #tailNow}, failures logged once per outage (the next pass tries again). */
  private void tailSafely() {
    try {
      tailNow();
      if (tailFailing) {
        tailFailing = false;
        LOG.info("reading events works again (after id {})", lastAnnounced);
      }
    } catch (RuntimeException e) {
      if (!tailFailing) {
        tailFailing = true;
        LOG.warn("reading events after {} failed (tried again every pass): {}", lastAnnounced, e.getMessage());
      }
    }
  }

  /** On the dispatcher: announces every stored event above {@code lastAnnounced}, in id order. */
  private int tailNow() {
    if (lastAnnounced < 0) {
      lastAnnounced = store.lastEventId(); // nothing is announced from before the tail started
      return 0;
    }
    int announced = 0;
    for (int pages = 0; pages < TAIL_MAX_PAGES; pages++) {
      List<StoredEvent> page = store.eventsAfter(lastAnnounced, TAIL_PAGE);
      for (StoredEvent e : page) {
        sendLive(e.type(), e.dataJson(), e.id());
        lastAnnounced = e.id();
        announced++;
      }
      if (page.size() < TAIL_PAGE) {
        break;
      }
    }
    return announced;
  }

  /**
   * The route handler: any valid token, in the header or as {@code ?token=}; resumes after the id
   * in the {@code Last-Event-ID} header or the {@code lastEventId} query parameter.
   */
  public void handle(Context ctx) throws Exception {
    access.requireAllowingQueryToken(ctx, Access.READERS);
    String accept = ctx.header("Accept");
    if (accept != null && !accept.contains("text/event-stream") && !accept.contains("*/*")) {
      throw new ApiException(406, "not acceptable", "this is an event stream: accept text/event-stream");
    }
    String header = ctx.header("Last-Event-ID");
    Long resumeAfter =
        lastEventId(
            header != null && !header.isBlank() ? "Last-Event-ID" : "lastEventId",
            header != null && !header.isBlank() ? header : ctx.queryParam("lastEventId"));
    // Like Javalin's own SseHandler, but it also serves clients that send no Accept header
    // (curl, scripts).
    HttpServletResponse res = ctx.res();
    res.setStatus(200);
    res.setCharacterEncoding("UTF-8");
    res.setContentType("text/event-stream");
    res.addHeader("Cache-Control", "no-cache");
    res.addHeader("X-Accel-Buffering", "no");
    res.flushBuffer();
    SseClient client = new SseClient(ctx);
    client.keepAlive();
    Subscriber s = new Subscriber(client);
    client.onClose(() -> clients.remove(s));
    // The replay and the "connected" comment are written by the dispatcher (in order with live
    // events) while this handler waits, so that nothing is written to the response after the
    // handler returned and before Javalin took it async.
    try {
      dispatcher.submit(() -> attach(s, resumeAfter)).get(ATTACH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      client.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      client.close();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.warn("attaching an event client failed: {}", e.toString());
      clients.remove(s);
      client.close();
    }
  }

  /** Parses a resume id: null when absent, else a non-negative integer (400 otherwise). Pure. */
  static Long lastEventId(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    if (v.matches("\\d{1,18}")) {
      return Long.parseLong(v);
    }
    throw new ApiException(400, "invalid parameter", name + ": '" + value + "' is not an event id (a non-negative integer)");
  }

  /** On the dispatcher: replays what the client missed, then adds it to the live set. */
  private void attach(Subscriber s, Long resumeAfter) {
    if (resumeAfter != null && store != null) {
      long after = resumeAfter;
      boolean first = true;
      while (!s.client.terminated()) {
        List<StoredEvent> page;
        try {
          page = store.eventsAfter(after, REPLAY_PAGE);
        } catch (RuntimeException e) {
          LOG.warn("replaying events after {} failed: {}", after, e.getMessage(), e);
          s.client.close();
          return;
        }
        if (first && !page.isEmpty() && page.get(0).id() > after + 1 && after > 0) {
          long pruned = page.get(0).id() - 1;
          send(s, () -> s.client.sendComment("events " + (resumeAfter + 1) + ".." + pruned + " were pruned"));
        }
        first = false;
        for (StoredEvent e : page) {
          send(s, () -> s.client.sendEvent(e.type(), e.dataJson(), Long.toString(e.id())));
          after = e.id();
        }
        s.lastSentId = after;
        if (page.size() < REPLAY_PAGE) {
          break;
        }
      }
    }
    if (s.client.terminated()) {
      return;
    }
    clients.add(s);
    send(s, () -> s.client.sendComment("connected"));
  }

  /** Announces a newly stored report to every client, live only. Never blocks the caller. */
  public void publishReport(String hostId, long seq, long collectedAtMs) {
    if (clients.isEmpty()) {
      return; // report events are live only (never stored): nobody to tell, nothing to write
    }
    String data = write(new ReportEvent(hostId, seq, collectedAtMs));
    dispatch(
        () -> {
          for (Subscriber s : clients) {
            send(s, () -> s.client.sendEvent("report", data));
          }
        });
  }

  /** The payload of a {@code health} event. */
  public record HealthEvent(
      String hostId, String from, String to, long at, java.util.List<String> rules, String reason) {}

  /** Stores and announces a change of a host's health (a {@code health} event). */
  public void publishHealth(
      String hostId, String from, String to, long atMs, java.util.List<String> rules, String reason) {
    publishDurable("health", atMs, new HealthEvent(hostId, from, to, atMs, java.util.List.copyOf(rules), reason));
  }

  /**
   * Stores a state-change event and announces it with its id; returns the id, or 0 when this hub
   * stores nothing or storing failed (then it is announced without an id, and logged). Blocks for
   * the store's write only. Replicated: the tail announces it (a pass is queued at once).
   *
   * @param type the SSE event name
   * @param atMs when the change happened (epoch ms)
   * @param payload written as JSON
   */
  public long publishDurable(String type, long atMs, Object payload) {
    String data = write(payload);
    if (store == null) {
      dispatch(() -> sendLive(type, data, 0));
      return 0;
    }
    synchronized (publishLock) {
      long id;
      try {
        id = store.appendEvent(type, atMs, data);
      } catch (RuntimeException e) {
        LOG.warn("a {} event could not be stored; sent live only: {}", type, e.getMessage(), e);
        id = 0;
      }
      long sent = id;
      if (replicated && sent != 0) {
        dispatch(this::tailSafely); // in id order with the other replicas' events
      } else {
        dispatch(() -> sendLive(type, data, sent));
      }
      return id;
    }
  }

  /** On the dispatcher: sends one event to every live client that has not had it yet. */
  private void sendLive(String type, String data, long id) {
    for (Subscriber s : clients) {
      if (id == 0) {
        send(s, () -> s.client.sendEvent(type, data));
      } else if (id > s.lastSentId) {
        send(s, () -> s.client.sendEvent(type, data, Long.toString(id)));
        s.lastSentId = id;
      }
    }
  }

  /**
   * Deletes stored events older than {@link #KEEP_FOR} before {@code now}, and beyond the newest
   * {@link #KEEP_AT_MOST}; returns how many. For a retention job.
   */
  public int pruneOnce(java.time.Instant now) {
    return store == null ? 0 : store.pruneEvents(now.toEpochMilli() - KEEP_FOR.toMillis(), KEEP_AT_MOST);
  }

  /** How often {@link #pruneIfDue} prunes. */
  static final Duration PRUNE_EVERY = Duration.ofMinutes(10);

  private volatile long lastPruneMs = Long.MIN_VALUE;

  /** {@link #pruneOnce} when {@link #PRUNE_EVERY} passed since the last time; for a frequent tick. */
  public int pruneIfDue(java.time.Instant now) {
    long ms = now.toEpochMilli();
    if (lastPruneMs != Long.MIN_VALUE && ms - lastPruneMs < PRUNE_EVERY.toMillis()) {
      return 0;
    }
    lastPruneMs = ms;
    return pruneOnce(now);
  }

  private String write(Object payload) {
    try {
      return json.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event payload cannot be written as JSON", e);
    }
  }

  private void dispatch(Runnable task) {
    try {
      dispatcher.execute(task);
    } catch (RejectedExecutionException closed) {
      // shutting down: nobody is listening any more
    }
  }

  private void keepAlive() {
    for (Subscriber s : clients) {
      send(s, () -> s.client.sendComment("keep-alive"));
    }
  }

  private void send(Subscriber s, Runnable write) {
    try {
      write.run();
    } catch (RuntimeException e) {
      LOG.debug("dropping an event client: {}", e.getMessage());
      clients.remove(s);
      s.client.close();
    }
    if (s.client.terminated()) {
      clients.remove(s);
    }
  }

  /** Clients connected now. */
  public int clients() {
    return clients.size();
  }

  /** Ends every stream and stops the dispatcher. */
  @Override
  public void close() {
    dispatcher.shutdown();
    try {
      dispatcher.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Subscriber s : clients) {
      s.client.close();
    }
    clients.clear();
  }
}

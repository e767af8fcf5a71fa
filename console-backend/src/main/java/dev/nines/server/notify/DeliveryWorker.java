package dev.nines.server.notify;

import dev.nines.server.store.OutboxRow;
import dev.nines.server.store.Store;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox: picks due messages, renders each for its receiver's kind, signs it and POSTs
 * it; records the outcome (see {@link RetryPolicy}): delivered, tried again later, or dead.
 *
 * <p>Order: only the oldest pending message of a group is ever eligible, so the messages of one
 * group (and so of one alert) arrive in the order they were enqueued. Concurrency: at most {@link
 * ReceiverSpec#concurrency()} requests in flight per receiver, each bounded by its {@link
 * ReceiverSpec#timeout()}. A message older than its receiver's {@link ReceiverSpec#maxAge()}
 * (counted from its enqueue or its last re-drive) is dead-lettered; so is one for a receiver that no
 * longer exists. At least once: a message in flight when the process dies is still pending in the
 * database and is sent again after the restart (its {@code X-Nines-Event-Id} lets the receiver drop
 * the copy).
 *
 * <p>Tests call {@link #runOnce(Instant)}; the server calls {@link #start()}, which runs a loop that
 * wakes on {@link #wake()} (every enqueue, every finished attempt) or when the next message is due,
 * and at least once a second. Delivered messages are pruned after {@link #KEEP_DELIVERED}.
 */
public final class DeliveryWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
  /** The most messages started per pass. */
  static final int BATCH = 256;
  /** The longest the loop sleeps without a wake-up. */
  static final Duration MAX_WAIT = Duration.ofSeconds(1);
  /** How long delivered messages are kept (for the deliveries API), and how often they are pruned. */
  public static final Duration KEEP_DELIVERED = Duration.ofDays(7);
  static final Duration PRUNE_EVERY = Duration.ofHours(1);
  static final Duration COUNT_EVERY = Duration.ofSeconds(2);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final Store store;
  private final Receivers receivers;
  private final Clock clock;
  private final Random random;
  private final MeterRegistry meters;
  private final java.util.function.Supplier<String> externalUrl;
  private final ExecutorService senders;
  private final HttpClient http;
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> inFlightByReceiver = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final Object signal = new Object();
  private boolean woken;
  private volatile boolean running;
  private Thread loop;
  private long lastCountMs = Long.MIN_VALUE;

  /**
   * @param store where the outbox lives
   * @param receivers the receivers (looked up on every pass, so edits apply to the next attempt)
   * @param clock the time of attempts and backoffs
   * @param random the jitter of backoffs
   * @param meters where {@code nines_alert_deliveries_total}, {@code nines_alert_delivery_seconds} and
   *     {@code nines_outbox_messages} go
   * @param externalUrl the console's base URL for links in payloads (may give an empty string); asked
   *     on every attempt, as the server knows its own port only once it listens
   */
  public DeliveryWorker(
      Store store, Receivers receivers, Clock clock, Random random, MeterRegistry meters,
      java.util.function.Supplier<String> externalUrl) {
    this.store = store;
    this.receivers = receivers;
    this.clock = clock;
    this.random = random;
    this.meters = meters;
    this.externalUrl = externalUrl == null ? () -> "" : externalUrl;
    this.senders =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "nines-delivery-http");
              t.setDaemon(true);
              return t;
            });
    this.http =
        HttpClient.newBuilder()
            .executor(senders)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    for (String state : List.of(OutboxRow.PENDING, OutboxRow.DELIVERED, OutboxRow.DEAD)) {
      AtomicLong n = new AtomicLong();
      counts.put(state, n);
      Gauge.builder("nines_outbox_messages", n, AtomicLong::get)
          .description("Alert messages in the outbox by state (pending, delivered and kept 7 days, dead)")
          .tag("state", state)
          .register(meters);
    }
  }

  /**
   * One pass: starts an attempt on every eligible due message (within each receiver's concurrency)
   * and waits until those attempts finished (each is bounded by its receiver's timeout). For tests.
   *
   * @return how many attempts were made
   */
  public int runOnce(Instant now) {
    List<CompletableFuture<Void>> started = dispatch(now);
    CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).join();
    refreshCounts();
    return started.size();
  }

  private volatile java.util.function.BooleanSupplier acting = () -> true;
  private volatile long fencingToken;

  /**
   * For a replica of several: attempts start only while {@code acting} (this replica leads and its
   * act window is open), so a deposed leader sends nothing more; each request carries {@code
   * X-Nines-Fencing-Token: token} so that a receiver may drop a message from an older term.
   */
  public void gate(java.util.function.BooleanSupplier acting, long token) {
    this.acting = acting;
    this.fencingToken = token;
  }

  /** The header with the leader's fencing token (sent by replicas of several only). */
  public static final String FENCING_TOKEN_HEADER = "X-Nines-Fencing-Token";

  /** Starts attempts on the eligible due messages; the futures end when each outcome is stored. */
  synchronized List<CompletableFuture<Void>> dispatch(Instant now) {
    if (!acting.getAsBoolean()) {
      return List.of();
    }
    long nowMs = now.toEpochMilli();
    Map<String, ReceiverSpec> specs = new HashMap<>();
    for (ReceiverSpec r : receivers.all()) {
      specs.put(r.id(), r);
    }
    List<CompletableFuture<Void>> started = new ArrayList<>();
    for (OutboxRow row : store.outboxDue(nowMs, Set.copyOf(inFlight), BATCH)) {
      ReceiverSpec spec = specs.get(row.receiverId());
      if (spec == null) {
        dead(row, row.attempts(), row.lastStatus(), "receiver " + row.receiverId() + " does not exist any more");
        continue;
      }
      if (nowMs >= expiry(row, spec)) {
        dead(row, row.attempts(), row.lastStatus(), tooOld(row, spec));
        continue;
      }
      AtomicInteger busy = inFlightByReceiver.computeIfAbsent(spec.id(), k -> new AtomicInteger());
      if (busy.get() >= spec.concurrency()) {
        continue;
      }
      if (!acting.getAsBoolean()) {
        break; // deposed meanwhile: the next leader delivers the rest
      }
      busy.incrementAndGet();
      inFlight.add(row.seq());
      started.add(attempt(row, spec, now));
    }
    return started;
  }

  private CompletableFuture<Void> attempt(OutboxRow row, ReceiverSpec spec, Instant now) {
    long t0 = System.nanoTime();
    HttpRequest request;
    try {
      Notification n = NotificationJson.read(row.notificationJson());
      byte[] body = Renderer.of(spec.kind()).render(n, spec, externalUrl.get());
      String timestamp = Long.toString(now.toEpochMilli());
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(spec.url()))
              .timeout(spec.timeout())
              .header("Content-Type", "application/json")
              .header(Signer.EVENT_ID_HEADER, row.eventId())
              .header(Signer.TIMESTAMP_HEADER, timestamp)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      if (spec.secret() != null) {
        b.header(Signer.SIGNATURE_HEADER, Signer.sign(spec.secret(), timestamp, body));
      }
      if (fencingToken > 0) {
        b.header(FENCING_TOKEN_HEADER, Long.toString(fencingToken));
      }
      request = b.build();
    } catch (RuntimeException e) {
      // A stored message that cannot be read or rendered never will be: dead, not retried.
      finished(row, spec);
      dead(row, row.attempts() + 1, null, "cannot build the request: " + e.getMessage());
      return CompletableFuture.completedFuture(null);
    }
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .orTimeout(spec.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS)
        .handle(
            (response, error) -> {
              try {
                Timer.builder("nines_alert_delivery")
                    .description("Time of one alert delivery attempt, from sending to the receiver's answer or the failure")
                    .tag("receiver", spec.id())
                    .register(meters)
                    .record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                outcome(row, spec, response, error);
              } catch (RuntimeException e) {
                LOG.warn("receiver {}: recording the outcome of message {} failed: {}", spec.id(), row.eventId(), e.getMessage(), e);
              } finally {
                finished(row, spec);
                wake();
              }
              return null;
            });
  }

  private void finished(OutboxRow row, ReceiverSpec spec) {
    inFlight.remove(row.seq());
    inFlightByReceiver.computeIfAbsent(spec.id(), k -> new AtomicInteger()).decrementAndGet();
  }

  private void outcome(OutboxRow row, ReceiverSpec spec, HttpResponse<String> response, Throwable error) {
    Instant done = clock.instant();
    int attempts = row.attempts() + 1;
    Integer status = response == null ? null : response.statusCode();
    RetryPolicy.Verdict verdict = error != null ? RetryPolicy.Verdict.RETRY : RetryPolicy.verdict(status);
    switch (verdict) {
      case DELIVERED -> {
        store.recordOutboxAttempt(
            row.seq(), OutboxRow.DELIVERED, attempts, row.nextAttemptMs(), done.toEpochMilli(), status, null);
        count(spec.id(), "delivered");
      }
      case PERMANENT -> {
        String why = "HTTP " + status + excerpt(response) + ": a permanent refusal, not retried";
        LOG.warn("receiver {}: message {} dead-lettered: {}", spec.id(), row.eventId(), why);
        dead(row, attempts, status, why);
      }
      case RETRY -> {
        String why = error != null ? describe(error, spec) : "HTTP " + status + excerpt(response);
        long expiry = expiry(row, spec);
        if (done.toEpochMilli() >= expiry) {
          dead(row, attempts, status, tooOld(row, spec) + "; last: " + why);
          return;
        }
        Optional<Duration> retryAfter =
            response == null
                ? Optional.empty()
                : RetryPolicy.retryAfter(response.headers().firstValue("Retry-After").orElse(null), done);
        long next = done.plus(RetryPolicy.backoff(attempts, random, retryAfter)).toEpochMilli();
        store.recordOutboxAttempt(
            row.seq(), OutboxRow.PENDING, attempts, Math.min(next, expiry), null, status, why);
        count(spec.id(), "retried");
      }
      default -> throw new IllegalStateException("unexpected verdict " + verdict);
    }
  }

  private void dead(OutboxRow row, int attempts, Integer status, String why) {
    if (store.recordOutboxAttempt(row.seq(), OutboxRow.DEAD, attempts, row.nextAttemptMs(), null, status, why)) {
      count(row.receiverId(), "dead");
    }
  }

  private static long expiry(OutboxRow row, ReceiverSpec spec) {
    return row.ageFromMs() + spec.maxAge().toMillis();
  }

  private static String tooOld(OutboxRow row, ReceiverSpec spec) {
    return "not delivered within maxAge " + dev.nines.server.config.Durations.format(spec.maxAge())
        + " (" + row.attempts() + " attempts)";
  }

  private static String describe(Throwable error, ReceiverSpec spec) {
    Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (e instanceof HttpTimeoutException || e instanceof TimeoutException) {
      return "no answer within " + spec.timeout().toMillis() + " ms";
    }
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null && b.length() < 300; t = t.getCause() == t ? null : t.getCause()) {
      b.append(b.length() == 0 ? "" : " <- ").append(t.getClass().getSimpleName());
      if (t.getMessage() != null) {
        b.append(": ").append(t.getMessage());
      }
    }
    if (e instanceof java.net.ConnectException) {
      b.insert(0, "connection refused or unreachable: ");
    }
    return b.toString();
  }

  private static String excerpt(HttpResponse<String> response) {
    String text = response == null || response.body() == null ? "" : response.body().strip();
    if (text.length() > 200) {
      text = text.substring(0, 200) + "...";
    }
    return text.isEmpty() ? "" : ": " + text;
  }

  private void count(String receiver, String outcome) {
    Counter.builder("nines_alert_deliveries")
        .description("Alert delivery attempts by receiver and outcome: delivered, retried (tried again later) or dead (dead-lettered)")
        .tag("receiver", receiver)
        .tag("outcome", outcome)
        .register(meters)
        .increment();
  }

  /** Deletes messages delivered more than {@link #KEEP_DELIVERED} before {@code now}. */
  public int prune(Instant now) {
    return store.pruneOutbox(now.minus(KEEP_DELIVERED).toEpochMilli());
  }

  /** Re-reads the outbox's counts by state for {@code nines_outbox_messages}. */
  public void refreshCounts() {
    store.outboxCounts().forEach((state, n) -> counts.computeIfAbsent(state, k -> new AtomicLong()).set(n));
  }

  /** Starts the background loop (idempotent). */
  public synchronized void start() {
    if (loop != null) {
      return;
    }
    running = true;
    loop = new Thread(this::loop, "nines-delivery");
    loop.setDaemon(true);
    loop.start();
  }

  /** Makes the loop look at the outbox now (after an enqueue, a re-drive, a finished attempt). */
  public void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  private void loop() {
    long lastPrune = Long.MIN_VALUE;
    while (running) {
      long waitMs = MAX_WAIT.toMillis();
      try {
        Instant now = clock.instant();
        dispatch(now);
        long nowMs = now.toEpochMilli();
        if (lastPrune == Long.MIN_VALUE || nowMs - lastPrune >= PRUNE_EVERY.toMillis()) {
          lastPrune = nowMs;
          int pruned = prune(now);
          if (pruned > 0) {
            LOG.info("pruned {} delivered alert messages older than {}", pruned, KEEP_DELIVERED);
          }
        }
        if (lastCountMs == Long.MIN_VALUE || nowMs - lastCountMs >= COUNT_EVERY.toMillis()) {
          lastCountMs = nowMs;
          refreshCounts();
        }
        OptionalLong next = store.outboxNextDueMs();
        if (next.isPresent() && next.getAsLong() > nowMs) {
          waitMs = Math.max(1, Math.min(waitMs, next.getAsLong() - nowMs));
        }
      } catch (RuntimeException e) {
        if (running) {
          LOG.warn("alert delivery pass failed: {}", e.getMessage(), e);
        }
      }
      synchronized (signal) {
        if (!woken && running) {
          try {
            signal.wait(waitMs);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        woken = false;
      }
    }
  }

  /**
   * Stops the loop and abandons the requests in flight (their messages stay pending and are sent
   * again after a restart). Call before the store closes.
   */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      running = false;
      t = loop;
    }
    wake();
    if (t != null) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    senders.shutdownNow();
    try {
      senders.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

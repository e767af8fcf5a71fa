package dev.nines.agent.ship;

import dev.nines.protocol.AgentReport;
import dev.nines.protocol.Protocol;
import dev.nines.protocol.ReportReply;
import dev.nines.agent.json.WireJson;
import dev.nines.agent.net.AgentHttp;
import dev.nines.agent.net.Request;
import dev.nines.agent.net.RequestTimeoutException;
import dev.nines.agent.net.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers reports to the backend, spooling them on disk first so that nothing is lost when the
 * backend is down or the agent dies.
 *
 * <p>Each {@link #ship} call: (1) appends the report to the {@link Spool} (durably); (2) unless
 * backing off, sends the spool oldest-first, one {@code POST {server}/api/v1/reports} per report,
 * removing each entry only after a 2xx answer and feeding the reply's desired routing state into
 * {@link DesiredState}; (3) stops after {@link ShipperConfig#replayBudget()} of sending, so the
 * caller's collection cadence holds while a long backlog drains over several calls.
 *
 * <p>Answers, per report:
 *
 * <ul>
 *   <li>2xx: acknowledged; removed from the spool.
 *   <li>400, 413, 422: poison (the backend will refuse it forever): removed, logged and counted by
 *       {@link DropReason}, and the queue moves on.
 *   <li>401, 403: kept; logged as an error; back off (the token is wrong: no point trying others).
 *   <li>connection failure, timeout, any other status (5xx, 404, 429...): the next server URL is
 *       tried; the shipper sticks with the URL that answers. When every URL failed, back off.
 * </ul>
 *
 * <p>Backing off uses {@link Backoff} (exponential with equal jitter); during backoff {@code ship}
 * only spools. Not meant for concurrent callers ({@code ship} and {@link #replay()} are
 * synchronized); the counters may be read from any thread.
 */
public final class Shipper {
  private static final Logger log = LoggerFactory.getLogger(Shipper.class);
  private static final int BATCH = 32;

  /** Largest reply read; the backend's replies are a few hundred bytes. */
  static final int MAX_REPLY_BYTES = 1 << 20;

  /**
   * What one call did.
   *
   * @param sent reports acknowledged during the call
   * @param dropped reports given up on during the call (poison answers, too large)
   * @param spooled reports left in the spool afterwards
   * @param backingOff true when the call ended in (or inside) a backoff
   */
  public record ShipResult(int sent, int dropped, int spooled, boolean backingOff) {}

  private enum Kind { OK, POISON, AUTH, FAILED, INTERRUPTED }

  private record Outcome(Kind kind, int status, byte[] body, String error) {}

  private final ShipperConfig config;
  private final Spool spool;
  private final DesiredState desired;
  private final Backoff backoff;
  private final Clock clock;
  private final AgentHttp http;
  private final Map<String, String> headers;
  private final List<URI> endpoints;

  private volatile int current;
  private int attempt;
  private volatile long retryAtMs;
  private volatile long sent;
  private volatile long failedAttempts;
  private final Map<DropReason, AtomicLong> dropped = new EnumMap<>(DropReason.class);
  private volatile long lastAckAtMs = -1;
  private volatile ReportReply.AgentSettings lastSettings;

  public Shipper(
      ShipperConfig config, Spool spool, DesiredState desired, Backoff backoff, Clock clock) {
    this(config, spool, desired, backoff, clock, AgentHttp.create(config.requestTimeout()));
  }

  /**
   * A shipper that sends through the given client, so that the agent runs one HTTP client (one
   * connection pool) for shipping and probing alike.
   */
  public Shipper(
      ShipperConfig config,
      Spool spool,
      DesiredState desired,
      Backoff backoff,
      Clock clock,
      AgentHttp http) {
    this.config = require("config", config);
    this.spool = require("spool", spool);
    this.desired = require("desired", desired);
    this.backoff = require("backoff", backoff);
    this.clock = require("clock", clock);
    this.endpoints = config.servers().stream().map(ShipperConfig::reportsUri).toList();
    this.http = require("http", http);
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/json");
    h.put("Accept", "application/json");
    h.put("User-Agent", "nines-agent");
    if (config.token() != null && !config.token().isBlank()) {
      h.put("Authorization", "Bearer " + config.token());
    }
    this.headers = Map.copyOf(h);
    for (DropReason reason : DropReason.values()) {
      dropped.put(reason, new AtomicLong());
    }
  }

  private static <T> T require(String field, T value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value;
  }

  /**
   * Spools {@code report}, then replays the spool (see the class comment).
   *
   * @throws UncheckedIOException when the report cannot be spooled (disk full, read-only); the
   *     spool is still replayed first, so the backlog keeps draining
   */
  public synchronized ShipResult ship(AgentReport report) {
    byte[] body;
    try {
      body = WireJson.reportBytes(report);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("cannot serialize report seq " + report.seq(), e);
    }
    if (body.length > Protocol.MAX_REPORT_BYTES) {
      log.error("report seq {} is {} bytes, over the backend's limit {}; dropped",
          report.seq(), body.length, Protocol.MAX_REPORT_BYTES);
      count(DropReason.TOO_LARGE);
      ShipResult r = replay();
      return new ShipResult(r.sent(), r.dropped() + 1, r.spooled(), r.backingOff());
    }
    UncheckedIOException spoolError = null;
    try {
      spool.append(report.seq(), body);
    } catch (UncheckedIOException e) {
      log.error("cannot spool report seq {}: {}", report.seq(), e.getCause().toString());
      spoolError = e;
    }
    ShipResult result = replay();
    if (spoolError != null) {
      throw spoolError;
    }
    return result;
  }

  /**
   * Sends what is spooled, oldest first, within the replay budget; does nothing while backing off.
   * {@link #ship} calls it; call it alone to drain the spool (e.g. on shutdown).
   */
  public synchronized ShipResult replay() {
    long start = clock.millis();
    if (start < retryAtMs) {
      return new ShipResult(0, 0, spool.depth(), true);
    }
    long deadline = start + config.replayBudget().toMillis();
    int sentNow = 0;
    int droppedNow = 0;
    while (true) {
      List<Spool.Entry> batch = spool.peekOldest(BATCH);
      if (batch.isEmpty()) {
        return new ShipResult(sentNow, droppedNow, 0, false);
      }
      for (Spool.Entry entry : batch) {
        Outcome outcome = deliver(entry);
        switch (outcome.kind()) {
          case OK:
            acknowledge(entry, outcome);
            sentNow++;
            break;
          case POISON:
            DropReason reason = DropReason.forPoisonStatus(outcome.status());
            log.error("backend refused report seq {} with {} ({}): dropping it: {}",
                entry.seq(), outcome.status(), reason.label(), snippet(outcome.body()));
            spool.remove(entry.seq());
            count(reason);
            droppedNow++;
            break;
          case AUTH:
            log.error("backend {} refused the agent token ({}): check --token; report seq {} and"
                    + " {} others stay spooled", config.servers().get(current), outcome.status(),
                entry.seq(), spool.depth() - 1);
            scheduleRetry();
            return new ShipResult(sentNow, droppedNow, spool.depth(), true);
          case FAILED:
            scheduleRetry();
            log.warn("no backend answered ({}); {} reports spooled; retry in {} ms",
                outcome.error(), spool.depth(), retryAtMs - clock.millis());
            return new ShipResult(sentNow, droppedNow, spool.depth(), true);
          case INTERRUPTED:
            Thread.currentThread().interrupt();
            return new ShipResult(sentNow, droppedNow, spool.depth(), false);
          default:
            throw new AssertionError(outcome.kind());
        }
        if (clock.millis() >= deadline) {
          return new ShipResult(sentNow, droppedNow, spool.depth(), false);
        }
      }
    }
  }

  private void acknowledge(Spool.Entry entry, Outcome outcome) {
    spool.remove(entry.seq());
    sent++;
    lastAckAtMs = clock.millis();
    if (attempt > 0) {
      log.info("backend {} answers again after {} failed rounds; replaying {} spooled reports",
          config.servers().get(current), attempt, spool.depth());
    }
    attempt = 0;
    retryAtMs = 0;
    ReportReply reply;
    try {
      reply = WireJson.readReply(outcome.body());
    } catch (RuntimeException e) {
      log.warn("backend acknowledged report seq {} with an unreadable reply ({}); keeping desired"
          + " state {}", entry.seq(), e.toString(), desired.state());
      return;
    }
    if (!reply.accepted()) {
      log.warn("backend answered 2xx but accepted=false for report seq {}", entry.seq());
    }
    desired.update(reply.desired(), reply.reason(), reply.changedAtMs());
    if (reply.config() != null) {
      lastSettings = reply.config();
    }
  }

  private void scheduleRetry() {
    Duration delay = backoff.nextDelay(attempt);
    attempt++;
    retryAtMs = clock.millis() + delay.toMillis();
  }

  /** Tries the servers, starting with the current one, until one gives a definite answer. */
  private Outcome deliver(Spool.Entry entry) {
    int n = endpoints.size();
    int first = current;
    String lastError = null;
    for (int i = 0; i < n; i++) {
      int index = (first + i) % n;
      Outcome outcome = post(endpoints.get(index), entry);
      if (outcome.kind() == Kind.FAILED) {
        failedAttempts++;
        lastError = config.servers().get(index) + ": " + outcome.error();
        log.debug("report seq {} to {} failed: {}", entry.seq(), endpoints.get(index),
            outcome.error());
        continue;
      }
      if (outcome.kind() == Kind.AUTH) {
        failedAttempts++;
      }
      if (index != current && outcome.kind() != Kind.INTERRUPTED) {
        log.info("switching to backend {} ({} failed)", config.servers().get(index),
            config.servers().get(current));
        current = index;
      }
      return outcome;
    }
    return new Outcome(Kind.FAILED, 0, null, n == 1 ? lastError : "all " + n + " failed; last " + lastError);
  }

  private Outcome post(URI uri, Spool.Entry entry) {
    Response response;
    try {
      response =
          http.send(Request.post(uri, headers, entry.json(), config.requestTimeout(), MAX_REPLY_BYTES));
    } catch (RequestTimeoutException e) {
      return new Outcome(Kind.FAILED, 0, null, "timed out after " + config.requestTimeout().toMillis() + " ms");
    } catch (IOException e) {
      return new Outcome(Kind.FAILED, 0, null, e.toString());
    } catch (InterruptedException e) {
      return new Outcome(Kind.INTERRUPTED, 0, null, "interrupted");
    }
    int status = response.status();
    byte[] body = response.body();
    if (status >= 200 && status < 300) {
      return new Outcome(Kind.OK, status, body, null);
    }
    if (DropReason.forPoisonStatus(status) != null) {
      return new Outcome(Kind.POISON, status, body, null);
    }
    if (status == 401 || status == 403) {
      return new Outcome(Kind.AUTH, status, body, null);
    }
    return new Outcome(Kind.FAILED, status, body, "HTTP " + status + " " + snippet(body));
  }

  private static String snippet(byte[] body) {
    if (body == null || body.length == 0) {
      return "(empty body)";
    }
    String text = new String(body, 0, Math.min(body.length, 300), java.nio.charset.StandardCharsets.UTF_8);
    return text.replaceAll("\\s+", " ");
  }

  private void count(DropReason reason) {
    dropped.get(reason).incrementAndGet();
  }

  // ---- counters for metrics; readable from any thread ----

  /** Reports acknowledged by a backend since start. */
  public long sentTotal() {
    return sent;
  }

  /** Failed POSTs since start (connection failure, timeout, 5xx and other non-poison errors, 401/403). */
  public long failedAttemptsTotal() {
    return failedAttempts;
  }

  /** Reports given up on for a reason since start; spool reasons are read from the spool. */
  public long droppedTotal(DropReason reason) {
    switch (reason) {
      case SPOOL_FULL:
        return spool.droppedTotal();
      case SPOOL_CORRUPT:
        return spool.corruptTotal();
      default:
        return dropped.get(reason).get();
    }
  }

  /** When a backend last acknowledged a report (epoch ms), empty before the first. */
  public OptionalLong lastAckAtMs() {
    long at = lastAckAtMs;
    return at < 0 ? OptionalLong.empty() : OptionalLong.of(at);
  }

  /** The backend URL used now (the one that answered last). */
  public URI currentServer() {
    return config.servers().get(current);
  }

  /** True while sends are paused after failures (until {@link #retryAtMs()}). */
  public boolean backingOff() {
    return clock.millis() < retryAtMs;
  }

  /** When sends resume (epoch ms); 0 when not backing off. */
  public long retryAtMs() {
    return retryAtMs;
  }

  /** The last settings the backend pushed in a reply, if any. */
  public Optional<ReportReply.AgentSettings> lastSettings() {
    return Optional.ofNullable(lastSettings);
  }

  public Spool spool() {
    return spool;
  }

  public DesiredState desiredState() {
    return desired;
  }
}

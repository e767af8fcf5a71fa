package dev.nines.server.replica;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.protocol.AgentReport;
import dev.nines.server.events.EventHub;
import dev.nines.server.ingest.ReportParser;
import dev.nines.server.store.ReportKey;
import dev.nines.server.store.ReportRecord;
import dev.nines.server.store.Store;
import dev.nines.server.store.WriteResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the reports that every replica stored, in the order they were received, and hands each new
 * one to a listener exactly once: for the leader's brain (health, incidents, policy), which must
 * judge every report whichever replica acknowledged it, and for the {@code report} events of the
 * consoles connected to this replica.
 *
 * <p>Each {@link #runOnce} (a scheduler calls it every {@link #EVERY}) reads the reports received
 * since {@code newest received time seen - overlap} (keys only, {@link Store#reportKeysReceivedAfter},
 * paged; then the bodies of the new ones, {@link Store#reports}): the
 * overlap (default {@link #DEFAULT_OVERLAP}) catches a report whose transaction committed after
 * newer ones were read (group commit, a slow replica) and replicas whose clocks are a little apart.
 * A report that commits later than that after being received, or a replica clock further behind
 * than the overlap, is missed. The reports already delivered inside the window are remembered by
 * (agent, seq) so none is delivered twice; entries received before the window are forgotten.
 *
 * <p>Memory: one entry per report received within the overlap window (plus those the window was
 * behind when they were read), at most {@code maxTracked}; each costs about 150 bytes (a linked
 * hash map node, the key record with the agent id shared with the record read, a boxed receive
 * time). 1,000 reports/s with a 5 s overlap: about 5,000 entries, under 1 MB. When {@code
 * maxTracked} is reached the oldest entries go first (a report then re-read may be delivered twice;
 * counted in {@link #evictedEarly}).
 *
 * <p>Local ingests: a replica that already feeds its own committed reports to the listener
 * directly marks them with {@link #skipLocal} BEFORE they are written and reports the outcome with
 * {@link #localCommitted} or {@link #localFailed}. A row the tail reads while its local write is
 * still pending is left for the next pass (its commit says whether the local feed delivered it or
 * it was a duplicate of another replica's row, which the tail then delivers).
 *
 * <p>{@link #runOnce} is called from one thread at a time; the local marks may come from any
 * thread.
 */
public final class ReportTail {
  private static final Logger LOG = LoggerFactory.getLogger(ReportTail.class);
  /** How often the server runs {@link #runOnce}. */
  public static final Duration EVERY = Duration.ofMillis(250);
  /** How far back each pass reads again, for late commits and clocks a little apart. */
  public static final Duration DEFAULT_OVERLAP = Duration.ofSeconds(5);
  /** Reports read per query. */
  public static final int DEFAULT_PAGE = 1_000;
  /** The most pages one pass reads (a tail far behind catches up over several passes). */
  static final int MAX_PAGES = 50;
  /** The most (agent, seq) entries remembered. */
  public static final int DEFAULT_MAX_TRACKED = 200_000;

  /** One report another replica (or this one) stored, with the report parsed. */
  public record TailedReport(ReportRecord record, AgentReport report) {
    public TailedReport {
      if (record == null) {
        throw new IllegalArgumentException("record is required");
      }
      if (report == null) {
        throw new IllegalArgumentException("report is required");
      }
    }
  }

  /** Told about new reports, in received order, on the thread that runs {@link #runOnce}. */
  @FunctionalInterface
  public interface Listener {
    void delivered(List<TailedReport> reports);

    /** This listener, then {@code next}. */
    default Listener andThen(Listener next) {
      return reports -> {
        delivered(reports);
        next.delivered(reports);
      };
    }
  }

  /** Told about new reports' keys only (no body read), in received order. */
  @FunctionalInterface
  public interface KeyListener {
    void announced(List<ReportKey> keys);
  }

  /**
   * A tail that reads keys only and hands the new ones to {@code listener}: what a follower needs to
   * announce every replica's reports to its own event-stream clients (a {@code report} event says
   * no more than the key), at the cost of the key query alone.
   */
  public static ReportTail keysOnly(Store store, long startFromMs, KeyListener listener) {
    if (listener == null) {
      throw new IllegalArgumentException("listener is required");
    }
    return new ReportTail(store, null, listener, startFromMs, DEFAULT_OVERLAP, DEFAULT_PAGE, DEFAULT_MAX_TRACKED);
  }

  /** A key listener that announces each report as a live {@code report} event on {@code hub}. */
  public static KeyListener announcingKeys(EventHub hub) {
    return keys -> {
      for (ReportKey k : keys) {
        hub.publishReport(k.agentId(), k.seq(), k.collectedAtMs());
      }
    };
  }

  /** A listener that announces each report as a live {@code report} event on {@code hub}. */
  public static Listener publishingReports(EventHub hub) {
    return reports -> {
      for (TailedReport r : reports) {
        hub.publishReport(r.record().agentId(), r.record().seq(), r.record().collectedAtMs());
      }
    };
  }

  private record Key(String agentId, long seq) {}

  private final Store store;
  private final ReportParser parser;
  private final Listener listener; // null: keys only
  private final KeyListener keyListener; // null: bodies
  private final long startFromMs;
  private final long overlapMs;
  private final int page;
  private final int maxTracked;
  private final Object lock = new Object();
  /** Delivered (by the tail or the local feed) by key, with the receive time; oldest first. Under lock. */
  private final LinkedHashMap<Key, Long> delivered = new LinkedHashMap<>();
  /** Reports being written locally (marked by skipLocal, cleared by their outcome). Under lock. */
  private final Set<Key> localPending = new HashSet<>();
  /** The newest receive time read; the next pass reads from this minus the overlap. */
  private volatile long newestSeenMs = Long.MIN_VALUE;
  /** Set when a pass stopped at {@link #MAX_PAGES}: where the next one goes on. */
  private volatile ReportKey continueAfter;
  private volatile long deliveredTotal;
  private volatile long unparsable;
  private volatile long evictedEarly;

  /**
   * @param json the mapper ingest parses with ({@code Json.api()}): the same strict parser
   * @param startFromMs deliver reports received at or after this (epoch ms): the restart point
   * @param listener told about new reports
   */
  public ReportTail(Store store, ObjectMapper json, long startFromMs, Listener listener) {
    this(store, json, startFromMs, DEFAULT_OVERLAP, DEFAULT_PAGE, DEFAULT_MAX_TRACKED, listener);
  }

  /** As above, with the overlap, the page size and the most entries remembered. */
  public ReportTail(
      Store store, ObjectMapper json, long startFromMs, Duration overlap, int page, int maxTracked,
      Listener listener) {
    this(store, requireJson(json), requireListener(listener), startFromMs, overlap, page, maxTracked);
  }

  private static ObjectMapper requireJson(ObjectMapper json) {
    if (json == null) {
      throw new IllegalArgumentException("json is required");
    }
    return json;
  }

  private static Listener requireListener(Listener listener) {
    if (listener == null) {
      throw new IllegalArgumentException("listener is required");
    }
    return listener;
  }

  /** One of {@code listener} (bodies read and parsed) and {@code keyListener} (keys only). */
  private ReportTail(
      Store store, ObjectMapper json, Object listener, long startFromMs, Duration overlap, int page,
      int maxTracked) {
    if (store == null) {
      throw new IllegalArgumentException("store is required");
    }
    if (overlap == null || overlap.isNegative()) {
      throw new IllegalArgumentException("overlap must be >= 0 (was " + overlap + ")");
    }
    if (page < 1) {
      throw new IllegalArgumentException("page must be >= 1 (was " + page + ")");
    }
    if (maxTracked < page) {
      throw new IllegalArgumentException("maxTracked must be >= page (was " + maxTracked + ")");
    }
    this.store = store;
    this.parser = json == null ? null : new ReportParser(json);
    this.listener = listener instanceof Listener l ? l : null;
    this.keyListener = listener instanceof KeyListener k ? k : null;
    this.startFromMs = startFromMs;
    this.overlapMs = overlap.toMillis();
    this.page = page;
    this.maxTracked = maxTracked;
  }

  /**
   * Reads what was received since the last pass (minus the overlap) and hands the new reports to the
   * listener, in received order; returns how many. A store failure propagates (the next pass reads
   * the same window again).
   */
  public int runOnce() {
    ReportKey after = continueAfter;
    List<ReportKey> keys =
        store.reportKeysReceivedAfter(
            after == null ? fromMs() : after.receivedAtMs(), after == null ? "" : after.agentId(),
            after == null ? 0 : after.seq(), page);
    int total = 0;
    for (int pages = 1; ; pages++) {
      total += deliver(keys);
      if (keys.size() < page) {
        continueAfter = null; // caught up: the next pass reads the overlap window again
        break;
      }
      ReportKey last = keys.get(keys.size() - 1);
      if (pages >= MAX_PAGES) {
        // Far behind (more than the window holds per pass): the next pass goes on from here, so
        // that it makes progress; the pass after catching up reads the overlap again.
        continueAfter = last;
        break;
      }
      keys = store.reportKeysReceivedAfter(last.receivedAtMs(), last.agentId(), last.seq(), page);
    }
    forgetBefore(fromMs());
    return total;
  }

  /** Where the next pass starts reading. */
  long fromMs() {
    long seen = newestSeenMs;
    return seen == Long.MIN_VALUE ? startFromMs : Math.max(startFromMs, seen - overlapMs);
  }

  /** Reads the bodies of the keys not delivered yet and hands them to the listener. */
  private int deliver(List<ReportKey> keys) {
    List<ReportKey> fresh = new ArrayList<>();
    synchronized (lock) {
      for (ReportKey k : keys) {
        Key key = new Key(k.agentId(), k.seq());
        if (!delivered.containsKey(key) && !localPending.contains(key)) {
          fresh.add(k); // a pending local write is left for a later pass (see the class comment)
        }
      }
    }
    for (ReportKey k : keys) {
      if (k.receivedAtMs() > newestSeenMs) {
        newestSeenMs = k.receivedAtMs();
      }
    }
    if (fresh.isEmpty()) {
      return 0;
    }
    if (keyListener != null) {
      return announce(fresh);
    }
    List<ReportRecord> rows = store.reports(fresh);
    // Unless the local feed claimed one while the bodies were read. A key whose row is gone (pruned
    // meanwhile) is claimed too: it is not asked for again.
    Set<Key> mine = new HashSet<>();
    for (ReportKey k : claim(fresh)) {
      mine.add(new Key(k.agentId(), k.seq()));
    }
    List<ReportRecord> news = new ArrayList<>(rows.size());
    for (ReportRecord r : rows) {
      if (mine.contains(new Key(r.agentId(), r.seq()))) {
        news.add(r);
      }
    }
    List<TailedReport> out = new ArrayList<>(news.size());
    for (ReportRecord r : news) {
      AgentReport parsed;
      try {
        parsed = parser.parse(r.bodyJson().getBytes(StandardCharsets.UTF_8));
      } catch (ReportParser.InvalidReport e) {
        unparsable++;
        LOG.warn("a stored report of {} (seq {}) cannot be parsed; skipped: {}", r.agentId(), r.seq(), e.getMessage());
        continue;
      }
      out.add(new TailedReport(r, parsed));
    }
    if (!out.isEmpty()) {
      deliveredTotal += out.size();
      listener.delivered(out);
    }
    return out.size();
  }

  /** Keys only: hands on the keys not delivered meanwhile. */
  private int announce(List<ReportKey> fresh) {
    List<ReportKey> news = claim(fresh);
    if (!news.isEmpty()) {
      deliveredTotal += news.size();
      keyListener.announced(news);
    }
    return news.size();
  }

  /** Remembers as delivered, and answers, the keys of {@code fresh} neither delivered nor pending locally now. */
  private List<ReportKey> claim(List<ReportKey> fresh) {
    List<ReportKey> claimed = new ArrayList<>(fresh.size());
    synchronized (lock) {
      for (ReportKey k : fresh) {
        Key key = new Key(k.agentId(), k.seq());
        if (!delivered.containsKey(key) && !localPending.contains(key)) {
          remember(key, k.receivedAtMs());
          claimed.add(k);
        }
      }
    }
    return claimed;
  }

  /** Under lock: remembers a delivered key, dropping the oldest beyond {@code maxTracked}. */
  private void remember(Key k, long receivedAtMs) {
    delivered.put(k, receivedAtMs);
    if (delivered.size() > maxTracked) {
      Iterator<Map.Entry<Key, Long>> it = delivered.entrySet().iterator();
      it.next();
      it.remove();
      evictedEarly++;
    }
  }

  /** Forgets keys received before {@code fromMs}: no later pass reads them again. */
  private void forgetBefore(long fromMs) {
    synchronized (lock) {
      Iterator<Map.Entry<Key, Long>> it = delivered.entrySet().iterator();
      while (it.hasNext() && it.next().getValue() < fromMs) {
        it.remove();
      }
    }
  }

  /**
   * Marks reports this replica is about to write and will feed to the listener itself: the tail
   * does not deliver them while their write is pending, nor after it committed them.
   */
  public void skipLocal(List<ReportRecord> batch) {
    synchronized (lock) {
      for (ReportRecord r : batch) {
        localPending.add(new Key(r.agentId(), r.seq()));
      }
    }
  }

  /**
   * The outcome of a local write marked with {@link #skipLocal}: a report stored here (not a
   * duplicate) counts as delivered; a duplicate was stored by another replica first, so the tail
   * delivers that row unless it already did.
   */
  public void localCommitted(List<WriteResult> results) {
    synchronized (lock) {
      for (WriteResult w : results) {
        Key k = new Key(w.report().agentId(), w.report().seq());
        localPending.remove(k);
        if (!w.duplicate()) {
          remember(k, w.report().receivedAtMs());
        }
      }
    }
  }

  /** A local write marked with {@link #skipLocal} failed: nothing of it was stored here. */
  public void localFailed(List<ReportRecord> batch) {
    synchronized (lock) {
      for (ReportRecord r : batch) {
        localPending.remove(new Key(r.agentId(), r.seq()));
      }
    }
  }

  /** Reports handed to the listener since start. */
  public long delivered() {
    return deliveredTotal;
  }

  /** (agent, seq) entries remembered now. */
  public int tracked() {
    synchronized (lock) {
      return delivered.size();
    }
  }

  /** Stored reports that could not be parsed (skipped). */
  public long unparsable() {
    return unparsable;
  }

  /** Entries dropped because {@code maxTracked} was reached (each may cause one duplicate). */
  public long evictedEarly() {
    return evictedEarly;
  }
}

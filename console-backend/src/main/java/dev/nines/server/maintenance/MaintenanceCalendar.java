package dev.nines.server.maintenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nines.server.api.Json;
import dev.nines.server.audit.Actor;
import dev.nines.server.audit.Audit;
import dev.nines.server.availability.MaintenanceSource;
import dev.nines.server.availability.MaintenanceWindow;
import dev.nines.server.events.EventHub;
import dev.nines.server.store.MaintenanceWindowRecord;
import dev.nines.server.store.Store;
import dev.nines.server.store.StoreException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The maintenance windows: stored in the database, held in memory (reloaded after each write), and
 * asked by the alert engine ({@link #covers}) and by availability ({@link #windowsFor}, {@link
 * #poolWindows}).
 *
 * <p>A pool window covers every host whose pool is that pool at the time asked about; a host window
 * covers the hosts it names. Windows are never deleted: {@link #cancel} ends them at the cancel time
 * (see {@link Maintenance}). Safe for concurrent use: reads see an immutable list; writes are
 * serialized.
 */
public final class MaintenanceCalendar implements MaintenanceSource {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceCalendar.class);

  private final Store store;
  private final Audit audit;
  private final EventHub events;
  private final Clock clock;
  private final ObjectMapper json = Json.api();
  private final SecureRandom random = new SecureRandom();
  private volatile List<Maintenance> windows;

  /**
   * Loads the stored windows.
   *
   * @param audit where writes are recorded
   * @param events where a {@code maintenance} event is announced after each write, or null
   */
  public MaintenanceCalendar(Store store, Audit audit, EventHub events, Clock clock) {
    if (store == null || audit == null || clock == null) {
      throw new IllegalArgumentException("store, audit and clock are required");
    }
    this.store = store;
    this.audit = audit;
    this.events = events;
    this.clock = clock;
    this.windows = load();
  }

  /** Re-reads the windows from the store (another replica may have added or cancelled some). */
  public synchronized void refresh() {
    windows = load();
  }

  /** Every window, cancelled ones included, oldest first. */
  public List<Maintenance> all() {
    return windows;
  }

  /** One window by id. */
  public Optional<Maintenance> get(String id) {
    for (Maintenance m : windows) {
      if (m.id().equals(id)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /** Stores a new window created by {@code by} now, audits it and announces it. */
  public synchronized Maintenance create(MaintenanceSpec spec, Actor by) {
    if (spec == null || by == null) {
      throw new IllegalArgumentException("spec and by are required");
    }
    Instant now = clock.instant();
    byte[] salt = new byte[5];
    random.nextBytes(salt);
    String id = String.format("mw_%013d_%s", now.toEpochMilli(), HexFormat.of().formatHex(salt));
    Maintenance m = new Maintenance(id, spec, by.name(), now, null, null);
    store.addMaintenanceWindow(
        new MaintenanceWindowRecord(
            id, spec.pool(), specJson(spec), spec.comment(), m.author(), now.toEpochMilli(), null, null));
    windows = load();
    audit.record(by, "maintenance.create", id, auditDetail(m));
    announce("created", m, now);
    return get(id).orElse(m);
  }

  /**
   * Cancels a window now: its current occurrence ends now and no later one applies. Empty for an
   * unknown id; a window cancelled already is returned as it is (nothing changes, nothing audited).
   */
  public synchronized Optional<Maintenance> cancel(String id, Actor by) {
    Optional<Maintenance> before = get(id);
    if (before.isEmpty() || before.get().cancelled()) {
      return before;
    }
    Instant now = clock.instant();
    store.cancelMaintenanceWindow(id, now.toEpochMilli(), by.name());
    windows = load();
    Maintenance after = get(id).orElseThrow();
    audit.record(by, "maintenance.cancel", id, auditDetail(after));
    announce("cancelled", after, now);
    return Optional.of(after);
  }

  /**
   * Whether a window covers {@code host} (or, with a null host, the whole {@code pool}) at {@code
   * now}: for the alert engine, which silences alerts so covered. A host is covered by windows that
   * name it and by windows of {@code pool} (its pool); a pool alone only by its pool's windows.
   *
   * @param pool the pool (of the host), or null
   * @param host the host, or null for a pool-level alert
   */
  public boolean covers(String pool, String host, Instant now) {
    if (now == null) {
      throw new IllegalArgumentException("now is required");
    }
    for (Maintenance m : windows) {
      if (scoped(m, pool, host) && m.current(now) != null) {
        return true;
      }
    }
    return false;
  }

  @Override
  public List<MaintenanceWindow> windowsFor(String hostId, String pool, long fromMs, long toMs) {
    return clipped(m -> m.spec().covers(pool, hostId), fromMs, toMs);
  }

  @Override
  public List<MaintenanceWindow> poolWindows(String pool, long fromMs, long toMs) {
    return clipped(m -> pool != null && pool.equals(m.spec().pool()), fromMs, toMs);
  }

  /**
   * The windows that a list filter selects: naming {@code host} or of the host's pool ({@code
   * poolOfHost}) when a host is given; of {@code pool} when a pool is given; both when both are.
   */
  public static boolean matches(Maintenance m, String pool, String host, String poolOfHost) {
    if (pool != null && !pool.equals(m.spec().pool())) {
      return false;
    }
    return host == null || m.spec().covers(poolOfHost, host);
  }

  private static boolean scoped(Maintenance m, String pool, String host) {
    if (host == null) {
      return pool != null && pool.equals(m.spec().pool());
    }
    return m.spec().covers(pool, host);
  }

  private List<MaintenanceWindow> clipped(java.util.function.Predicate<Maintenance> in, long fromMs, long toMs) {
    if (toMs <= fromMs) {
      return List.of();
    }
    Instant from = Instant.ofEpochMilli(fromMs);
    Instant to = Instant.ofEpochMilli(toMs);
    List<MaintenanceWindow> out = new ArrayList<>();
    for (Maintenance m : windows) {
      if (!in.test(m)) {
        continue;
      }
      for (Occurrence o : m.occurrences(from, to)) {
        Instant s = o.start().isBefore(from) ? from : o.start();
        Instant e = o.end().isAfter(to) ? to : o.end();
        if (e.toEpochMilli() > s.toEpochMilli()) {
          out.add(new MaintenanceWindow(s, e));
        }
      }
    }
    return out;
  }

  private List<Maintenance> load() {
    List<Maintenance> out = new ArrayList<>();
    for (MaintenanceWindowRecord r : store.maintenanceWindows()) {
      try {
        JsonNode spec = json.readTree(r.specJson());
        if (spec instanceof ObjectNode o) {
          o.put("comment", r.comment());
        }
        out.add(
            new Maintenance(
                r.id(), MaintenanceJson.parse(spec), r.author(), Instant.ofEpochMilli(r.createdAtMs()),
                r.cancelledAtMs() == null ? null : Instant.ofEpochMilli(r.cancelledAtMs()), r.cancelledBy()));
      } catch (JsonProcessingException | IllegalArgumentException e) {
        // One unreadable row must not hide the others (nor stop the server); it is loud instead.
        LOG.error("maintenance window {}: the stored row cannot be read and is ignored: {}", r.id(), e.getMessage());
      }
    }
    return List.copyOf(out);
  }

  private String specJson(MaintenanceSpec spec) {
    ObjectNode o = MaintenanceJson.write(json, spec);
    o.remove("comment"); // a column of its own
    try {
      return json.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new StoreException("a maintenance window cannot be written as JSON: " + e.getOriginalMessage(), e);
    }
  }

  private Map<String, Object> auditDetail(Maintenance m) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("window", MaintenanceJson.write(json, m.spec()));
    if (m.cancelledAt() != null) {
      d.put("cancelledAt", m.cancelledAt().toEpochMilli());
    }
    return d;
  }

  private void announce(String change, Maintenance m, Instant now) {
    if (events == null) {
      return;
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("change", change);
    payload.put("window", MaintenanceView.of(m, now));
    events.publishDurable("maintenance", now.toEpochMilli(), payload);
  }
}

package dev.nines.server.incidentwatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.server.availability.CapacityGuard;
import dev.nines.server.events.EventHub;
import dev.nines.server.health.Health;
import dev.nines.server.health.HealthChange;
import dev.nines.server.healthwatch.HealthListener;
import dev.nines.server.incident.IncidentChange;
import dev.nines.server.incident.IncidentKey;
import dev.nines.server.incident.IncidentKind;
import dev.nines.server.incident.IncidentTracker;
import dev.nines.server.incident.OpenIncident;
import dev.nines.server.incident.PoolMember;
import dev.nines.server.incident.PoolState;
import dev.nines.server.incident.PoolStateChange;
import dev.nines.server.incident.PoolStateTracker;
import dev.nines.server.incident.PoolStatus;
import dev.nines.server.incident.TimelineEntry;
import dev.nines.server.store.HealthRecord;
import dev.nines.server.store.HostRecord;
import dev.nines.server.store.IncidentEventRecord;
import dev.nines.server.store.IncidentRecord;
import dev.nines.server.store.PoolMemberRecord;
import dev.nines.server.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge around the pure {@link IncidentTracker} and {@link PoolStateTracker}: told of each
 * stored health change ({@link HealthListener}), it decides host and pool incidents, stores them
 * and announces {@code incident.opened}, {@code incident.updated}, {@code incident.closed} and
 * {@code pool.state} events. Pool membership is the hosts' {@code pool} column; a member's routing
 * is its stored routing state. All methods are synchronized.
 *
 * <p>On start it reloads the open incidents (one per host or pool, never duplicated) and
 * reconciles them with the stored health: a host that became HEALTHY while the server was down
 * gets its incident closed, a host stored unhealthy without an incident gets one, and every pool
 * is evaluated once.
 */
public final class IncidentWatch implements HealthListener {
  private static final Logger LOG = LoggerFactory.getLogger(IncidentWatch.class);

  private final Store store;
  private final EventHub events;
  private final ObjectMapper json;
  private final IncidentTracker tracker;
  private final PoolStateTracker pools;
  private final Map<IncidentKey, Long> ids = new HashMap<>();

  /**
   * @param guards each pool's capacity guard; null (or a null answer) means {@code
   *     CapacityGuard.fraction(0.5)}
   * @param now the start time, used for the reconciliation's changes
   */
  public IncidentWatch(
      Store store, EventHub events, ObjectMapper json, Function<String, CapacityGuard> guards, Instant now) {
    this.store = store;
    this.events = events;
    this.json = json;
    this.pools = new PoolStateTracker(guards);
    List<OpenIncident> reloaded = new ArrayList<>();
    for (IncidentRecord r : store.openIncidents()) {
      IncidentKey key = new IncidentKey(IncidentKind.parse(r.kind()), r.subject());
      if (ids.containsKey(key)) {
        LOG.warn("incident {} duplicates the open incident {} of {}; ignored", r.id(), ids.get(key), key);
        continue;
      }
      ids.put(key, r.id());
      reloaded.add(new OpenIncident(key, Instant.ofEpochMilli(r.openedAtMs()), r.severity(), r.currentState()));
      if (key.kind() == IncidentKind.POOL) {
        pools.restore(r.subject(), PoolState.valueOf(r.currentState()));
      }
    }
    this.tracker = new IncidentTracker(reloaded);
    reconcile(now);
  }

  private synchronized void reconcile(Instant now) {
    Map<String, HealthRecord> health = store.currentHealth();
    for (HealthRecord h : health.values()) {
      Health state = Health.valueOf(h.state());
      Optional<OpenIncident> open = tracker.open(IncidentKey.host(h.hostId()));
      boolean openButHealthy = open.isPresent() && state == Health.HEALTHY;
      boolean badWithout = open.isEmpty() && state != Health.HEALTHY;
      boolean changedUnseen = open.isPresent() && !open.get().state().equals(h.state());
      if (openButHealthy || badWithout || changedUnseen) {
        Health from =
            open.map(o -> Health.valueOf(o.state())).orElse(state == Health.HEALTHY ? Health.UNKNOWN : Health.HEALTHY);
        if (from == state) {
          continue;
        }
        Instant at = Instant.ofEpochMilli(Math.max(h.sinceMs(), open.map(o -> o.openedAt().toEpochMilli()).orElse(0L)));
        apply(tracker.onHealthChange(new HealthChange(h.hostId(), from, state, at, h.reason().isBlank() ? "found at start" : h.reason(), List.of())));
      }
    }
    runOnce(now);
  }

  /** A stored health change: the host's incident, then its pool's state. */
  @Override
  public synchronized void healthChanged(HealthChange change) {
    apply(tracker.onHealthChange(change));
    store.host(change.hostId()).map(HostRecord::pool).ifPresent(pool -> evaluatePools(Map.of(pool, true), change.at()));
  }

  /**
   * Evaluates every pool with members as of {@code now} (a job may call it; the start does once):
   * catches membership changes that came without a health change.
   */
  public synchronized void runOnce(Instant now) {
    evaluatePools(null, now);
  }

  /**
   * Records an action on the open incident of a host or pool, e.g. {@code "drained h3 by policy
   * gray-failure"}; returns the incident's id, or empty when none is open.
   */
  public synchronized Optional<Long> addAction(IncidentKind kind, String subject, String action, Instant at) {
    IncidentKey key = new IncidentKey(kind, subject);
    Optional<IncidentChange> change = tracker.addAction(key, action, at);
    change.ifPresent(this::apply);
    return change.map(c -> ids.get(key));
  }

  /** The id of the open incident of a host or pool. */
  public synchronized Optional<Long> openIncidentId(IncidentKind kind, String subject) {
    return Optional.ofNullable(ids.get(new IncidentKey(kind, subject)));
  }

  /** The last state of a pool as tracked here (UP for one never evaluated). */
  public synchronized PoolState poolState(String pool) {
    return pools.state(pool);
  }

  /** Evaluates the pools named (all with members when {@code only} is null). */
  private void evaluatePools(Map<String, Boolean> only, Instant at) {
    Map<String, List<PoolMember>> members = new TreeMap<>();
    String one = only != null && only.size() == 1 ? only.keySet().iterator().next() : null;
    for (PoolMemberRecord m : store.poolMembers(one)) {
      if (only != null && !only.containsKey(m.pool())) {
        continue;
      }
      Health state = m.health() == null ? Health.UNKNOWN : Health.valueOf(m.health());
      members.computeIfAbsent(m.pool(), p -> new ArrayList<>()).add(new PoolMember(m.hostId(), state, m.routing()));
    }
    for (Map.Entry<String, List<PoolMember>> e : members.entrySet()) {
      Optional<PoolStateChange> change = pools.update(e.getKey(), e.getValue(), at);
      if (change.isPresent()) {
        publishPool(change.get());
        apply(tracker.onPoolStateChange(change.get()));
      }
    }
  }

  /** The payload of a {@code pool.state} event. */
  public record PoolStateEvent(
      String pool, String from, String to, long at, int members, int required, int healthy, int degraded,
      List<String> membersDown, List<String> degradedMembers) {}

  private void publishPool(PoolStateChange c) {
    PoolStatus s = c.status();
    events.publishDurable(
        "pool.state", c.at().toEpochMilli(),
        new PoolStateEvent(
            c.pool(), c.from().name(), c.to().name(), c.at().toEpochMilli(), s.members(), s.required(),
            s.healthy(), s.degraded(), s.down(), s.degradedMembers()));
  }

  /** The payload of the {@code incident.*} events. */
  public record IncidentEvent(
      long id, String kind, String subject, String state, String severity, String currentState,
      long openedAt, Long closedAt, Long durationMs, Object cause, TimelineEntryView entry) {}

  /** A timeline line as it travels in an event. */
  public record TimelineEntryView(long at, String type, String state, String text, Map<String, Object> detail) {
    static TimelineEntryView of(TimelineEntry e) {
      return new TimelineEntryView(e.at().toEpochMilli(), e.type(), e.state(), e.text(), e.detail());
    }
  }

  /** Stores one decision and announces it; a failure is logged (the tracker has moved on). */
  private void apply(Optional<IncidentChange> decision) {
    decision.ifPresent(this::apply);
  }

  private void apply(IncidentChange change) {
    IncidentKey key = change.key();
    TimelineEntry e = change.entry();
    try {
      IncidentEventRecord entry =
          new IncidentEventRecord(0, 0, e.at().toEpochMilli(), e.type(), e.state(), e.text(), json.writeValueAsString(e.detail()));
      TimelineEntryView view = TimelineEntryView.of(e);
      if (change instanceof IncidentChange.Opened o) {
        long openedAt = o.at().toEpochMilli();
        long id =
            store.openIncident(
                new IncidentRecord(0, key.kind().wire(), key.subject(), IncidentRecord.OPEN, o.severity(), o.state(),
                    openedAt, null, json.writeValueAsString(o.cause())),
                entry);
        ids.put(key, id);
        events.publishDurable(
            "incident.opened", openedAt,
            new IncidentEvent(id, key.kind().wire(), key.subject(), IncidentRecord.OPEN, o.severity(), o.state(),
                openedAt, null, null, o.cause(), view));
        LOG.info("incident {} opened: {}", id, e.text());
      } else if (change instanceof IncidentChange.Updated u) {
        Long id = ids.get(key);
        if (id == null) {
          LOG.warn("no stored incident for {}; change not recorded: {}", key, e.text());
          return;
        }
        String state = u.state();
        store.addIncidentEvent(id, u.severity(), state, entry);
        OpenIncident o = tracker.open(key).orElse(null);
        long openedAt = o == null ? e.at().toEpochMilli() : o.openedAt().toEpochMilli();
        events.publishDurable(
            "incident.updated", e.at().toEpochMilli(),
            new IncidentEvent(id, key.kind().wire(), key.subject(), IncidentRecord.OPEN, u.severity(), state,
                openedAt, null, null, null, view));
      } else if (change instanceof IncidentChange.Closed c) {
        Long id = ids.remove(key);
        if (id == null) {
          LOG.warn("no stored incident for {}; close not recorded: {}", key, e.text());
          return;
        }
        long closedAt = c.closedAt().toEpochMilli();
        store.closeIncident(id, closedAt, e.state(), entry);
        events.publishDurable(
            "incident.closed", closedAt,
            new IncidentEvent(id, key.kind().wire(), key.subject(), IncidentRecord.CLOSED, c.severity(), e.state(),
                c.openedAt().toEpochMilli(), closedAt, c.duration().toMillis(), null, view));
        LOG.info("incident {} closed after {} ms: {}", id, c.duration().toMillis(), e.text());
      }
    } catch (JsonProcessingException | RuntimeException ex) {
      LOG.warn("incident of {} not recorded ({}): {}", key, e.text(), ex.getMessage(), ex);
    }
  }
}

package dev.nines.server.incident;

import dev.nines.server.health.Health;
import dev.nines.server.health.HealthChange;
import dev.nines.server.health.RuleFinding;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Opens, updates and closes incidents from state changes. Pure: a change in, a decision out; it
 * keeps one {@link OpenIncident} per host or pool that is in trouble. Not thread-safe (its owner
 * serializes calls).
 *
 * <p>A host incident opens when a host moves to DEGRADED, UNKNOWN or UNHEALTHY and none is open
 * (usually: it left HEALTHY; also a new host whose first judgement is bad); each further change
 * is a timeline line, and the severity (worst state seen) escalates but never falls; it closes
 * when the host is HEALTHY again. A pool incident does the same with UP / DEGRADED / DOWN.
 * Flapping therefore makes one incident per stay away from HEALTHY (or UP), never two open at once.
 */
public final class IncidentTracker {
  private final Map<IncidentKey, OpenIncident> open = new HashMap<>();

  /** A tracker with nothing open. */
  public IncidentTracker() {}

  /** A tracker that continues these open incidents (a restart reloading them). */
  public IncidentTracker(Collection<OpenIncident> reloaded) {
    for (OpenIncident o : reloaded) {
      if (open.putIfAbsent(o.key(), o) != null) {
        throw new IllegalArgumentException("two open incidents for " + o.key());
      }
    }
  }

  /** The open incident of a host or pool. */
  public Optional<OpenIncident> open(IncidentKey key) {
    return Optional.ofNullable(open.get(key));
  }

  /** Every open incident, in no particular order. */
  public List<OpenIncident> openIncidents() {
    return List.copyOf(open.values());
  }

  /** Decides what a change of a host's health does to its incident. */
  public Optional<IncidentChange> onHealthChange(HealthChange c) {
    IncidentKey key = IncidentKey.host(c.hostId());
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("from", c.from().name());
    detail.put("to", c.to().name());
    detail.put("rules", c.rules());
    detail.put("reason", c.reason());
    Map<String, Object> figures = new LinkedHashMap<>();
    for (RuleFinding f : c.findings()) {
      figures.put(f.rule(), f.figures());
    }
    detail.put("figures", figures);
    String text = c.hostId() + ": " + c.from() + " -> " + c.to() + ": " + c.reason();
    return decide(key, c.to() == Health.HEALTHY, c.to().name(), c.at(), text, detail);
  }

  /** Decides what a change of a pool's state does to its incident. */
  public Optional<IncidentChange> onPoolStateChange(PoolStateChange c) {
    IncidentKey key = IncidentKey.pool(c.pool());
    PoolStatus s = c.status();
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("from", c.from().name());
    detail.put("to", c.to().name());
    detail.put("membersDown", s.down());
    detail.put("degradedMembers", s.degradedMembers());
    detail.put("members", s.members());
    detail.put("required", s.required());
    detail.put("healthy", s.healthy());
    detail.put("degraded", s.degraded());
    String text =
        "pool " + c.pool() + ": " + c.from() + " -> " + c.to() + ": " + s.healthy() + " of " + s.members()
            + " members ACTIVE and HEALTHY, " + s.required() + " required"
            + (s.down().isEmpty() ? "" : "; down: " + String.join(", ", s.down()))
            + (s.degradedMembers().isEmpty() ? "" : "; degraded: " + String.join(", ", s.degradedMembers()));
    // MAINTENANCE is planned and excluded from availability: it ends a pool incident like UP does.
    return decide(key, c.to() == PoolState.UP || c.to() == PoolState.MAINTENANCE, c.to().name(), c.at(), text, detail);
  }

  /**
   * Records an action taken on the subject of an open incident (for example "drained h3 by policy
   * ..."); empty when none is open.
   */
  public Optional<IncidentChange> addAction(IncidentKey key, String action, Instant at) {
    if (action == null || action.isBlank()) {
      throw new IllegalArgumentException("action is required");
    }
    OpenIncident o = open.get(key);
    if (o == null) {
      return Optional.empty();
    }
    TimelineEntry entry = new TimelineEntry(at, TimelineEntry.ACTION, null, action, Map.of());
    return Optional.of(new IncidentChange.Updated(key, o.severity(), o.state(), false, entry));
  }

  private Optional<IncidentChange> decide(
      IncidentKey key, boolean good, String state, Instant at, String text, Map<String, Object> detail) {
    OpenIncident o = open.get(key);
    if (o == null) {
      if (good) {
        return Optional.empty();
      }
      open.put(key, new OpenIncident(key, at, state, state));
      Map<String, Object> cause = new LinkedHashMap<>();
      cause.put("state", state);
      cause.putAll(detail);
      cause.remove("to");
      TimelineEntry entry = new TimelineEntry(at, TimelineEntry.OPENED, state, text, detail);
      return Optional.of(new IncidentChange.Opened(key, at, state, state, cause, entry));
    }
    if (good) {
      open.remove(key);
      Map<String, Object> closing = new LinkedHashMap<>(detail);
      closing.put("durationMs", Math.max(0, Duration.between(o.openedAt(), at).toMillis()));
      TimelineEntry entry = new TimelineEntry(at, TimelineEntry.CLOSED, state, text, closing);
      return Optional.of(new IncidentChange.Closed(key, o.openedAt(), at, o.severity(), entry));
    }
    String severity = Severity.worst(key.kind(), o.severity(), state);
    boolean escalated = !severity.equals(o.severity());
    open.put(key, new OpenIncident(key, o.openedAt(), severity, state));
    TimelineEntry entry = new TimelineEntry(at, TimelineEntry.CHANGED, state, text, detail);
    return Optional.of(new IncidentChange.Updated(key, severity, state, escalated, entry));
  }
}

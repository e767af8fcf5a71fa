package dev.nines.server.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the tracker decided: an incident opened, changed (or got an action), or closed. */
public sealed interface IncidentChange {
  IncidentKey key();

  /** The timeline line to append. */
  TimelineEntry entry();

  /** The worst state seen since the incident opened, after this change. */
  String severity();

  /**
   * An incident opened.
   *
   * @param cause JSON-ready figures of what opened it: for a host {@code state, rules, reason,
   *     figures}; for a pool {@code state, membersDown, degradedMembers, members, required, healthy,
   *     degraded}
   */
  record Opened(IncidentKey key, Instant at, String severity, String state, Map<String, Object> cause, TimelineEntry entry)
      implements IncidentChange {
    public Opened {
      cause = Collections.unmodifiableMap(new LinkedHashMap<>(cause));
    }
  }

  /**
   * The subject changed state while the incident stayed open, or an action was recorded.
   *
   * @param escalated the severity got worse with this change
   */
  record Updated(IncidentKey key, String severity, String state, boolean escalated, TimelineEntry entry)
      implements IncidentChange {}

  /** The subject is HEALTHY (host) or UP (pool) again. */
  record Closed(IncidentKey key, Instant openedAt, Instant closedAt, String severity, TimelineEntry entry)
      implements IncidentChange {
    /** How long it was open (never negative). */
    public Duration duration() {
      Duration d = Duration.between(openedAt, closedAt);
      return d.isNegative() ? Duration.ZERO : d;
    }
  }
}

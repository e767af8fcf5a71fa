package dev.nines.server.maintenance;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A stored maintenance window: the operator's {@link MaintenanceSpec} and its bookkeeping.
 *
 * <p>Cancelling does not rewrite history: occurrences before the cancel time keep counting (they
 * stay excluded from availability), an occurrence under way at the cancel time ends then, and no
 * later occurrence applies.
 *
 * @param id the window's id
 * @param spec scope, schedule and comment
 * @param author who created it (the token's name)
 * @param createdAt when it was created
 * @param cancelledAt when it was cancelled, or null while in force
 * @param cancelledBy who cancelled it (the token's name), or null while in force
 */
public record Maintenance(
    String id, MaintenanceSpec spec, String author, Instant createdAt, Instant cancelledAt, String cancelledBy) {
  public Maintenance {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("id is required");
    }
    if (spec == null) {
      throw new IllegalArgumentException("spec is required");
    }
    if (author == null) {
      throw new IllegalArgumentException("author is required");
    }
    if (createdAt == null) {
      throw new IllegalArgumentException("createdAt is required");
    }
    createdAt = createdAt.truncatedTo(ChronoUnit.MILLIS);
    cancelledAt = cancelledAt == null ? null : cancelledAt.truncatedTo(ChronoUnit.MILLIS);
    if ((cancelledAt == null) != (cancelledBy == null)) {
      throw new IllegalArgumentException("cancelledAt and cancelledBy go together");
    }
  }

  public boolean cancelled() {
    return cancelledAt != null;
  }

  /**
   * The occurrences that share time with {@code [from, to)}, oldest first and unclipped, as they
   * count: cut at the cancel time when the window was cancelled. Pure.
   */
  public List<Occurrence> occurrences(Instant from, Instant to) {
    if (from == null || to == null) {
      throw new IllegalArgumentException("from and to are required");
    }
    Instant end = cancelledAt != null && cancelledAt.isBefore(to) ? cancelledAt : to;
    if (!end.isAfter(from)) {
      return List.of();
    }
    List<Occurrence> raw = spec.schedule().occurrences(from, end);
    if (cancelledAt == null) {
      return raw;
    }
    List<Occurrence> out = new ArrayList<>(raw.size());
    for (Occurrence o : raw) {
      out.add(o.end().isAfter(cancelledAt) ? new Occurrence(o.start(), cancelledAt) : o);
    }
    return out;
  }

  /** The occurrence under way at {@code now}, or null. */
  public Occurrence current(Instant now) {
    for (Occurrence o : occurrences(now, now.plusMillis(1))) {
      if (o.contains(now)) {
        return o;
      }
    }
    return null;
  }

  /** The first occurrence that starts after {@code now}, or null (none left, or cancelled). */
  public Occurrence next(Instant now) {
    // A recurring window comes back within a week; a one-off one lies anywhere ahead.
    Instant horizon;
    if (spec.schedule() instanceof Schedule.OneOff o) {
      horizon = o.endsAt().plusMillis(1);
    } else {
      Schedule.Recurring r = (Schedule.Recurring) spec.schedule();
      Instant base = r.from() != null && r.from().isAfter(now) ? r.from() : now;
      horizon = base.plus(java.time.Duration.ofDays(8)).plus(r.duration());
    }
    if (!horizon.isAfter(now)) {
      return null;
    }
    for (Occurrence o : occurrences(now, horizon)) {
      if (o.start().isAfter(now)) {
        return o;
      }
    }
    return null;
  }

  /** Whether it still applies at or after {@code now}: not cancelled, and under way or to come. */
  public boolean activeAt(Instant now) {
    return !cancelled() && (current(now) != null || next(now) != null);
  }
}

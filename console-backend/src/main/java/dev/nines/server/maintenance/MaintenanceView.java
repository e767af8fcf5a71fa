package dev.nines.server.maintenance;

import dev.nines.server.config.Durations;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;

/**
 * A window as the API shows it: its fields as created (instants in epoch ms), its bookkeeping, and
 * its occurrence under way and next one at the time asked.
 *
 * @param kind {@code one-off} or {@code recurring}
 * @param active not cancelled, and under way or still to come
 * @param current the occurrence under way, or null
 * @param next the next occurrence to start, or null
 */
public record MaintenanceView(
    String id, String kind, String pool, List<String> hosts, Long startsAt, Long endsAt, String every,
    List<String> days, String at, String duration, String zone, Long from, Long until, String comment,
    String author, long createdAt, Long cancelledAt, String cancelledBy, boolean active,
    OccurrenceView current, OccurrenceView next) {

  /** One occurrence, {@code [start, end)} in epoch ms. */
  public record OccurrenceView(long start, long end) {
    static OccurrenceView of(Occurrence o) {
      return o == null ? null : new OccurrenceView(o.start().toEpochMilli(), o.end().toEpochMilli());
    }
  }

  /** The view of {@code m} at {@code now}. */
  public static MaintenanceView of(Maintenance m, Instant now) {
    MaintenanceSpec s = m.spec();
    Occurrence current = m.current(now);
    Occurrence next = m.next(now);
    Long cancelledAt = m.cancelledAt() == null ? null : m.cancelledAt().toEpochMilli();
    boolean active = !m.cancelled() && (current != null || next != null);
    if (s.schedule() instanceof Schedule.OneOff o) {
      return new MaintenanceView(
          m.id(), "one-off", s.pool(), s.hosts(), o.startsAt().toEpochMilli(), o.endsAt().toEpochMilli(),
          null, null, null, null, null, null, null, s.comment(), m.author(), m.createdAt().toEpochMilli(),
          cancelledAt, m.cancelledBy(), active, OccurrenceView.of(current), OccurrenceView.of(next));
    }
    Schedule.Recurring r = (Schedule.Recurring) s.schedule();
    List<String> days =
        r.days().isEmpty() ? null : EnumSet.copyOf(r.days()).stream().map(MaintenanceJson::abbreviation).toList();
    return new MaintenanceView(
        m.id(), "recurring", s.pool(), s.hosts(), null, null, r.every().wire(), days, r.at().toString(),
        Durations.format(r.duration()), r.zone().getId(),
        r.from() == null ? null : r.from().toEpochMilli(), r.until() == null ? null : r.until().toEpochMilli(),
        s.comment(), m.author(), m.createdAt().toEpochMilli(), cancelledAt, m.cancelledBy(), active,
        OccurrenceView.of(current), OccurrenceView.of(next));
  }
}

package dev.nines.server.report;

import java.util.List;

/**
 * An uptime (SLA) report over a period, per pool and per host, with the incidents in it. Plain
 * values, ready for JSON and CSV.
 *
 * @param fromMs the period's start, epoch ms
 * @param toMs the period's end, epoch ms (exclusive)
 * @param accounting how the figures were counted, for the reader of the report
 * @param pools one row per pool
 * @param hosts one row per host, ordered by pool then host id
 * @param incidents the incidents open at any time in the period, oldest first
 * @param daily the availability per UTC day of each pool in the report (of the host, in a one-host
 *     report), in the order of {@code pools}
 */
public record UptimeReport(
    long fromMs, long toMs, String accounting, List<Row> pools, List<Row> hosts, List<IncidentRow> incidents,
    List<DailySeries> daily) {

  public UptimeReport {
    if (toMs <= fromMs) {
      throw new IllegalArgumentException("toMs (" + toMs + ") must be after fromMs (" + fromMs + ")");
    }
    if (accounting == null) {
      throw new IllegalArgumentException("accounting is required");
    }
    pools = List.copyOf(pools);
    hosts = List.copyOf(hosts);
    incidents = List.copyOf(incidents);
    daily = List.copyOf(daily);
  }

  /**
   * The figures of one pool or host over the period; a null figure was not available (nothing
   * counted, no requests, no outage to average).
   *
   * @param kind {@code pool} or {@code host}
   * @param id the pool's name or the host's id
   * @param pool the pool (the pool itself for a pool row)
   * @param availability time-based availability over the counted time, 0..1
   * @param requestAvailability good / total requests, 0..1
   * @param sloTarget the pool's objective
   * @param sloMet availability at or above the objective
   * @param errorBudgetUsed the share of the period's error budget the downtime used (1 = all of it)
   * @param downtimeMinutes minutes down (maintenance excluded)
   * @param maintenanceMinutes minutes in maintenance (not counted)
   * @param incidents outages that started in the period
   * @param mttrMinutes mean time to recover
   * @param mtbfMinutes mean time between failures
   * @param longestOutageMinutes the longest outage
   */
  public record Row(
      String kind, String id, String pool, Double availability, Double requestAvailability, double sloTarget,
      Boolean sloMet, Double errorBudgetUsed, double downtimeMinutes, double maintenanceMinutes, int incidents,
      Double mttrMinutes, Double mtbfMinutes, double longestOutageMinutes) {}

  /**
   * One incident.
   *
   * @param id its id
   * @param kind {@code host} or {@code pool}
   * @param subject the host or pool
   * @param pool the pool it belongs to
   * @param severity its severity
   * @param startMs when it opened
   * @param endMs when it closed, or null while open
   * @param durationMinutes from its start to its end (or to the end of the period while open)
   * @param cause the cause as recorded (JSON text)
   * @param actions the actions taken during it (drains, undrains, failovers), oldest first
   */
  public record IncidentRow(
      long id, String kind, String subject, String pool, String severity, long startMs, Long endMs,
      double durationMinutes, String cause, List<Action> actions) {
    public IncidentRow {
      actions = actions == null ? List.of() : List.copyOf(actions);
    }
  }

  /**
   * One action taken during an incident.
   *
   * @param atMs when, epoch ms
   * @param actor who took it ({@code policy}, an operator's token name, ...), or null where the
   *     stored line does not say
   * @param text the action as recorded, a sentence for people
   */
  public record Action(long atMs, String actor, String text) {
    public Action {
      if (text == null) {
        throw new IllegalArgumentException("text is required");
      }
    }
  }

  /**
   * The availability of one pool (or host) per UTC day of the period.
   *
   * @param kind {@code pool} or {@code host}
   * @param id the pool's name or the host's id
   * @param sloTarget the pool's objective
   * @param days one entry per UTC day the period touches, oldest first
   */
  public record DailySeries(String kind, String id, double sloTarget, List<Day> days) {
    public DailySeries {
      if (id == null) {
        throw new IllegalArgumentException("id is required");
      }
      days = List.copyOf(days);
    }
  }

  /**
   * One UTC day (clipped to the period at its ends).
   *
   * @param fromMs the day's start in the period, epoch ms
   * @param toMs the day's end in the period, epoch ms (exclusive)
   * @param availability time-based availability over that day, or null where nothing was counted
   */
  public record Day(long fromMs, long toMs, Double availability) {}
}

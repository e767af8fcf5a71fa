package dev.nines.console.host;

import java.time.Instant;

/**
 * One line of a host's health and routing history, newest first in the table.
 *
 * @param at when the state began
 * @param kind {@code health} or {@code routing}
 * @param state the state taken (HEALTHY, DRAINING ...)
 * @param rule the rules that caused it (health), or who changed it (routing)
 * @param reason why, for people
 * @param figures the rules' figures (JSON text), or empty
 */
public record HistoryRow(Instant at, String kind, String state, String rule, String reason, String figures) {
  public HistoryRow {
    if (at == null || kind == null || state == null) {
      throw new IllegalArgumentException("at, kind and state are required");
    }
    rule = rule == null ? "" : rule;
    reason = reason == null ? "" : reason;
    figures = figures == null ? "" : figures;
  }
}

package dev.nines.console.client;

import java.util.List;
import java.util.Map;

/**
 * A pool as {@code GET /api/v1/pools} (without members, burn rates and conditions) and {@code GET
 * /api/v1/pools/{id}} (with them) show it. Figures null when not available.
 *
 * @param name pool name
 * @param state UP, DEGRADED, DOWN, MAINTENANCE or UNKNOWN
 * @param memberCount hosts in the pool
 * @param membersUp hosts that serve now
 * @param guard the capacity guard
 * @param degraded how DEGRADED counts
 * @param availability time-based availability by window ({@code 1h}, {@code 1d}, {@code 30d})
 * @param slo the objective and its budget
 * @param members the members (empty in the list)
 */
public record Pool(
    String name,
    String state,
    int memberCount,
    int membersUp,
    Guard guard,
    Degraded degraded,
    Map<String, Double> availability,
    Slo slo,
    List<Member> members) {
  public Pool {
    availability = availability == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(availability));
    members = members == null ? List.of() : List.copyOf(members);
  }

  /** Guard as configured, and the members it requires now. */
  public record Guard(Integer minActive, Double minActiveFraction, int required) {}

  /** How DEGRADED counts: {@code up}, {@code down} or {@code weighted} with its weight. */
  public record Degraded(String counts, double weight) {}

  /** Good and total requests, and their ratio (null without requests). */
  public record Requests(long good, long total, Double availability) {}

  /** One multi-window burn-rate condition now. */
  public record Condition(
      String name, String description, String severity, double threshold, String longWindow,
      String shortWindow, Double longRate, Double shortRate, boolean firing) {}

  /**
   * The SLO. {@code burnRates} ({@code 5m} .. {@code 3d}), {@code conditions} and {@code requests}
   * only for one pool.
   */
  public record Slo(
      double target, String period, Double availability, double errorBudget, Double budgetConsumed,
      Double budgetRemaining, Map<String, Double> burnRates, List<Condition> conditions, Requests requests) {
    public Slo {
      burnRates = burnRates == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(burnRates));
      conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }
  }

  /** One member now. */
  public record Member(
      String id, String health, Long healthSince, String routing, String routingReason,
      String routingChangedBy, long routingSince, boolean serving) {}
}

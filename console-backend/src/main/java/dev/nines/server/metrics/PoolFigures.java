package dev.nines.server.metrics;

import java.util.Map;

/**
 * One pool's figures as the metrics page shows them. Absent map entries and null fields mean "not
 * available" (nothing counted in that window, no SLO), and produce no series, never a silent 0.
 *
 * @param pool the pool id
 * @param availability time-based availability (0..1) by window label ({@code 1h}, {@code 1d},
 *     {@code 30d})
 * @param budgetRemaining share of the SLO period's error budget left (1 untouched, negative when
 *     overspent), or null
 * @param burnRates error-budget burn rate by window label ({@code 5m}, {@code 30m}, {@code 1h},
 *     {@code 6h}, {@code 1d}, {@code 3d})
 * @param state the pool's state now: UP, DEGRADED, DOWN, MAINTENANCE or UNKNOWN
 * @param membersTotal hosts in the pool
 * @param membersUp hosts that serve now (ACTIVE and up as the pool counts it)
 * @param burnAlerts each multi-window burn-rate condition of the SLO (by name, e.g.
 *     {@code page-14.4x-1h-5m}) and whether it fires now; empty when not evaluated
 * @param sloTarget the SLO's availability target, strictly between 0 and 1, or null when the pool
 *     has none
 */
public record PoolFigures(
    String pool,
    Map<String, Double> availability,
    Double budgetRemaining,
    Map<String, Double> burnRates,
    String state,
    int membersTotal,
    int membersUp,
    Map<String, Boolean> burnAlerts,
    Double sloTarget) {
  public PoolFigures {
    if (pool == null || pool.isEmpty()) {
      throw new IllegalArgumentException("pool is required");
    }
    if (availability == null) {
      throw new IllegalArgumentException("availability is required (pool " + pool + ")");
    }
    if (burnRates == null) {
      throw new IllegalArgumentException("burnRates is required (pool " + pool + ")");
    }
    if (state == null || state.isEmpty()) {
      throw new IllegalArgumentException("state is required (pool " + pool + ")");
    }
    if (membersTotal < 0 || membersUp < 0 || membersUp > membersTotal) {
      throw new IllegalArgumentException(
          "membersUp and membersTotal need 0 <= membersUp <= membersTotal (were " + membersUp + ", "
              + membersTotal + ", pool " + pool + ")");
    }
    for (Map.Entry<String, Double> e : availability.entrySet()) {
      double v = e.getValue() == null ? Double.NaN : e.getValue();
      if (!(v >= 0.0 && v <= 1.0)) {
        throw new IllegalArgumentException(
            "availability[" + e.getKey() + "] must be within 0..1 (was " + e.getValue() + ", pool " + pool + ")");
      }
    }
    for (Map.Entry<String, Double> e : burnRates.entrySet()) {
      if (e.getValue() == null || !Double.isFinite(e.getValue())) {
        throw new IllegalArgumentException(
            "burnRates[" + e.getKey() + "] must be finite (was " + e.getValue() + ", pool " + pool + ")");
      }
    }
    if (budgetRemaining != null && !Double.isFinite(budgetRemaining)) {
      throw new IllegalArgumentException("budgetRemaining must be finite (pool " + pool + ")");
    }
    if (sloTarget != null && !(sloTarget > 0.0 && sloTarget < 1.0)) {
      throw new IllegalArgumentException("sloTarget must be within (0, 1) (was " + sloTarget + ", pool " + pool + ")");
    }
    availability = Map.copyOf(availability);
    burnRates = Map.copyOf(burnRates);
    burnAlerts = burnAlerts == null ? Map.of() : Map.copyOf(burnAlerts);
  }

  /** Figures without burn-rate conditions or SLO target. */
  public PoolFigures(
      String pool, Map<String, Double> availability, Double budgetRemaining, Map<String, Double> burnRates,
      String state, int membersTotal, int membersUp) {
    this(pool, availability, budgetRemaining, burnRates, state, membersTotal, membersUp, Map.of(), null);
  }
}

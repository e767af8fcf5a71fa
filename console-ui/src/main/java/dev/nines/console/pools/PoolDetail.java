package dev.nines.console.pools;

import dev.nines.console.client.Pool;
import java.util.List;
import java.util.Map;

/**
 * The selected pool: its SLO figures, burn rates and conditions, N+1 and sides.
 *
 * @param availability time-based availability by window ({@code 1h}, {@code 1d}, {@code 30d}); a
 *     value null when not available
 * @param target the SLO target (0.999)
 * @param budgetRemaining error budget left as a ratio (negative: overspent), or null
 * @param burnRates burn rate by window ({@code 5m} .. {@code 3d})
 * @param conditions the multi-window alert conditions now
 * @param nPlusOneOk whether the pool survives losing its largest member, null when unknown
 * @param nPlusOne one line about N+1
 * @param sides failover sides by name, empty without sides
 * @param activeSide the side in rotation, or empty
 * @param failover the failover under way or the last one's outcome, or empty
 * @param failoverUnderWay a failover is running now
 */
public record PoolDetail(
    String name, String state, int membersUp, int memberCount, int required, Map<String, Double> availability,
    double target, String period, Double budgetRemaining, Map<String, Double> burnRates,
    List<Pool.Condition> conditions, Boolean nPlusOneOk, String nPlusOne, Map<String, List<String>> sides,
    String activeSide, String failover, boolean failoverUnderWay) {
  public PoolDetail {
    availability = availability == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(availability));
    burnRates = burnRates == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(burnRates));
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
    sides = sides == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sides));
    activeSide = activeSide == null ? "" : activeSide;
    failover = failover == null ? "" : failover;
    nPlusOne = nPlusOne == null ? "" : nPlusOne;
    period = period == null ? "" : period;
  }
}

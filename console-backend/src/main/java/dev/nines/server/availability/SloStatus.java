package dev.nines.server.availability;

import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

/**
 * An SLO's state at {@code now}.
 *
 * @param slo the objective
 * @param now the instant every window ends at
 * @param periodAvailability availability over {@code [now - period, now)}, or empty
 * @param burnRates the burn rate over every {@link BurnWindow}, in the enum's order
 * @param checks every {@link BurnCondition}, in the enum's order
 */
public record SloStatus(
    Slo slo, Instant now, OptionalDouble periodAvailability, List<BurnRate> burnRates, List<BurnCheck> checks) {
  public SloStatus {
    if (slo == null) {
      throw new IllegalArgumentException("slo is required");
    }
    if (now == null) {
      throw new IllegalArgumentException("now is required");
    }
    if (periodAvailability == null) {
      throw new IllegalArgumentException("periodAvailability is required");
    }
    if (burnRates == null || burnRates.size() != BurnWindow.values().length) {
      throw new IllegalArgumentException("burnRates must hold one rate per BurnWindow");
    }
    if (checks == null || checks.size() != BurnCondition.values().length) {
      throw new IllegalArgumentException("checks must hold one check per BurnCondition");
    }
    burnRates = List.copyOf(burnRates);
    checks = List.copyOf(checks);
  }

  /** The error budget, 1 - target. */
  public double errorBudget() {
    return slo.errorBudget();
  }

  /**
   * The share of the period's error budget spent: (1 - availability) / (1 - target) over the period.
   * Above 1 when overspent; empty when the period's availability is not available.
   */
  public OptionalDouble budgetConsumed() {
    return periodAvailability.isEmpty()
        ? OptionalDouble.empty()
        : OptionalDouble.of((1.0 - periodAvailability.getAsDouble()) / slo.errorBudget());
  }

  /** 1 - budgetConsumed: negative when overspent; empty when not available. */
  public OptionalDouble budgetRemaining() {
    OptionalDouble consumed = budgetConsumed();
    return consumed.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(1.0 - consumed.getAsDouble());
  }

  /** The burn rate over {@code window}. */
  public OptionalDouble burnRate(BurnWindow window) {
    return burnRates.get(window.ordinal()).rate();
  }

  /** The check of {@code condition}. */
  public BurnCheck check(BurnCondition condition) {
    return checks.get(condition.ordinal());
  }

  /** The conditions firing now. */
  public List<BurnCheck> firing() {
    return checks.stream().filter(BurnCheck::firing).toList();
  }
}

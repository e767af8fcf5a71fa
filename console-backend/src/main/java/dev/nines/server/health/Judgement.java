package dev.nines.server.health;

import java.util.List;
import java.util.Optional;

/**
 * What one evaluation decided.
 *
 * @param next the host's state after this evaluation (store it, pass it to the next one)
 * @param change the change of health, if the host's health changed
 * @param findings every rule firing on this evaluation, worst first (whether or not the state
 *     changed: shown by the API as "why")
 */
public record Judgement(HostHealthState next, Optional<HealthChange> change, List<RuleFinding> findings) {

  public Judgement {
    if (next == null) {
      throw new IllegalArgumentException("next is required");
    }
    change = change == null ? Optional.empty() : change;
    findings = findings == null ? List.of() : List.copyOf(findings);
  }

  public Health health() {
    return next.health();
  }
}

package dev.nines.server.health;

import java.time.Instant;
import java.util.List;

/**
 * A host's health changed. Carries every rule that was firing when it did (worst first), so a
 * change to HEALTHY carries none, and a recovery to DEGRADED the rules still holding it there.
 *
 * @param hostId the host
 * @param from the state before
 * @param to the state after
 * @param at when the judge decided (the evaluation's time)
 * @param reason a sentence for people
 * @param findings the rules firing at the change, worst first; empty on a recovery to HEALTHY
 */
public record HealthChange(
    String hostId, Health from, Health to, Instant at, String reason, List<RuleFinding> findings) {

  public HealthChange {
    if (hostId == null || hostId.isBlank()) {
      throw new IllegalArgumentException("hostId is required");
    }
    if (from == null || to == null || from == to) {
      throw new IllegalArgumentException("from and to must be two different states (were " + from + ", " + to + ")");
    }
    if (at == null) {
      throw new IllegalArgumentException("at is required");
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("reason is required");
    }
    findings = findings == null ? List.of() : List.copyOf(findings);
  }

  /** The ids of the rules listed, worst first. */
  public List<String> rules() {
    return findings.stream().map(RuleFinding::rule).toList();
  }

  /** The worse state is the new one. */
  public boolean isWorsening() {
    return to.isWorseThan(from);
  }
}

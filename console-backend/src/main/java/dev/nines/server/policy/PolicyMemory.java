package dev.nines.server.policy;

import java.time.Instant;
import java.util.Set;

/**
 * What the policy remembers between two evaluations of one pool. Immutable: each {@link
 * Evaluation} carries the memory for the next one. Keep one per pool; it is small and plain, so it
 * can be persisted (the cooldowns then survive a backend restart).
 *
 * @param lastAutoDrain when the policy last drained a member of the pool; null: never
 * @param lastAutoFailover when the policy last failed the pool over; null: never
 * @param announcedRefusals the refusals already announced as events: a refusal is announced once,
 *     and again only after it stopped applying for at least one evaluation
 * @param lastNPlusOne the N+1 verdict last announced (or, when it was fine, last seen); null: none yet
 */
public record PolicyMemory(
    Instant lastAutoDrain, Instant lastAutoFailover, Set<Refusal> announcedRefusals, Boolean lastNPlusOne) {
  private static final PolicyMemory EMPTY = new PolicyMemory(null, null, Set.of(), null);

  public PolicyMemory {
    announcedRefusals = announcedRefusals == null ? Set.of() : Set.copyOf(announcedRefusals);
  }

  /** Nothing remembered: the first evaluation of a pool. */
  public static PolicyMemory empty() {
    return EMPTY;
  }

  /**
   * One refusal as remembered: who it concerns, which action was refused and why.
   *
   * @param hostId the host; null for a pool-wide action (failover)
   * @param action {@code drain}, {@code quarantine} or {@code failover}
   * @param reason the refusal's code: {@code guard}, {@code cooldown}, {@code startup-grace}, {@code
   *     mass-silence}, {@code standby}
   */
  public record Refusal(String hostId, String action, String reason) {
    public Refusal {
      if (action == null || action.isBlank()) {
        throw new IllegalArgumentException("action is required");
      }
      if (reason == null || reason.isBlank()) {
        throw new IllegalArgumentException("reason is required");
      }
    }
  }
}

package dev.nines.console.client;

import java.util.List;

/**
 * The server's answer to a drain, undrain, maintenance or failover (or its dry run): the plan and the
 * capacity guard's verdict. A guard refusal (409 with a verdict) is an outcome with {@code refused}
 * true, not an exception: the console shows it in the confirmation dialog.
 *
 * @param status the HTTP status (202 changed, 200 dry run or nothing to do, 409 refused)
 * @param refused the guard refused; nothing changed
 * @param refusal the server's sentence for the refusal, or null
 * @param plan what changes (or would change), with the guard's verdict
 */
public record ActionOutcome(int status, boolean refused, String refusal, Plan plan) {
  public ActionOutcome {
    if (plan == null) {
      throw new IllegalArgumentException("plan is required");
    }
  }

  /** Whether the server changed something (false for a dry run, a refusal, nothing to do). */
  public boolean changed() {
    return plan.changed();
  }

  /**
   * What the action changes.
   *
   * @param subject host id, or pool for a failover
   * @param pool the pool, or null for a host in none
   * @param from routing state (or active side) before
   * @param to routing state (or active side) after
   * @param changed something was changed
   * @param dryRun nothing was changed on purpose
   * @param forced the guard's refusal was overridden
   * @param guard the guard's verdict, or null when the action adds capacity
   * @param steps what happens next, for people
   * @param timeoutMs how long the drain or failover waits at most, or null
   */
  public record Plan(
      String subject, String pool, String from, String to, boolean changed, boolean dryRun, boolean forced,
      Guard guard, List<String> steps, Long timeoutMs) {
    public Plan {
      steps = steps == null ? List.of() : List.copyOf(steps);
    }
  }

  /**
   * The capacity guard's verdict on taking a host out of rotation.
   *
   * @param allowed the pool keeps at least {@code required} active members afterwards
   * @param activeNow active members counted now
   * @param activeAfter active members afterwards ("members left active")
   * @param required what the guard requires
   * @param reason a sentence for people
   */
  public record Guard(boolean allowed, int activeNow, int activeAfter, int required, String reason) {}
}

package dev.nines.server.routing;

import dev.nines.server.policy.GuardVerdict;
import java.util.List;

/**
 * The answer to an operator action (or its dry run): what changes, what the guard says, and the
 * steps that follow.
 *
 * @param subject the host id, or the pool for a failover
 * @param pool the pool, or null for a host in none
 * @param from the routing state (or active side) before
 * @param to the routing state (or active side) the action leads to
 * @param changed something was changed (false for a dry run, a refusal, or nothing to do)
 * @param dryRun nothing was changed on purpose
 * @param forced the guard's refusal was overridden
 * @param guard the guard's verdict, or null when the action adds capacity
 * @param steps what happens next, in order, for people
 * @param timeoutMs how long the drain or failover waits at most, or null
 */
public record ActionResult(
    String subject,
    String pool,
    String from,
    String to,
    boolean changed,
    boolean dryRun,
    boolean forced,
    GuardVerdict guard,
    List<String> steps,
    Long timeoutMs) {
  public ActionResult {
    steps = steps == null ? List.of() : List.copyOf(steps);
  }
}

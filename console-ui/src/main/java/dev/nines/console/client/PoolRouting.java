package dev.nines.console.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/pools/{id}/routing}: sides, failover, the policy's knobs, N+1 and recent
 * decisions. The less settled parts stay JSON; {@code raw} holds the whole answer.
 *
 * @param pool the pool
 * @param sides failover sides by name (empty without sides)
 * @param activeSide the side in rotation, or null
 * @param failover the failover under way ({from, to, startedAt, deadline, by}), or null
 * @param lastFailover the last failover's outcome, or null
 * @param autoDrain the policy drains hosts that stay unhealthy
 * @param autoFailover the policy fails over
 * @param drainTimeoutMs how long a drain waits at most
 * @param nPlusOne {ok, serving, required, reason}, or null
 * @param policyEvents the last policy decisions and refusals, newest first as the server sent them
 * @param raw the whole answer
 */
public record PoolRouting(
    String pool,
    Map<String, List<String>> sides,
    String activeSide,
    JsonNode failover,
    JsonNode lastFailover,
    boolean autoDrain,
    boolean autoFailover,
    Long drainTimeoutMs,
    NPlusOne nPlusOne,
    List<JsonNode> policyEvents,
    JsonNode raw) {
  public PoolRouting {
    sides = sides == null ? Map.of() : Map.copyOf(sides);
    policyEvents = policyEvents == null ? List.of() : List.copyOf(policyEvents);
  }

  /** Would the pool still meet its guard if its largest member failed. */
  public record NPlusOne(boolean ok, int serving, int required, String reason) {}
}

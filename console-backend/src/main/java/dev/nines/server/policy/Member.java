package dev.nines.server.policy;

import dev.nines.protocol.RoutingState;
import dev.nines.server.health.Health;
import dev.nines.server.health.RuleIds;
import java.time.Instant;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * One member of a pool as the policy sees it: its health (and since when), the health rules firing
 * now, and its routing state (who set it, and since when).
 *
 * @param hostId the host
 * @param side the member's side ({@code blue}, {@code primary}, ...); null when the pool has no sides
 * @param health its current health
 * @param healthSince when it entered that health
 * @param firingRules the ids of the health rules firing now ({@link RuleIds}); null means none
 * @param routing its desired routing state
 * @param routingBy who set it: {@link Actors#POLICY}, {@link Actors#QUARANTINE}, {@link
 *     Actors#SYSTEM} or an operator ({@code operator:alice})
 * @param routingSince when it entered that routing state
 */
public record Member(
    String hostId,
    String side,
    Health health,
    Instant healthSince,
    Set<String> firingRules,
    RoutingState routing,
    String routingBy,
    Instant routingSince) {
  public Member {
    if (hostId == null || hostId.isBlank()) {
      throw new IllegalArgumentException("hostId is required");
    }
    if (side != null && side.isBlank()) {
      throw new IllegalArgumentException("side must be null or not blank (host " + hostId + ")");
    }
    if (health == null) {
      throw new IllegalArgumentException("health is required (host " + hostId + ")");
    }
    if (healthSince == null) {
      throw new IllegalArgumentException("healthSince is required (host " + hostId + ")");
    }
    if (routing == null) {
      throw new IllegalArgumentException("routing is required (host " + hostId + ")");
    }
    if (routingBy == null || routingBy.isBlank()) {
      throw new IllegalArgumentException("routingBy is required (host " + hostId + ")");
    }
    if (routingSince == null) {
      throw new IllegalArgumentException("routingSince is required (host " + hostId + ")");
    }
    // sorted, so that reasons that list the rules read the same every time
    firingRules = firingRules == null ? Set.of() : Collections.unmodifiableSortedSet(new TreeSet<>(firingRules));
  }

  /**
   * Silent: the backend hears nothing from it (UNKNOWN, or UNHEALTHY because its reports went
   * stale). The backend's own outage or restart looks exactly like this, so silence is acted on only
   * after the start-up grace and never when most of a pool is silent at once.
   */
  public boolean silent() {
    return health == Health.UNKNOWN
        || (health == Health.UNHEALTHY && firingRules.contains(RuleIds.STALE));
  }

  /** In rotation and HEALTHY or DEGRADED: it serves. */
  public boolean serving() {
    return routing == RoutingState.ACTIVE && (health == Health.HEALTHY || health == Health.DEGRADED);
  }

  /** A fatal GPU fault fires: {@code gpu-xid} or {@code gpu-ecc}. */
  public boolean gpuFault() {
    return firingRules.contains(RuleIds.GPU_XID) || firingRules.contains(RuleIds.GPU_ECC);
  }

  /** The fatal GPU rules firing, comma-separated (empty when none). */
  String gpuRules() {
    StringBuilder b = new StringBuilder();
    for (String r : firingRules) {
      if (r.equals(RuleIds.GPU_XID) || r.equals(RuleIds.GPU_ECC)) {
        b.append(b.length() == 0 ? "" : ", ").append(r);
      }
    }
    return b.toString();
  }

  /** A copy in another routing state. */
  public Member withRouting(RoutingState newRouting, String by, Instant since) {
    return new Member(hostId, side, health, healthSince, firingRules, newRouting, by, since);
  }

  /** A copy in another health. */
  public Member withHealth(Health newHealth, Instant since, Set<String> rules) {
    return new Member(hostId, side, newHealth, since, rules, routing, routingBy, routingSince);
  }
}

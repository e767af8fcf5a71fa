package dev.nines.server.policy;

import java.util.List;

/**
 * What a failover of a pool would do: bring {@code activate} up (to ACTIVE), wait until they serve,
 * then drain {@code drain}; then {@code toSide} is the active side.
 *
 * @param possible a failover can be attempted: the pool has sides and the standby side has at least
 *     one member that is HEALTHY or DEGRADED and not in MAINTENANCE
 * @param fromSide the active side now; null when the pool has no sides
 * @param toSide the standby side now; null when the pool has no sides
 * @param activate the standby members to bring up (HEALTHY or DEGRADED, not in MAINTENANCE), by host id
 * @param drain the active side's members in rotation now, by host id
 * @param reason a sentence for people
 */
public record FailoverPlan(
    boolean possible, String fromSide, String toSide, List<String> activate, List<String> drain, String reason) {
  public FailoverPlan {
    activate = activate == null ? List.of() : List.copyOf(activate);
    drain = drain == null ? List.of() : List.copyOf(drain);
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("reason is required");
    }
    if (possible && (fromSide == null || toSide == null)) {
      throw new IllegalArgumentException("fromSide and toSide are required when possible");
    }
    if (possible && activate.isEmpty()) {
      throw new IllegalArgumentException("activate must not be empty when possible");
    }
  }
}

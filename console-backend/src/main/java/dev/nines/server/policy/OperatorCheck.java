package dev.nines.server.policy;

import dev.nines.protocol.RoutingState;
import dev.nines.server.health.Health;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The guard's verdict on an operator's action, before it is taken: for the API's answer and its dry
 * run. Pure; the same rules as the automatic policy ({@link Policy}), but it only advises: an
 * operator may {@code force} past a refusal.
 */
public final class OperatorCheck {
  private OperatorCheck() {}

  /**
   * What draining {@code hostId} would do to the pool's guard. A host on the standby side, or already
   * out of rotation, takes no capacity away: allowed, {@code activeAfter == activeNow}.
   *
   * @throws IllegalArgumentException when the host is not a member of the pool
   */
  public static GuardVerdict drain(PoolSnapshot pool, String hostId) {
    Member m =
        pool.member(hostId)
            .orElseThrow(() -> new IllegalArgumentException("hostId " + hostId + " is not a member of pool " + pool.pool()));
    int activeNow = (int) pool.guardScope().stream().filter(x -> x.routing() == RoutingState.ACTIVE).count();
    int required = pool.required();
    String scope = pool.hasSides() ? "side " + pool.activeSide() + " of pool " + pool.pool() : "pool " + pool.pool();
    if (!pool.inGuardScope(m)) {
      return new GuardVerdict(true, activeNow, activeNow, required,
          hostId + " is on the standby side " + m.side() + "; the guard counts the active side " + pool.activeSide()
              + " (" + activeNow + " active, " + required + " required)");
    }
    if (m.routing() != RoutingState.ACTIVE) {
      return new GuardVerdict(true, activeNow, activeNow, required,
          hostId + " is already out of rotation (" + m.routing() + "); " + scope + " keeps " + activeNow
              + " active, " + required + " required");
    }
    int after = activeNow - 1;
    boolean allowed = after >= required;
    String reason =
        allowed
            ? "draining " + hostId + " leaves " + after + " of " + scope + " active; the guard requires " + required
            : "draining " + hostId + " would leave " + after + " of " + scope + " active, below the guard's "
                + required;
    return new GuardVerdict(allowed, activeNow, after, required, reason);
  }

  /**
   * What failing the pool over would do. Not possible when the pool has no sides, or when no standby
   * member is HEALTHY or DEGRADED (and out of MAINTENANCE).
   *
   * <p>On a pool with sides, the standby side is drained as a whole by design; a failover brings up
   * every standby member that can serve, whoever drained it. To keep one standby host out, put it in
   * MAINTENANCE.
   */
  public static FailoverPlan failover(PoolSnapshot pool) {
    return plan(pool, Member::routing);
  }

  /** The failover plan with each member's routing as {@code routing} says (the policy's working view). */
  static FailoverPlan plan(PoolSnapshot pool, Function<Member, RoutingState> routing) {
    if (!pool.hasSides()) {
      return new FailoverPlan(false, null, null, List.of(), List.of(),
          "pool " + pool.pool() + " has no sides to fail over between");
    }
    List<String> activate = new ArrayList<>();
    for (Member m : pool.standbyMembers()) {
      if (routing.apply(m) != RoutingState.MAINTENANCE
          && (m.health() == Health.HEALTHY || m.health() == Health.DEGRADED)) {
        activate.add(m.hostId());
      }
    }
    List<String> drain = new ArrayList<>();
    for (Member m : pool.guardScope()) {
      if (routing.apply(m) == RoutingState.ACTIVE) {
        drain.add(m.hostId());
      }
    }
    int standbySize = pool.standbyMembers().size();
    int standbyRequired = pool.settings().guard().requiredOf(standbySize);
    String from = pool.activeSide();
    String to = pool.standbySide();
    if (activate.isEmpty()) {
      return new FailoverPlan(false, from, to, List.of(), drain,
          "no member of the standby side " + to + " is HEALTHY or DEGRADED (out of MAINTENANCE); " + from
              + " stays active");
    }
    String reason =
        "bring up " + activate.size() + " of " + standbySize + " members of " + to + " " + activate
            + " (the guard requires " + standbyRequired + "), then drain " + drain.size() + " of " + from + " "
            + drain;
    return new FailoverPlan(true, from, to, activate, drain, reason);
  }
}

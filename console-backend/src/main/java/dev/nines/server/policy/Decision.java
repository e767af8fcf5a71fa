package dev.nines.server.policy;

import dev.nines.protocol.RoutingState;
import java.util.Locale;

/**
 * One thing the policy wants done. The caller carries it out through the routing service, setting
 * the routing to {@link #target()} with {@link #routingBy()} as the actor, and {@link #reason()} as
 * the why.
 *
 * @param kind what to do
 * @param hostId the host; null for FAILOVER
 * @param fromSide FAILOVER only: the side that stops serving
 * @param toSide FAILOVER only: the side that takes over
 * @param target the routing state the host goes to; null for FAILOVER (see {@code plan})
 * @param rule the policy rule that fired: {@link #AUTO_DRAIN}, {@link #AUTO_UNDRAIN}, {@link
 *     #QUARANTINE_RULE}, {@link #QUARANTINE_RELEASE}, {@link #AUTO_FAILOVER}
 * @param reason a sentence for people
 * @param plan FAILOVER only: which hosts to bring up, and which to drain once they serve
 */
public record Decision(
    Kind kind,
    String hostId,
    String fromSide,
    String toSide,
    RoutingState target,
    String rule,
    String reason,
    FailoverPlan plan) {
  public static final String AUTO_DRAIN = "auto-drain";
  public static final String AUTO_UNDRAIN = "auto-undrain";
  public static final String QUARANTINE_RULE = "quarantine";
  public static final String QUARANTINE_RELEASE = "quarantine-release";
  public static final String AUTO_FAILOVER = "auto-failover";

  /** What a decision does. */
  public enum Kind {
    /** ACTIVE -> DRAINING (graceful), by the policy. */
    DRAIN,
    /** DRAINING/DRAINED -> ACTIVE, only for a host the policy drained. */
    UNDRAIN,
    /** -> MAINTENANCE for a fatal GPU fault, by {@link Actors#QUARANTINE}. */
    QUARANTINE,
    /** MAINTENANCE by quarantine -> ACTIVE (or DRAINED on the standby side). */
    RELEASE,
    /** The standby side takes over; the active side is drained once it serves. */
    FAILOVER;

    /** The lower-case name, as events carry it as their action. */
    public String action() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Decision {
    if (kind == null) {
      throw new IllegalArgumentException("kind is required");
    }
    if (rule == null || rule.isBlank()) {
      throw new IllegalArgumentException("rule is required");
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("reason is required");
    }
    if (kind == Kind.FAILOVER) {
      if (hostId != null) {
        throw new IllegalArgumentException("hostId must be null for FAILOVER");
      }
      if (fromSide == null || toSide == null) {
        throw new IllegalArgumentException("fromSide and toSide are required for FAILOVER");
      }
      if (plan == null) {
        throw new IllegalArgumentException("plan is required for FAILOVER");
      }
    } else {
      if (hostId == null || hostId.isBlank()) {
        throw new IllegalArgumentException("hostId is required for " + kind);
      }
      if (target == null) {
        throw new IllegalArgumentException("target is required for " + kind);
      }
      if (fromSide != null || toSide != null || plan != null) {
        throw new IllegalArgumentException("fromSide, toSide and plan are for FAILOVER only (was " + kind + ")");
      }
    }
  }

  static Decision forHost(Kind kind, String hostId, RoutingState target, String rule, String reason) {
    return new Decision(kind, hostId, null, null, target, rule, reason, null);
  }

  static Decision failover(FailoverPlan plan, String reason) {
    return new Decision(
        Kind.FAILOVER, null, plan.fromSide(), plan.toSide(), null, AUTO_FAILOVER, reason, plan);
  }

  /** The actor to record: {@link Actors#QUARANTINE} for a quarantine, else {@link Actors#POLICY}. */
  public String routingBy() {
    return kind == Kind.QUARANTINE ? Actors.QUARANTINE : Actors.POLICY;
  }
}

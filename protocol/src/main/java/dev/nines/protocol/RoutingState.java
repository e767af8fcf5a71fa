package dev.nines.protocol;

/**
 * The routing state the backend wants a host in. The backend owns it; the agent and the other
 * actuators enforce it.
 */
public enum RoutingState {
  /** In rotation: takes new requests. */
  ACTIVE,
  /** No new requests; in-flight work is finishing. */
  DRAINING,
  /** Out of rotation; no work left. */
  DRAINED,
  /** Taken out by an operator (or a GPU quarantine) with a reason. */
  MAINTENANCE;

  /** True while a load balancer should send this host new requests. */
  public boolean takesTraffic() {
    return this == ACTIVE;
  }

  /**
   * The HAProxy agent-check word for this state. HAProxy only lifts an agent's earlier {@code drain}
   * on {@code ready}, so ACTIVE answers {@code ready up} (ready lifts drain/maint, up lifts a down).
   */
  public String agentCheckReply() {
    switch (this) {
      case ACTIVE:
        return "ready up";
      case DRAINING:
      case DRAINED:
        return "drain";
      case MAINTENANCE:
        return "maint";
      default:
        throw new AssertionError(this);
    }
  }
}

package dev.nines.protocol;

/**
 * The backend's answer to a report: whether it was stored, and the routing state the agent must
 * enforce locally.
 *
 * @param version protocol version
 * @param accepted the report is durably stored (now or earlier)
 * @param duplicate the (agentId, seq) had been stored before; nothing new was written
 * @param desired the routing state the agent must enforce
 * @param reason why the state is what it is (operator's reason, policy rule), or null
 * @param changedAtMs when the desired state last changed, epoch milliseconds
 * @param config settings the agent must apply, or null for "keep yours"
 */
public record ReportReply(
    int version,
    boolean accepted,
    boolean duplicate,
    RoutingState desired,
    String reason,
    long changedAtMs,
    AgentSettings config) {

  public ReportReply {
    Protocol.version(version);
    Check.required("desired", desired);
    Check.optionalText("reason", reason, 1024);
    Check.nonNegative("changedAtMs", changedAtMs);
  }

  /**
   * Settings the backend may push to an agent.
   *
   * @param intervalMs report interval, or null to keep the agent's own
   */
  public record AgentSettings(Long intervalMs) {
    public AgentSettings {
      if (intervalMs != null && (intervalMs < 1000 || intervalMs > 300_000)) {
        throw new IllegalArgumentException("config.intervalMs must be in 1000..300000 (was " + intervalMs + ")");
      }
    }
  }
}

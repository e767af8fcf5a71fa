package dev.nines.server.store;

/**
 * A stored report's key and when it was received: what a tail of the reports reads before it asks
 * for the bodies of the ones it has not seen.
 *
 * @param agentId the reporting host's id
 * @param seq the agent's sequence number
 * @param receivedAtMs when the receiving replica received it (its clock, epoch ms)
 */
public record ReportKey(String agentId, long seq, long receivedAtMs) {
  public ReportKey {
    if (agentId == null) {
      throw new IllegalArgumentException("agentId is required");
    }
  }
}

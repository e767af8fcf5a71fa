package dev.nines.server.store;

/**
 * A stored report's key and when it was received (and collected): what a tail of the reports reads
 * before it asks for the bodies of the ones it has not seen, and all a {@code report} event says.
 *
 * @param agentId the reporting host's id
 * @param seq the agent's sequence number
 * @param receivedAtMs when the receiving replica received it (its clock, epoch ms)
 * @param collectedAtMs when the agent collected it (the agent's clock, epoch ms); 0 when not known
 */
public record ReportKey(String agentId, long seq, long receivedAtMs, long collectedAtMs) {
  public ReportKey {
    if (agentId == null) {
      throw new IllegalArgumentException("agentId is required");
    }
  }

  /** A key to ask for a report by (its collection time not known). */
  public ReportKey(String agentId, long seq, long receivedAtMs) {
    this(agentId, seq, receivedAtMs, 0);
  }
}

package dev.nines.server.store;

/**
 * One validated report, ready to store.
 *
 * @param agentId the reporting host's id
 * @param seq the agent's sequence number
 * @param collectedAtMs when the agent collected it (agent clock)
 * @param receivedAtMs when the server received it (server clock)
 * @param pool the pool label, or null
 * @param labelsJson the labels as a JSON object
 * @param bodyJson the whole report as JSON
 */
public record ReportRecord(
    String agentId,
    long seq,
    long collectedAtMs,
    long receivedAtMs,
    String pool,
    String labelsJson,
    String bodyJson) {
  public ReportRecord {
    if (agentId == null || agentId.isEmpty()) {
      throw new IllegalArgumentException("agentId is required");
    }
    if (seq < 1) {
      throw new IllegalArgumentException("seq must be >= 1 (was " + seq + ")");
    }
    if (labelsJson == null) {
      throw new IllegalArgumentException("labelsJson is required");
    }
    if (bodyJson == null) {
      throw new IllegalArgumentException("bodyJson is required");
    }
  }
}

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
 * @param samples its numeric figures for the sample tables ({@link ReportSamples#NONE} for none)
 */
public record ReportRecord(
    String agentId,
    long seq,
    long collectedAtMs,
    long receivedAtMs,
    String pool,
    String labelsJson,
    String bodyJson,
    ReportSamples samples) {
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
    if (samples == null) {
      samples = ReportSamples.NONE;
    }
  }

  /** A report stored without samples. */
  public ReportRecord(
      String agentId, long seq, long collectedAtMs, long receivedAtMs, String pool, String labelsJson,
      String bodyJson) {
    this(agentId, seq, collectedAtMs, receivedAtMs, pool, labelsJson, bodyJson, ReportSamples.NONE);
  }
}

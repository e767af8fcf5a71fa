package dev.nines.server.store;

/**
 * A stored report as read back for figures over a range.
 *
 * @param agentId the host
 * @param seq its sequence number
 * @param receivedAtMs when the server received it (server clock)
 * @param bodyJson the whole report as JSON
 */
public record ReceivedReport(String agentId, long seq, long receivedAtMs, String bodyJson) {
  public ReceivedReport {
    if (agentId == null || agentId.isEmpty()) {
      throw new IllegalArgumentException("agentId is required");
    }
    if (bodyJson == null) {
      throw new IllegalArgumentException("bodyJson is required");
    }
  }
}

package dev.nines.server.store;

/**
 * What the store knows of one host.
 *
 * @param id host id (the agent id)
 * @param pool pool label of the latest report, or null
 * @param labelsJson labels of the latest report, a JSON object
 * @param firstSeenMs server time of its first stored report
 * @param lastSeenMs server time of its most recently received report
 * @param lastSeq highest stored seq
 * @param lastCollectedAtMs collection time of the report with the highest seq
 * @param lastReportJson the report with the highest seq, as JSON
 * @param routing its desired routing state
 */
public record HostRecord(
    String id,
    String pool,
    String labelsJson,
    long firstSeenMs,
    long lastSeenMs,
    long lastSeq,
    long lastCollectedAtMs,
    String lastReportJson,
    RoutingRecord routing) {
  public HostRecord {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("id is required");
    }
    if (routing == null) {
      throw new IllegalArgumentException("routing is required");
    }
  }
}

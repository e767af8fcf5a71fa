package dev.nines.server.store;

/**
 * One stored alert (table {@code alerts}). Times are epoch ms; JSON columns are stored as text.
 *
 * @param fingerprint stable id of the alert
 * @param alertname its rule
 * @param state {@code pending}, {@code firing} or {@code resolved}
 * @param labelsJson its labels (JSON object)
 * @param annotationsJson its annotations (JSON object)
 * @param activeSinceMs when its condition started holding (pending start)
 * @param startsAtMs when it started firing, or null while pending
 * @param endsAtMs when it resolved, or null
 * @param holdUntilMs for event-like alerts, until when they hold without their event; else null
 * @param ackBy who acknowledged it, or null
 * @param ackComment their comment, or null
 * @param ackAtMs when, or null
 * @param suppressedByJson silence ids and/or {@code maintenance} (JSON list)
 * @param updatedAtMs when the row was last written
 */
public record AlertRecord(
    String fingerprint, String alertname, String state, String labelsJson, String annotationsJson,
    long activeSinceMs, Long startsAtMs, Long endsAtMs, Long holdUntilMs, String ackBy, String ackComment,
    Long ackAtMs, String suppressedByJson, long updatedAtMs) {
  public AlertRecord {
    if (fingerprint == null || fingerprint.isBlank()) {
      throw new IllegalArgumentException("fingerprint is required");
    }
    if (alertname == null || alertname.isBlank()) {
      throw new IllegalArgumentException("alertname is required");
    }
    if (state == null || state.isBlank()) {
      throw new IllegalArgumentException("state is required");
    }
    if (labelsJson == null || annotationsJson == null || suppressedByJson == null) {
      throw new IllegalArgumentException("labelsJson, annotationsJson and suppressedByJson are required");
    }
  }
}

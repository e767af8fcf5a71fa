package dev.nines.server.store;

/**
 * What the alert engine last sent to one receiver's group of alerts (table {@code alert_groups}).
 *
 * @param groupKey the group (receiver id and group-by label values)
 * @param receiverId the receiver
 * @param groupLabelsJson the group-by labels and their values (JSON object)
 * @param firstSeenMs when the group was first seen (its group wait counts from here)
 * @param lastSentMs when its last message was made, or null before the first
 * @param sentJson the fingerprints sent as firing in the last message (JSON list)
 * @param seq messages made for this group so far (the event ids derive from it)
 * @param lastEventId the event id of the last message, or null
 * @param updatedAtMs when the row was last written
 */
public record AlertGroupRecord(
    String groupKey, String receiverId, String groupLabelsJson, long firstSeenMs, Long lastSentMs, String sentJson,
    long seq, String lastEventId, long updatedAtMs) {
  public AlertGroupRecord {
    if (groupKey == null || groupKey.isBlank()) {
      throw new IllegalArgumentException("groupKey is required");
    }
    if (receiverId == null || receiverId.isBlank()) {
      throw new IllegalArgumentException("receiverId is required");
    }
    if (groupLabelsJson == null || sentJson == null) {
      throw new IllegalArgumentException("groupLabelsJson and sentJson are required");
    }
  }
}

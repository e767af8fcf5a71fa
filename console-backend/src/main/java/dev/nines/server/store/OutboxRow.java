package dev.nines.server.store;

/**
 * One stored message of the alert outbox (table {@code outbox}).
 *
 * @param seq the order of enqueueing (assigned by the store; 0 before it is stored)
 * @param eventId the message's stable id (unique)
 * @param receiverId the receiver it is for
 * @param groupKey messages of one group are delivered in seq order
 * @param notificationJson the message as JSON
 * @param state {@link #PENDING}, {@link #DELIVERED} or {@link #DEAD}
 * @param attempts delivery attempts made so far
 * @param nextAttemptMs when it may be tried next (epoch ms)
 * @param createdMs when it was enqueued (epoch ms)
 * @param ageFromMs when its receiver's maxAge starts counting: the enqueue or the last re-drive
 * @param deliveredMs when a receiver accepted it, or null
 * @param lastStatus the HTTP status of the last attempt, or null (none yet, or no answer)
 * @param lastError what went wrong on the last attempt, or null
 */
public record OutboxRow(
    long seq,
    String eventId,
    String receiverId,
    String groupKey,
    String notificationJson,
    String state,
    int attempts,
    long nextAttemptMs,
    long createdMs,
    long ageFromMs,
    Long deliveredMs,
    Integer lastStatus,
    String lastError) {
  public static final String PENDING = "pending";
  public static final String DELIVERED = "delivered";
  public static final String DEAD = "dead";

  public OutboxRow {
    if (eventId == null || eventId.isBlank()) {
      throw new IllegalArgumentException("eventId is required");
    }
    if (eventId.length() > 128) {
      throw new IllegalArgumentException("eventId must be at most 128 characters");
    }
    if (receiverId == null || receiverId.isBlank()) {
      throw new IllegalArgumentException("receiverId is required");
    }
    if (groupKey == null || groupKey.isBlank()) {
      throw new IllegalArgumentException("groupKey is required");
    }
    if (notificationJson == null) {
      throw new IllegalArgumentException("notificationJson is required");
    }
    if (!PENDING.equals(state) && !DELIVERED.equals(state) && !DEAD.equals(state)) {
      throw new IllegalArgumentException("state must be pending, delivered or dead (was " + state + ")");
    }
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative");
    }
  }

  /** A new pending message, due at once. */
  public static OutboxRow pending(
      String eventId, String receiverId, String groupKey, String notificationJson, long createdMs) {
    return new OutboxRow(
        0, eventId, receiverId, groupKey, notificationJson, PENDING, 0, createdMs, createdMs, createdMs,
        null, null, null);
  }
}

package dev.nines.server.store;

/**
 * One stored alert receiver (table {@code receivers}).
 *
 * @param id the receiver's id
 * @param specJson the receiver as JSON, secret included
 * @param createdAtMs when it was created (epoch ms)
 * @param updatedAtMs when it was last replaced (epoch ms)
 */
public record ReceiverRecord(String id, String specJson, long createdAtMs, long updatedAtMs) {
  public ReceiverRecord {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("id is required");
    }
    if (specJson == null || specJson.isBlank()) {
      throw new IllegalArgumentException("specJson is required");
    }
  }
}

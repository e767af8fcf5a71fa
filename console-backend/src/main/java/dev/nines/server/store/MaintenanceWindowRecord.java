package dev.nines.server.store;

/**
 * One stored maintenance window (table {@code maintenance_windows}).
 *
 * @param id the window's id
 * @param pool the pool it covers, or null when it names hosts only
 * @param specJson its scope and schedule as JSON text (the maintenance package reads it)
 * @param comment why (never empty)
 * @param author who created it (the token's name)
 * @param createdAtMs when it was created (epoch ms)
 * @param cancelledAtMs when it was cancelled (epoch ms), or null while in force
 * @param cancelledBy who cancelled it, or null while in force
 */
public record MaintenanceWindowRecord(
    String id, String pool, String specJson, String comment, String author, long createdAtMs,
    Long cancelledAtMs, String cancelledBy) {
  public MaintenanceWindowRecord {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("id is required");
    }
    if (specJson == null || specJson.isBlank()) {
      throw new IllegalArgumentException("specJson is required");
    }
    if (comment == null || comment.isBlank()) {
      throw new IllegalArgumentException("comment is required");
    }
    if (author == null) {
      throw new IllegalArgumentException("author is required");
    }
    if ((cancelledAtMs == null) != (cancelledBy == null)) {
      throw new IllegalArgumentException("cancelledAtMs and cancelledBy go together");
    }
  }
}

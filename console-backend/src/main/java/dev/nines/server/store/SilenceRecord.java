package dev.nines.server.store;

/**
 * One stored silence (table {@code silences}).
 *
 * @param id its id
 * @param matchersJson its matchers as written ({@code pool="chat"}), a JSON list of strings
 * @param author who made it (the token's name)
 * @param comment why
 * @param startsAtMs from when it silences (epoch ms)
 * @param endsAtMs until when (exclusive); expiring a silence sets it to the time of expiry
 * @param createdAtMs when it was made
 * @param updatedAtMs when it was last changed
 */
public record SilenceRecord(
    String id, String matchersJson, String author, String comment, long startsAtMs, long endsAtMs,
    long createdAtMs, long updatedAtMs) {
  public SilenceRecord {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("id is required");
    }
    if (matchersJson == null) {
      throw new IllegalArgumentException("matchersJson is required");
    }
    if (author == null || comment == null) {
      throw new IllegalArgumentException("author and comment are required");
    }
  }
}

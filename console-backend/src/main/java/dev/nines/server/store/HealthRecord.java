package dev.nines.server.store;

/**
 * A host's current health as stored.
 *
 * @param hostId the host
 * @param state HEALTHY, DEGRADED, UNKNOWN or UNHEALTHY
 * @param sinceMs when it took that state (server clock, epoch ms)
 * @param reason a sentence for people
 * @param rulesJson the ids of the rules that caused it, a JSON array of strings
 */
public record HealthRecord(String hostId, String state, long sinceMs, String reason, String rulesJson) {
  public HealthRecord {
    if (hostId == null || hostId.isEmpty()) {
      throw new IllegalArgumentException("hostId is required");
    }
    if (state == null || state.isEmpty()) {
      throw new IllegalArgumentException("state is required");
    }
    if (reason == null) {
      throw new IllegalArgumentException("reason is required");
    }
    if (rulesJson == null) {
      throw new IllegalArgumentException("rulesJson is required");
    }
  }
}

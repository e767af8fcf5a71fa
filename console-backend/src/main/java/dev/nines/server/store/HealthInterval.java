package dev.nines.server.store;

/**
 * One stored stretch of a host's health, {@code [fromMs, toMs)}.
 *
 * @param hostId the host
 * @param state HEALTHY, DEGRADED, UNKNOWN or UNHEALTHY
 * @param fromMs when it began (server clock, epoch ms)
 * @param toMs when it ended, or null while it is the current state
 * @param rulesJson the ids of the rules that caused it, a JSON array of strings
 * @param reason a sentence for people
 * @param figuresJson the figures that caused it, a JSON object of rule id to figures
 */
public record HealthInterval(
    String hostId, String state, long fromMs, Long toMs, String rulesJson, String reason, String figuresJson) {
  public HealthInterval {
    if (hostId == null || hostId.isEmpty()) {
      throw new IllegalArgumentException("hostId is required");
    }
    if (state == null || state.isEmpty()) {
      throw new IllegalArgumentException("state is required");
    }
    if (toMs != null && toMs < fromMs) {
      throw new IllegalArgumentException("toMs must be >= fromMs (were " + toMs + ", " + fromMs + ")");
    }
    if (rulesJson == null || reason == null || figuresJson == null) {
      throw new IllegalArgumentException("rulesJson, reason and figuresJson are required");
    }
  }
}

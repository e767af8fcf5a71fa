package dev.nines.server.health;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One host's health and everything the rules remember between evaluations. Immutable: the judge
 * takes one and returns the next. Store it per host; start with {@link #initial(String, Instant)}.
 *
 * @param hostId the host
 * @param health its current health
 * @param since when it took that health
 * @param lastReportAt when the server received the host's latest report, or null if none yet
 * @param lastIntervalMs the report interval the agent declared last (0 if none yet)
 * @param pendingWorse the worse state that has held through {@code worseStreak} evaluations, or null
 * @param worseStreak consecutive evaluations that judged the host worse than {@code health}
 * @param pendingBetter the better state that has held through {@code betterStreak} evaluations, or null
 * @param betterStreak consecutive evaluations that judged the host better than {@code health}
 * @param generationFailures consecutive failed generation probes, by endpoint URL
 * @param requestWindow requests and errors of the latest reports, oldest first
 * @param slowVsPoolStreak consecutive reports in which the host was slower than the pool allows
 * @param eccUncorrectedByGpu the latest volatile uncorrectable ECC count, by GPU UUID
 * @param knownGpus every GPU UUID this host has reported
 * @param maxGpuCount the most GPUs it has reported at once
 */
public record HostHealthState(
    String hostId,
    Health health,
    Instant since,
    Instant lastReportAt,
    long lastIntervalMs,
    Health pendingWorse,
    int worseStreak,
    Health pendingBetter,
    int betterStreak,
    Map<String, Integer> generationFailures,
    List<RequestCount> requestWindow,
    int slowVsPoolStreak,
    Map<String, Long> eccUncorrectedByGpu,
    Set<String> knownGpus,
    int maxGpuCount) {

  public HostHealthState {
    if (hostId == null || hostId.isBlank()) {
      throw new IllegalArgumentException("hostId is required");
    }
    if (health == null) {
      throw new IllegalArgumentException("health is required");
    }
    if (since == null) {
      throw new IllegalArgumentException("since is required");
    }
    if (lastIntervalMs < 0) {
      throw new IllegalArgumentException("lastIntervalMs must be >= 0 (was " + lastIntervalMs + ")");
    }
    if (worseStreak < 0 || betterStreak < 0 || slowVsPoolStreak < 0 || maxGpuCount < 0) {
      throw new IllegalArgumentException("worseStreak, betterStreak, slowVsPoolStreak and maxGpuCount must be >= 0");
    }
    if ((pendingWorse == null) != (worseStreak == 0)) {
      throw new IllegalArgumentException("pendingWorse must be set exactly when worseStreak > 0");
    }
    if ((pendingBetter == null) != (betterStreak == 0)) {
      throw new IllegalArgumentException("pendingBetter must be set exactly when betterStreak > 0");
    }
    generationFailures = generationFailures == null ? Map.of() : Map.copyOf(generationFailures);
    requestWindow = requestWindow == null ? List.of() : List.copyOf(requestWindow);
    eccUncorrectedByGpu = eccUncorrectedByGpu == null ? Map.of() : Map.copyOf(eccUncorrectedByGpu);
    knownGpus = knownGpus == null ? Set.of() : Set.copyOf(knownGpus);
  }

  /** A host the judge has not seen yet: UNKNOWN, remembering nothing. */
  public static HostHealthState initial(String hostId, Instant since) {
    return new HostHealthState(
        hostId, Health.UNKNOWN, since, null, 0, null, 0, null, 0, Map.of(), List.of(), 0, Map.of(),
        Set.of(), 0);
  }

  /**
   * The same state, having forgotten the GPUs it knew: after an operator replaced or removed GPUs on
   * purpose, the next report's GPUs become the expected set (otherwise a missing GPU keeps the host
   * UNHEALTHY for good).
   */
  public HostHealthState withGpusForgotten() {
    return new HostHealthState(
        hostId, health, since, lastReportAt, lastIntervalMs, pendingWorse, worseStreak, pendingBetter,
        betterStreak, generationFailures, requestWindow, slowVsPoolStreak, Map.of(), Set.of(), 0);
  }

  /**
   * Requests finished and failed during one report's interval (0 and 0 when the report had none).
   *
   * @param requests requests finished
   * @param errors requests failed
   */
  public record RequestCount(long requests, long errors) {
    public RequestCount {
      if (requests < 0 || errors < 0 || errors > requests) {
        throw new IllegalArgumentException(
            "requestWindow entries need 0 <= errors <= requests (were " + errors + ", " + requests + ")");
      }
    }
  }
}

package dev.nines.server.health;

import java.time.Duration;
import java.util.Set;

/**
 * The thresholds of the health rules for one pool. Built once, validated here, frozen. Start from
 * {@link #defaults()} and override with {@link #toBuilder()}; every refusal names the field, in the
 * spelling the server's YAML config will use.
 *
 * @param staleAfterIntervals a report older than this many of the agent's intervals makes the host
 *     UNKNOWN
 * @param staleGrace how long a host stays UNKNOWN before it is UNHEALTHY
 * @param generationFailures consecutive failed or timed-out generation probes of one endpoint that
 *     make the host UNHEALTHY (a hung engine whose health page still says 200)
 * @param errorWindowReports how many recent reports the error ratio sums requests and errors over
 * @param errorMinRequests fewer requests than this in the window and the error ratio is not judged
 * @param errorRatioDegraded an error ratio above this is DEGRADED
 * @param errorRatioUnhealthy an error ratio above this is UNHEALTHY
 * @param latencyP95LimitMs a p95 latency above this is DEGRADED; null: no absolute limit
 * @param latencyVsPoolFactor a p95 more than this many times the pool's median p95 is a gray failure
 * @param latencyVsPoolReports consecutive reports the gray failure must last before it counts
 * @param latencyPoolMinMembers pool members with a p95 needed before there is a median
 * @param gpuTemperatureDegradedC a GPU at or above this temperature is DEGRADED
 * @param gpuTemperatureUnhealthyC a GPU at or above this temperature is UNHEALTHY
 * @param fatalXids XID codes that make the host UNHEALTHY at once
 * @param memoryAvailableMinRatio available memory below this share of the total is DEGRADED
 * @param failAfter consecutive evaluations a worse state must hold before the host takes it (the
 *     immediate rules, and the rules that count their own persistence, act at once)
 * @param recoverAfter consecutive evaluations a better state must hold before the host takes it
 */
public record HealthRules(
    int staleAfterIntervals,
    Duration staleGrace,
    int generationFailures,
    int errorWindowReports,
    long errorMinRequests,
    double errorRatioDegraded,
    double errorRatioUnhealthy,
    Double latencyP95LimitMs,
    double latencyVsPoolFactor,
    int latencyVsPoolReports,
    int latencyPoolMinMembers,
    double gpuTemperatureDegradedC,
    double gpuTemperatureUnhealthyC,
    Set<Long> fatalXids,
    double memoryAvailableMinRatio,
    int failAfter,
    int recoverAfter) {

  /** XIDs that mean the GPU or its driver state is lost: 48 DBE, 79 off the bus, 94/95 contained/uncontained ECC, 63/64 row remapping, 74 NVLink. */
  public static final Set<Long> DEFAULT_FATAL_XIDS = Set.of(48L, 79L, 94L, 95L, 63L, 64L, 74L);

  public HealthRules {
    atLeast("staleAfterIntervals", staleAfterIntervals, 1);
    if (staleGrace == null) {
      throw new IllegalArgumentException("staleGrace is required");
    }
    if (staleGrace.isNegative()) {
      throw new IllegalArgumentException("staleGrace must be >= 0 (was " + staleGrace + ")");
    }
    atLeast("generationFailures", generationFailures, 1);
    atLeast("errorWindowReports", errorWindowReports, 1);
    if (errorMinRequests < 1) {
      throw new IllegalArgumentException("errorMinRequests must be >= 1 (was " + errorMinRequests + ")");
    }
    ratio("errorRatioDegraded", errorRatioDegraded);
    ratio("errorRatioUnhealthy", errorRatioUnhealthy);
    if (errorRatioUnhealthy < errorRatioDegraded) {
      throw new IllegalArgumentException(
          "errorRatioUnhealthy (" + errorRatioUnhealthy + ") must be >= errorRatioDegraded ("
              + errorRatioDegraded + ")");
    }
    if (latencyP95LimitMs != null && !(Double.isFinite(latencyP95LimitMs) && latencyP95LimitMs > 0)) {
      throw new IllegalArgumentException(
          "latencyP95LimitMs must be a positive number or absent (was " + latencyP95LimitMs + ")");
    }
    if (!(Double.isFinite(latencyVsPoolFactor) && latencyVsPoolFactor > 1)) {
      throw new IllegalArgumentException(
          "latencyVsPoolFactor must be a number > 1 (was " + latencyVsPoolFactor + ")");
    }
    atLeast("latencyVsPoolReports", latencyVsPoolReports, 1);
    atLeast("latencyPoolMinMembers", latencyPoolMinMembers, 2);
    finite("gpuTemperatureDegradedC", gpuTemperatureDegradedC);
    finite("gpuTemperatureUnhealthyC", gpuTemperatureUnhealthyC);
    if (gpuTemperatureUnhealthyC < gpuTemperatureDegradedC) {
      throw new IllegalArgumentException(
          "gpuTemperatureUnhealthyC (" + gpuTemperatureUnhealthyC
              + ") must be >= gpuTemperatureDegradedC (" + gpuTemperatureDegradedC + ")");
    }
    if (fatalXids == null) {
      throw new IllegalArgumentException("fatalXids is required (may be empty)");
    }
    for (Long xid : fatalXids) {
      if (xid == null || xid < 0) {
        throw new IllegalArgumentException("fatalXids must hold non-negative codes (had " + xid + ")");
      }
    }
    fatalXids = Set.copyOf(fatalXids);
    ratio("memoryAvailableMinRatio", memoryAvailableMinRatio);
    atLeast("failAfter", failAfter, 1);
    atLeast("recoverAfter", recoverAfter, 1);
  }

  /** The documented defaults. */
  public static HealthRules defaults() {
    return new HealthRules(
        3, Duration.ofSeconds(60), 3, 6, 20, 0.05, 0.20, null, 3.0, 3, 3, 85.0, 95.0,
        DEFAULT_FATAL_XIDS, 0.05, 2, 3);
  }

  /** A builder holding these rules, to override some of them (e.g. for one pool). */
  public Builder toBuilder() {
    return new Builder(this);
  }

  private static void atLeast(String field, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(field + " must be >= " + min + " (was " + value + ")");
    }
  }

  private static void finite(String field, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(field + " must be a finite number (was " + value + ")");
    }
  }

  private static void ratio(String field, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(field + " must be a ratio in 0..1 (was " + value + ")");
    }
  }

  /** Mutable copy of a {@link HealthRules}; {@link #build()} validates. */
  public static final class Builder {
    private int staleAfterIntervals;
    private Duration staleGrace;
    private int generationFailures;
    private int errorWindowReports;
    private long errorMinRequests;
    private double errorRatioDegraded;
    private double errorRatioUnhealthy;
    private Double latencyP95LimitMs;
    private double latencyVsPoolFactor;
    private int latencyVsPoolReports;
    private int latencyPoolMinMembers;
    private double gpuTemperatureDegradedC;
    private double gpuTemperatureUnhealthyC;
    private Set<Long> fatalXids;
    private double memoryAvailableMinRatio;
    private int failAfter;
    private int recoverAfter;

    private Builder(HealthRules r) {
      staleAfterIntervals = r.staleAfterIntervals;
      staleGrace = r.staleGrace;
      generationFailures = r.generationFailures;
      errorWindowReports = r.errorWindowReports;
      errorMinRequests = r.errorMinRequests;
      errorRatioDegraded = r.errorRatioDegraded;
      errorRatioUnhealthy = r.errorRatioUnhealthy;
      latencyP95LimitMs = r.latencyP95LimitMs;
      latencyVsPoolFactor = r.latencyVsPoolFactor;
      latencyVsPoolReports = r.latencyVsPoolReports;
      latencyPoolMinMembers = r.latencyPoolMinMembers;
      gpuTemperatureDegradedC = r.gpuTemperatureDegradedC;
      gpuTemperatureUnhealthyC = r.gpuTemperatureUnhealthyC;
      fatalXids = r.fatalXids;
      memoryAvailableMinRatio = r.memoryAvailableMinRatio;
      failAfter = r.failAfter;
      recoverAfter = r.recoverAfter;
    }

    public Builder staleAfterIntervals(int v) {
      staleAfterIntervals = v;
      return this;
    }

    public Builder staleGrace(Duration v) {
      staleGrace = v;
      return this;
    }

    public Builder generationFailures(int v) {
      generationFailures = v;
      return this;
    }

    public Builder errorWindowReports(int v) {
      errorWindowReports = v;
      return this;
    }

    public Builder errorMinRequests(long v) {
      errorMinRequests = v;
      return this;
    }

    public Builder errorRatioDegraded(double v) {
      errorRatioDegraded = v;
      return this;
    }

    public Builder errorRatioUnhealthy(double v) {
      errorRatioUnhealthy = v;
      return this;
    }

    /** Null turns the absolute latency limit off. */
    public Builder latencyP95LimitMs(Double v) {
      latencyP95LimitMs = v;
      return this;
    }

    public Builder latencyVsPoolFactor(double v) {
      latencyVsPoolFactor = v;
      return this;
    }

    public Builder latencyVsPoolReports(int v) {
      latencyVsPoolReports = v;
      return this;
    }

    public Builder latencyPoolMinMembers(int v) {
      latencyPoolMinMembers = v;
      return this;
    }

    public Builder gpuTemperatureDegradedC(double v) {
      gpuTemperatureDegradedC = v;
      return this;
    }

    public Builder gpuTemperatureUnhealthyC(double v) {
      gpuTemperatureUnhealthyC = v;
      return this;
    }

    public Builder fatalXids(Set<Long> v) {
      fatalXids = v;
      return this;
    }

    public Builder memoryAvailableMinRatio(double v) {
      memoryAvailableMinRatio = v;
      return this;
    }

    public Builder failAfter(int v) {
      failAfter = v;
      return this;
    }

    public Builder recoverAfter(int v) {
      recoverAfter = v;
      return this;
    }

    public HealthRules build() {
      return new HealthRules(
          staleAfterIntervals, staleGrace, generationFailures, errorWindowReports, errorMinRequests,
          errorRatioDegraded, errorRatioUnhealthy, latencyP95LimitMs, latencyVsPoolFactor,
          latencyVsPoolReports, latencyPoolMinMembers, gpuTemperatureDegradedC,
          gpuTemperatureUnhealthyC, fatalXids, memoryAvailableMinRatio, failAfter, recoverAfter);
    }
  }
}

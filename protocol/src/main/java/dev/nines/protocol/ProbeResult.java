package dev.nines.protocol;

/**
 * The outcome of one active probe.
 *
 * @param ok the probe succeeded (2xx and, for generation, at least one token came back)
 * @param statusCode HTTP status, or null when no answer came
 * @param latencyMs time to the full answer (or to the failure)
 * @param timedOut the probe hit its timeout
 * @param error short description of the failure, or null
 * @param atMs epoch milliseconds when the probe started
 */
public record ProbeResult(
    boolean ok, Integer statusCode, double latencyMs, boolean timedOut, String error, long atMs) {

  public ProbeResult {
    if (statusCode != null && (statusCode < 100 || statusCode > 599)) {
      throw new IllegalArgumentException("probe.statusCode must be 100..599 (was " + statusCode + ")");
    }
    Check.nonNegative("probe.latencyMs", (Double) latencyMs);
    Check.optionalText("probe.error", error, 1024);
    Check.nonNegative("probe.atMs", atMs);
  }
}

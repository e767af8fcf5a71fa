package dev.nines.protocol;

/**
 * A model server's own figures for the interval, from its Prometheus page. Counters are turned
 * into deltas over the interval and histograms into percentiles of the interval's observations.
 * Null means "not offered by this server" or "no previous scrape to compare with".
 *
 * @param ok the scrape succeeded
 * @param error why it did not, or null
 * @param format which metric family was recognised: {@code vllm}, {@code triton}, {@code tgi}
 * @param requests requests finished during the interval
 * @param errors failed requests during the interval
 * @param latencyMeanMs mean end-to-end request latency during the interval (servers that only
 *     export a duration counter, such as Triton, offer just this)
 * @param latencyP50Ms median end-to-end request latency during the interval
 * @param latencyP95Ms 95th percentile
 * @param latencyP99Ms 99th percentile
 * @param running requests being processed at scrape time
 * @param waiting requests queued at scrape time
 * @param malformedLines lines of the page that could not be parsed (skipped)
 */
public record ServerStats(
    boolean ok,
    String error,
    String format,
    Long requests,
    Long errors,
    Double latencyMeanMs,
    Double latencyP50Ms,
    Double latencyP95Ms,
    Double latencyP99Ms,
    Double running,
    Double waiting,
    int malformedLines) {

  public ServerStats {
    Check.optionalText("scrape.error", error, 1024);
    Check.optionalText("scrape.format", format, 32);
    Check.nonNegative("scrape.requests", requests);
    Check.nonNegative("scrape.errors", errors);
    if (requests != null && errors != null && errors > requests) {
      throw new IllegalArgumentException(
          "scrape.errors (" + errors + ") exceeds scrape.requests (" + requests + ")");
    }
    Check.nonNegative("scrape.latencyMeanMs", latencyMeanMs);
    Check.nonNegative("scrape.latencyP50Ms", latencyP50Ms);
    Check.nonNegative("scrape.latencyP95Ms", latencyP95Ms);
    Check.nonNegative("scrape.latencyP99Ms", latencyP99Ms);
    Check.nonNegative("scrape.running", running);
    Check.nonNegative("scrape.waiting", waiting);
    Check.nonNegative("scrape.malformedLines", malformedLines);
  }

  /** A failed scrape. */
  public static ServerStats failed(String error) {
    return new ServerStats(false, error, null, null, null, null, null, null, null, null, null, 0);
  }
}

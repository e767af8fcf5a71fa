package dev.nines.agent.probe;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One scrape of a model server, normalised: cumulative totals as the server counts them, and the
 * gauges at scrape time. Every figure is null when the page does not offer it.
 *
 * @param kind which server's metric names were recognised
 * @param requestsSource which counters gave {@code requests} and {@code errors}; two snapshots
 *     with different sources cannot be subtracted
 * @param requests requests finished since the server started
 * @param errors server-side failures (5xx, failed inferences) since the server started
 * @param latency the end-to-end latency histogram, or null when the server has none
 * @param durationSeconds cumulative request duration, for servers with only a duration counter
 * @param durationCount requests counted in {@code durationSeconds}
 * @param quantilesSeconds a server-side summary: quantile (0.5, 0.95 ...) to seconds, computed by
 *     the server over its own recent window; empty when none
 * @param running requests being processed at scrape time
 * @param waiting requests queued at scrape time
 */
record ServerSnapshot(
    ServerKind kind,
    String requestsSource,
    Double requests,
    Double errors,
    Histogram latency,
    Double durationSeconds,
    Double durationCount,
    NavigableMap<Double, Double> quantilesSeconds,
    Double running,
    Double waiting) {

  ServerSnapshot {
    Objects.requireNonNull(kind, "kind");
    quantilesSeconds =
        Collections.unmodifiableNavigableMap(
            quantilesSeconds == null ? new TreeMap<>() : new TreeMap<>(quantilesSeconds));
  }
}

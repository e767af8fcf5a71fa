package dev.nines.agent.probe;

import dev.nines.protocol.ServerStats;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;

/**
 * The figures of one interval, from two successive snapshots. Pure.
 *
 * <p>Rules: the first scrape (no previous, or a previous of another server kind) gives no deltas,
 * only the gauges. When any cumulative figure went down between the two, the server restarted and
 * every counter started again from zero, so the current values are the deltas. Percentiles come
 * from the histogram's bucket deltas with linear interpolation inside the bucket, as Prometheus'
 * {@code histogram_quantile} does; a quantile that lands in the {@code +Inf} bucket is reported as
 * the largest finite bound. Where a server has no histogram, its own summary quantiles are used.
 */
final class Intervals {
  private Intervals() {}

  /**
   * The interval's statistics.
   *
   * @param previous the previous snapshot, or null for the first scrape
   * @param current this scrape
   * @param malformedLines lines of this scrape's page that did not parse
   */
  static ServerStats stats(ServerSnapshot previous, ServerSnapshot current, int malformedLines) {
    Objects.requireNonNull(current, "current");
    String format = current.kind().wireName();
    Double running = nonNegative(current.running());
    Double waiting = nonNegative(current.waiting());
    if (previous == null || previous.kind() != current.kind()) {
      return new ServerStats(
          true, null, format, null, null, null, null, null, null, running, waiting, malformedLines);
    }
    boolean restarted = restarted(previous, current);

    Long requests = null;
    Long errors = null;
    if (Objects.equals(previous.requestsSource(), current.requestsSource())) {
      requests = count(delta(previous.requests(), current.requests(), restarted));
      errors = count(delta(previous.errors(), current.errors(), restarted));
      if (requests != null && errors != null && errors > requests) {
        errors = requests; // counters scraped a moment apart; never report more errors than requests
      }
    }

    Double meanMs = null;
    Double p50 = null;
    Double p95 = null;
    Double p99 = null;
    Histogram hist = histogramDelta(previous.latency(), current.latency(), restarted);
    if (hist != null) {
      double observed = total(hist);
      if (hist.count() > 0 && hist.sumSeconds() >= 0) {
        meanMs = hist.sumSeconds() / hist.count() * 1000;
      }
      if (observed > 0) {
        p50 = ms(quantile(0.50, hist.buckets()));
        p95 = ms(quantile(0.95, hist.buckets()));
        p99 = ms(quantile(0.99, hist.buckets()));
      }
    } else {
      Double seconds = delta(previous.durationSeconds(), current.durationSeconds(), restarted);
      Double count = delta(previous.durationCount(), current.durationCount(), restarted);
      if (seconds != null && count != null && count > 0 && seconds >= 0) {
        meanMs = seconds / count * 1000;
      }
      NavigableMap<Double, Double> q = current.quantilesSeconds();
      if (!q.isEmpty() && count != null && count > 0) {
        p50 = ms(q.get(0.5));
        p95 = ms(q.get(0.95));
        p99 = ms(q.get(0.99));
      }
    }
    return new ServerStats(
        true, null, format, requests, errors, meanMs, p50, p95, p99, running, waiting,
        malformedLines);
  }

  /**
   * The {@code q} quantile of a cumulative histogram (upper bound to cumulative count), or null
   * when it holds no observation. Observations are taken as spread evenly inside their bucket; the
   * lowest bucket starts at 0 (latencies are not negative).
   */
  static Double quantile(double q, NavigableMap<Double, Double> cumulative) {
    if (cumulative.isEmpty()) {
      return null;
    }
    // Counts must not fall as bounds rise; a page that says so is read as Prometheus does.
    double total = 0;
    for (double c : cumulative.values()) {
      total = Math.max(total, c);
    }
    if (!(total > 0)) {
      return null;
    }
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    double largestFinite = Double.NaN;
    for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
      double upper = bucket.getKey();
      double count = Math.max(bucket.getValue(), lowerCount);
      if (count >= rank && count > lowerCount) {
        if (Double.isInfinite(upper)) {
          return Double.isNaN(largestFinite) ? null : largestFinite;
        }
        if (upper <= 0) {
          return upper;
        }
        return lowerBound + (upper - lowerBound) * (rank - lowerCount) / (count - lowerCount);
      }
      if (Double.isFinite(upper)) {
        largestFinite = upper;
        lowerBound = upper;
      }
      lowerCount = count;
    }
    // The page had no +Inf bucket and the rank lies above the last one.
    return Double.isNaN(largestFinite) ? null : largestFinite;
  }

  private static boolean restarted(ServerSnapshot previous, ServerSnapshot current) {
    if (decreased(previous.requests(), current.requests())
        || decreased(previous.errors(), current.errors())
        || decreased(previous.durationSeconds(), current.durationSeconds())
        || decreased(previous.durationCount(), current.durationCount())) {
      return true;
    }
    Histogram before = previous.latency();
    Histogram after = current.latency();
    return before != null && (after == null || before.decreasedIn(after));
  }

  private static boolean decreased(Double before, Double after) {
    return before != null && after != null && after < before;
  }

  /**
   * Current minus previous; the current value when the server restarted or the figure is new
   * (exporters that create a series on first use); null when the current page lacks it.
   */
  private static Double delta(Double before, Double after, boolean restarted) {
    if (after == null) {
      return null;
    }
    if (before == null || restarted) {
      return after;
    }
    return after - before;
  }

  private static Histogram histogramDelta(Histogram before, Histogram after, boolean restarted) {
    if (after == null) {
      return null;
    }
    if (before == null || restarted) {
      return after;
    }
    return before.until(after);
  }

  private static double total(Histogram h) {
    double total = 0;
    for (double c : h.buckets().values()) {
      total = Math.max(total, c);
    }
    return total;
  }

  private static Long count(Double value) {
    return value == null ? null : Math.max(0L, Math.round(value));
  }

  private static Double ms(Double seconds) {
    return seconds == null ? null : seconds * 1000;
  }

  private static Double nonNegative(Double value) {
    return value == null || !Double.isFinite(value) ? null : Math.max(0.0, value);
  }
}

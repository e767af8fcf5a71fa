package dev.nines.drills;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Every request of one load run and the instants of the steps taken during it. Pure: summaries are
 * computed from the samples. Times are nanoseconds since the run began.
 *
 * @param samples one per request, in the order they were due
 * @param marks when each step ran (label to nanoseconds since the start), in the order they ran
 * @param durationNanos how long requests were sent
 * @param originNanos the ticker's reading when the run began (to place other recordings, such as a
 *     {@link StatusWatch}, on the same time line)
 */
record LoadResult(
    List<LoadResult.Sample> samples, Map<String, Long> marks, long durationNanos, long originNanos) {

  /** The status of a request that got no HTTP answer (connection failure, timeout). */
  static final int NO_ANSWER = 0;

  /**
   * One request.
   *
   * @param dueNanos when it was due (open loop: start + i / rate)
   * @param sentNanos when it was handed to the client
   * @param endNanos when its answer (or failure) arrived
   * @param status HTTP status, or {@link #NO_ANSWER}
   * @param servedBy the {@code X-Served-By} header, or null when absent
   * @param error the failure (exception class and message) when there was no answer, else null
   */
  record Sample(long dueNanos, long sentNanos, long endNanos, int status, String servedBy, String error) {
    Sample {
      if (endNanos < dueNanos) {
        throw new IllegalArgumentException("endNanos must not be before dueNanos");
      }
    }

    boolean ok() {
      return status == 200;
    }

    /** Latency as the user sees it in an open-loop test: from when it was due to its end. */
    double latencyMs() {
      return (endNanos - dueNanos) / 1e6;
    }
  }

  LoadResult {
    samples = List.copyOf(samples);
    marks = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(marks));
    if (durationNanos < 0) {
      throw new IllegalArgumentException("durationNanos must be >= 0");
    }
  }

  /** When the step with this label ran. */
  long mark(String label) {
    Long t = marks.get(label);
    if (t == null) {
      throw new IllegalArgumentException("no step labelled " + label + " (have " + marks.keySet() + ")");
    }
    return t;
  }

  int total() {
    return samples.size();
  }

  long failed() {
    return samples.stream().filter(s -> !s.ok()).count();
  }

  /** Failed requests that were due in {@code [fromNanos, toNanos)}. */
  long failedBetween(long fromNanos, long toNanos) {
    return due(fromNanos, toNanos).stream().filter(s -> !s.ok()).count();
  }

  /** Requests due in {@code [fromNanos, toNanos)}. */
  List<Sample> due(long fromNanos, long toNanos) {
    return samples.stream().filter(s -> s.dueNanos() >= fromNanos && s.dueNanos() < toNanos).toList();
  }

  /** Nearest-rank percentile ({@code q} in 0..1) of the latency of every request, failed ones too. */
  OptionalDouble percentileMs(double q) {
    return percentileMs(q, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** Nearest-rank percentile of the latency of the requests due in {@code [fromNanos, toNanos)}. */
  OptionalDouble percentileMs(double q, long fromNanos, long toNanos) {
    if (!(q > 0 && q <= 1)) {
      throw new IllegalArgumentException("q must be in (0, 1] (was " + q + ")");
    }
    double[] ms = due(fromNanos, toNanos).stream().mapToDouble(Sample::latencyMs).sorted().toArray();
    if (ms.length == 0) {
      return OptionalDouble.empty();
    }
    int rank = (int) Math.ceil(q * ms.length);
    return OptionalDouble.of(ms[Math.max(0, rank - 1)]);
  }

  /**
   * Nearest-rank percentile of how late requests were handed to the client after they were due:
   * near 0 when the generator keeps up with its rate.
   */
  double sendLagMs(double q) {
    if (!(q > 0 && q <= 1)) {
      throw new IllegalArgumentException("q must be in (0, 1] (was " + q + ")");
    }
    double[] ms = samples.stream().mapToDouble(s -> (s.sentNanos() - s.dueNanos()) / 1e6).sorted().toArray();
    return ms.length == 0 ? 0 : ms[Math.max(0, (int) Math.ceil(q * ms.length) - 1)];
  }

  /** When the last request that {@code server} answered was sent. */
  OptionalLong lastSentTo(String server) {
    return samples.stream().filter(servedBy(server)).mapToLong(Sample::sentNanos).max();
  }

  /** When the first request sent at or after {@code afterNanos} that {@code server} answered was sent. */
  OptionalLong firstSentToAfter(String server, long afterNanos) {
    return samples.stream().filter(servedBy(server)).mapToLong(Sample::sentNanos)
        .filter(t -> t >= afterNanos).min();
  }

  /** Requests that {@code server} answered, sent in {@code [fromNanos, toNanos)}. */
  long sentTo(String server, long fromNanos, long toNanos) {
    return samples.stream().filter(servedBy(server))
        .filter(s -> s.sentNanos() >= fromNanos && s.sentNanos() < toNanos).count();
  }

  /** When the first failed request was due, if any failed. */
  OptionalLong firstFailure() {
    return samples.stream().filter(s -> !s.ok()).mapToLong(Sample::dueNanos).min();
  }

  /** When the last failed request was due, if any failed. */
  OptionalLong lastFailure() {
    return samples.stream().filter(s -> !s.ok()).mapToLong(Sample::dueNanos).max();
  }

  /** Requests without an {@code X-Served-By} header among those that got an HTTP 200. */
  long okWithoutServedBy() {
    return samples.stream().filter(Sample::ok).filter(s -> s.servedBy() == null).count();
  }

  /** Answered requests per server (by {@code X-Served-By}); failures without the header are left out. */
  Map<String, Long> perServer() {
    Map<String, Long> out = new TreeMap<>();
    for (Sample s : samples) {
      if (s.servedBy() != null) {
        out.merge(s.servedBy(), 1L, Long::sum);
      }
    }
    return out;
  }

  /** Answered requests per whole second of sending (key) and per server. */
  Map<Long, Map<String, Long>> perServerPerSecond() {
    Map<Long, Map<String, Long>> out = new TreeMap<>();
    for (Sample s : samples) {
      if (s.servedBy() != null) {
        out.computeIfAbsent(s.sentNanos() / 1_000_000_000L, k -> new TreeMap<>())
            .merge(s.servedBy(), 1L, Long::sum);
      }
    }
    return out;
  }

  /** Statuses and failures seen, e.g. {@code {200=2990, 503=10}} ({@code 0} for no answer). */
  Map<Integer, Long> statusCounts() {
    Map<Integer, Long> out = new TreeMap<>();
    for (Sample s : samples) {
      out.merge(s.status(), 1L, Long::sum);
    }
    return out;
  }

  /** A few distinct failure messages, for a test's failure message. */
  List<String> someErrors(int max) {
    List<String> out = new ArrayList<>();
    for (Sample s : samples) {
      String e = s.error() != null ? s.error() : (s.ok() ? null : "HTTP " + s.status());
      if (e != null && !out.contains(e)) {
        out.add(e);
        if (out.size() >= max) {
          break;
        }
      }
    }
    return out;
  }

  private static Predicate<Sample> servedBy(String server) {
    return s -> server.equals(s.servedBy());
  }

  /** Nanoseconds to seconds, for printing. */
  static double seconds(long nanos) {
    return nanos / 1e9;
  }
}

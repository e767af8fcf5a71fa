package dev.nines.console.client;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/hosts/{id}/metrics}: series re-bucketed to {@code step}.
 *
 * @param host the host
 * @param from first bucket, epoch ms (a rollup source moves it back to its bucket's start)
 * @param to end, epoch ms
 * @param step bucket width in ms
 * @param source {@code raw}, {@code 1m} or {@code 1h}
 * @param segments which source served which part
 * @param series one per metric and label set (GPU index, endpoint URL)
 */
public record HostMetricsSeries(
    String host, long from, long to, long step, String source, List<Segment> segments, List<Series> series) {
  public HostMetricsSeries {
    segments = segments == null ? List.of() : List.copyOf(segments);
    series = series == null ? List.of() : List.copyOf(series);
  }

  /** The series of one metric (any labels), in the server's order. */
  public List<Series> of(String metric) {
    return series.stream().filter(s -> s.metric().equals(metric)).toList();
  }

  /** Which source served {@code [from, to)}. */
  public record Segment(String source, long from, long to) {}

  /**
   * One series. Gauges: points {@code [t, avg, min, max]}; counts ({@code kind} {@code count}):
   * {@code [t, sum]}. A value may be null (nothing in that bucket).
   */
  public record Series(String metric, Map<String, String> labels, String kind, List<List<Double>> points) {
    public Series {
      labels = labels == null ? Map.of() : Map.copyOf(labels);
      points = points == null ? List.of() : points.stream().map(p -> java.util.Collections.unmodifiableList(new java.util.ArrayList<>(p))).toList();
    }

    /** Whether the points are {@code [t, sum]} counts rather than {@code [t, avg, min, max]} gauges. */
    public boolean isCount() {
      return "count".equals(kind);
    }
  }
}

package dev.nines.server.store;

import java.util.List;
import java.util.Map;

/**
 * One metric of one host (and one GPU or endpoint, by its labels) over a range, step by step.
 *
 * @param metric the metric name, e.g. {@code gpu_temperature_celsius}
 * @param labels {@code gpu} (its index) or {@code endpoint} (its URL); empty for host metrics
 * @param count true for counts (requests, errors): only the sum of a step means something
 * @param points steps with at least one sample, oldest first
 */
public record MetricSeries(String metric, Map<String, String> labels, boolean count, List<MetricPoint> points) {
  public MetricSeries {
    if (metric == null || metric.isEmpty()) {
      throw new IllegalArgumentException("metric is required");
    }
    labels = Map.copyOf(labels);
    points = List.copyOf(points);
  }
}

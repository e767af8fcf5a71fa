package dev.nines.server.store;

import java.util.List;

/** The metric names that {@link Store#series} serves. */
public final class SampleMetrics {
  /** Every metric name, host metrics first, then GPU, then endpoint metrics. */
  public static final List<String> NAMES = List.copyOf(SampleSchema.metricNames());

  private SampleMetrics() {}
}

package dev.nines.server.store;

import java.util.List;

/**
 * The answer to a series query: which source served which part of the range, and the series.
 *
 * @param segments the parts of {@code [from, to)} and the source each was read from, in time order
 * @param series one entry per metric and label set that had samples
 */
public record SeriesResult(List<Segment> segments, List<MetricSeries> series) {
  public SeriesResult {
    segments = List.copyOf(segments);
    series = List.copyOf(series);
  }

  /** {@code [fromMs, toMs)} was read from {@code source}. */
  public record Segment(Resolution source, long fromMs, long toMs) {}
}

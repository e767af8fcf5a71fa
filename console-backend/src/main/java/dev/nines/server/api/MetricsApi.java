package dev.nines.server.api;

import dev.nines.server.auth.Access;
import dev.nines.server.config.Durations;
import dev.nines.server.samples.Retention;
import dev.nines.server.samples.SeriesPlan;
import dev.nines.server.store.MetricPoint;
import dev.nines.server.store.MetricSeries;
import dev.nines.server.store.SampleMetrics;
import dev.nines.server.store.SeriesResult;
import dev.nines.server.store.Store;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/v1/hosts/{id}/metrics?from=&to=&step=&metric=}: one host's samples over a range,
 * re-aggregated to a step, from raw samples or the rollups as the step and retention demand.
 */
public final class MetricsApi {
  private final Store store;
  private final Access access;
  private final Clock clock;
  private final Retention retention;

  public MetricsApi(Store store, Access access, Clock clock, Retention retention) {
    this.store = store;
    this.access = access;
    this.clock = clock;
    this.retention = retention;
  }

  /** Which source served which part of the range. */
  public record SegmentView(String source, long from, long to) {}

  /**
   * One series. Gauges: points {@code [t, avg, min, max]}; counts: {@code [t, sum]}.
   *
   * @param kind {@code gauge} or {@code count}
   */
  public record SeriesView(String metric, Map<String, String> labels, String kind, List<List<Number>> points) {}

  /** The answer. */
  public record MetricsView(
      String host, long from, long to, long step, String source, List<SegmentView> segments,
      List<SeriesView> series) {}

  public void get(Context ctx) {
    access.require(ctx, Access.READERS);
    String id = ctx.pathParam("id");
    long now = clock.millis();
    Long to = ctx.queryParam("to") == null ? null : HostsApi.instant("to", ctx.queryParam("to"), now);
    Long from = ctx.queryParam("from") == null ? null : HostsApi.instant("from", ctx.queryParam("from"), now);
    Long step = step(ctx.queryParam("step"));
    Set<String> metrics = metrics(ctx.queryParams("metric"));
    SeriesPlan plan;
    try {
      plan = SeriesPlan.of(now, from, to, step, retention);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid parameter", e.getMessage());
    }
    if (store.host(id).isEmpty()) {
      throw new ApiException(404, "unknown host", "no host with id '" + id + "'");
    }
    SeriesResult r = store.series(id, plan.source(), plan.fromMs(), plan.toMs(), plan.stepMs(), metrics);
    List<SegmentView> segments = new ArrayList<>();
    for (SeriesResult.Segment s : r.segments()) {
      segments.add(new SegmentView(s.source().label(), s.fromMs(), s.toMs()));
    }
    List<SeriesView> series = new ArrayList<>();
    for (MetricSeries s : r.series()) {
      List<List<Number>> points = new ArrayList<>(s.points().size());
      for (MetricPoint p : s.points()) {
        points.add(s.count() ? List.of(p.t(), Math.round(p.sum())) : List.of(p.t(), p.avg(), p.min(), p.max()));
      }
      series.add(new SeriesView(s.metric(), s.labels(), s.count() ? "count" : "gauge", points));
    }
    ctx.json(
        new MetricsView(
            id, plan.fromMs(), plan.toMs(), plan.stepMs(), plan.source().label(), segments, series));
  }

  /** Epoch-free step: whole milliseconds, or a duration such as 30s, 5m, 1h. Null when absent. Pure. */
  static Long step(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    if (v.matches("\\d{1,12}")) {
      return Long.parseLong(v);
    }
    try {
      return Durations.positive("step", v).toMillis();
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid parameter", e.getMessage());
    }
  }

  /** The metric names asked for (repeated or comma-separated); empty for all. 400 for an unknown one. */
  static Set<String> metrics(List<String> values) {
    Set<String> out = new LinkedHashSet<>();
    for (String v : values) {
      for (String part : v.split(",")) {
        String name = part.strip();
        if (name.isEmpty()) {
          continue;
        }
        if (!SampleMetrics.NAMES.contains(name)) {
          throw new ApiException(
              400, "invalid parameter", "metric: unknown metric '" + name + "'; known: " + SampleMetrics.NAMES);
        }
        out.add(name);
      }
    }
    return out;
  }
}

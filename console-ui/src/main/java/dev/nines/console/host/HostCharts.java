package dev.nines.console.host;

import dev.nines.console.client.HostMetricsSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the host screen's charts show at one moment: the window, the step the backend used, the
 * charts and the shaded bands. Immutable; a new one replaces the old on every change.
 *
 * @param from window start
 * @param to window end
 * @param step bucket width the backend answered with
 * @param source the backend's source ({@code raw}, {@code 1m}, {@code 1h})
 * @param charts in screen order
 * @param bands outages, degraded stretches and maintenance, oldest first
 */
public record HostCharts(
    Instant from, Instant to, Duration step, String source, List<HostChart> charts, List<Shade> bands) {
  /** The metrics the host screen reads ({@code SampleMetrics.NAMES} of the backend). */
  public static final List<String> METRICS =
      List.of(
          "host_cpu_util_ratio", "host_memory_used_ratio", "gpu_util_ratio", "gpu_memory_used_ratio",
          "gpu_temperature_celsius", "gpu_power_watts", "endpoint_latency_p50_ms", "endpoint_latency_p95_ms",
          "endpoint_latency_p99_ms", "endpoint_requests", "endpoint_errors");

  /** No data yet. */
  public static final HostCharts EMPTY =
      new HostCharts(Instant.EPOCH, Instant.EPOCH, Duration.ZERO, "", List.of(), List.of());

  public HostCharts {
    if (from == null || to == null || step == null) {
      throw new IllegalArgumentException("from, to and step are required");
    }
    source = source == null ? "" : source;
    charts = charts == null ? List.of() : List.copyOf(charts);
    bands = bands == null ? List.of() : List.copyOf(bands);
  }

  /** The chart with {@code id}, or null. */
  public HostChart chart(String id) {
    return charts.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
  }

  /**
   * A shaded stretch of time.
   *
   * @param to null while it lasts
   */
  public record Shade(Instant from, Instant to, Kind kind, String label) {
    /** What it shades. */
    public enum Kind { OUTAGE, DEGRADED, MAINTENANCE }

    public Shade {
      if (from == null || kind == null) {
        throw new IllegalArgumentException("from and kind are required");
      }
      label = label == null ? "" : label;
    }
  }

  /** The charts of a host's series: every one stored by the backend, over the chosen range. */
  static List<HostChart> charts(HostMetricsSeries s) {
    List<HostChart> out = new ArrayList<>();
    out.add(new HostChart("cpu", "CPU", HostChart.Kind.RATIO, lines(s, "host_cpu_util_ratio", "CPU")));
    out.add(new HostChart("memory", "Memory", HostChart.Kind.RATIO, lines(s, "host_memory_used_ratio", "Memory")));
    out.add(new HostChart("gpu-util", "GPU utilisation", HostChart.Kind.RATIO, lines(s, "gpu_util_ratio", "GPU")));
    out.add(new HostChart("gpu-memory", "GPU memory", HostChart.Kind.RATIO, lines(s, "gpu_memory_used_ratio", "GPU")));
    out.add(new HostChart("gpu-temperature", "GPU temperature", HostChart.Kind.CELSIUS, lines(s, "gpu_temperature_celsius", "GPU")));
    out.add(new HostChart("gpu-power", "GPU power", HostChart.Kind.WATTS, lines(s, "gpu_power_watts", "GPU")));
    List<HostChart.Line> latency = new ArrayList<>();
    latency.addAll(lines(s, "endpoint_latency_p50_ms", "p50"));
    latency.addAll(lines(s, "endpoint_latency_p95_ms", "p95"));
    latency.addAll(lines(s, "endpoint_latency_p99_ms", "p99"));
    out.add(new HostChart("latency", "Endpoint latency", HostChart.Kind.MILLISECONDS, latency));
    out.add(new HostChart("errors", "Error ratio", HostChart.Kind.RATIO, errorRatio(s)));
    return out;
  }

  /** One line per series of {@code metric}: named {@code prefix} alone, or with its label (GPU 0). */
  static List<HostChart.Line> lines(HostMetricsSeries s, String metric, String prefix) {
    List<HostMetricsSeries.Series> of = s.of(metric);
    List<HostChart.Line> out = new ArrayList<>();
    for (HostMetricsSeries.Series series : of) {
      String name = prefix;
      if (!series.labels().isEmpty() && (of.size() > 1 || prefix.equals("GPU"))) {
        name = prefix + " " + series.labels().values().iterator().next();
      }
      int n = series.points().size();
      long[] t = new long[n];
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        List<Double> p = series.points().get(i);
        t[i] = p.get(0).longValue();
        Double value = p.size() > 1 ? p.get(1) : null;
        v[i] = value == null ? Double.NaN : value;
      }
      out.add(new HostChart.Line(name, t, v));
    }
    return out;
  }

  /** errors / requests per bucket, summed over the endpoints; NaN for a bucket without requests. */
  static List<HostChart.Line> errorRatio(HostMetricsSeries s) {
    TreeMap<Long, double[]> sums = new TreeMap<>();
    for (HostMetricsSeries.Series r : s.of("endpoint_requests")) {
      for (List<Double> p : r.points()) {
        if (p.size() > 1 && p.get(1) != null) {
          sums.computeIfAbsent(p.get(0).longValue(), k -> new double[2])[0] += p.get(1);
        }
      }
    }
    for (HostMetricsSeries.Series e : s.of("endpoint_errors")) {
      for (List<Double> p : e.points()) {
        if (p.size() > 1 && p.get(1) != null) {
          sums.computeIfAbsent(p.get(0).longValue(), k -> new double[2])[1] += p.get(1);
        }
      }
    }
    if (sums.isEmpty()) {
      return List.of();
    }
    long[] t = new long[sums.size()];
    double[] v = new double[sums.size()];
    int i = 0;
    for (Map.Entry<Long, double[]> e : sums.entrySet()) {
      t[i] = e.getKey();
      double requests = e.getValue()[0];
      v[i++] = requests > 0 ? Math.min(1, e.getValue()[1] / requests) : Double.NaN;
    }
    return List.of(new HostChart.Line("errors", t, v));
  }

  /**
   * {@code base} with its points from {@code tail.from()} on replaced by {@code tail}'s, and those
   * before {@code keepFromMs} dropped: how the screen appends the latest buckets without reading the
   * whole range again.
   */
  static HostMetricsSeries merge(HostMetricsSeries base, HostMetricsSeries tail, long keepFromMs) {
    Map<String, HostMetricsSeries.Series> byKey = new java.util.LinkedHashMap<>();
    for (HostMetricsSeries.Series s : base.series()) {
      List<List<Double>> kept =
          s.points().stream().filter(p -> p.get(0) >= keepFromMs && p.get(0) < tail.from()).toList();
      byKey.put(s.metric() + s.labels(), new HostMetricsSeries.Series(s.metric(), s.labels(), s.kind(), kept));
    }
    for (HostMetricsSeries.Series s : tail.series()) {
      String key = s.metric() + s.labels();
      HostMetricsSeries.Series old = byKey.get(key);
      List<List<Double>> points = new ArrayList<>(old == null ? List.of() : old.points());
      s.points().stream().filter(p -> p.get(0) >= keepFromMs).forEach(points::add);
      byKey.put(key, new HostMetricsSeries.Series(s.metric(), s.labels(), s.kind(), points));
    }
    return new HostMetricsSeries(
        base.host(), Math.max(base.from(), keepFromMs), tail.to(), base.step(), base.source(), tail.segments(),
        new ArrayList<>(byKey.values()));
  }
}

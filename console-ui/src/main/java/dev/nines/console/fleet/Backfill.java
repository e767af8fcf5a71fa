package dev.nines.console.fleet;

import dev.nines.console.client.HostMetricsSeries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last minutes of a host's figures from its stored series ({@code GET /hosts/{id}/metrics}), so a
 * sparkline has a history as soon as the fleet opens, not only from the reports seen since. Pure.
 */
final class Backfill {
  /** How far back. */
  static final Duration WINDOW = Duration.ofMinutes(5);
  /** One sample per this ({@link History#CAPACITY} over the window). */
  static final Duration STEP = Duration.ofSeconds(5);
  /** The series read. */
  static final String[] NAMES = {
    "host_cpu_util_ratio", "gpu_util_ratio", "gpu_temperature_celsius", "gpu_memory_used_ratio",
    "endpoint_latency_p95_ms", "endpoint_requests", "endpoint_errors"
  };

  private Backfill() {}

  /** One {@code Double[]} per bucket (indexed by {@link Metric#ordinal()}, null = not available), oldest first. */
  static List<Double[]> rows(HostMetricsSeries s) {
    int n = Metric.values().length;
    TreeMap<Long, double[]> acc = new TreeMap<>(); // per bucket: sums/counts/max per metric
    // layout per bucket: [cpuSum, cpuN, utilSum, utilN, tempMax, memSum, memN, p95Max, req, err]
    for (HostMetricsSeries.Series series : s.series()) {
      for (List<Double> p : series.points()) {
        if (p.size() < 2 || p.get(0) == null || p.get(1) == null) {
          continue;
        }
        long t = p.get(0).longValue();
        double v = p.get(1);
        double[] a = acc.computeIfAbsent(t, k -> {
          double[] init = new double[10];
          init[4] = Double.NaN;
          init[7] = Double.NaN;
          init[8] = Double.NaN;
          init[9] = Double.NaN;
          return init;
        });
        switch (series.metric()) {
          case "host_cpu_util_ratio":
            a[0] += v;
            a[1]++;
            break;
          case "gpu_util_ratio":
            a[2] += v;
            a[3]++;
            break;
          case "gpu_temperature_celsius":
            a[4] = Double.isNaN(a[4]) ? v : Math.max(a[4], v);
            break;
          case "gpu_memory_used_ratio":
            a[5] += v;
            a[6]++;
            break;
          case "endpoint_latency_p95_ms":
            a[7] = Double.isNaN(a[7]) ? v : Math.max(a[7], v);
            break;
          case "endpoint_requests":
            a[8] = Double.isNaN(a[8]) ? v : a[8] + v;
            break;
          case "endpoint_errors":
            a[9] = Double.isNaN(a[9]) ? v : a[9] + v;
            break;
          default:
            break;
        }
      }
    }
    List<Double[]> out = new ArrayList<>(acc.size());
    for (Map.Entry<Long, double[]> e : acc.entrySet()) {
      double[] a = e.getValue();
      Double[] row = new Double[n];
      row[Metric.CPU.ordinal()] = a[1] == 0 ? null : a[0] / a[1];
      row[Metric.GPU_UTIL.ordinal()] = a[3] == 0 ? null : a[2] / a[3];
      row[Metric.GPU_TEMP.ordinal()] = Double.isNaN(a[4]) ? null : a[4];
      row[Metric.GPU_MEM.ordinal()] = a[6] == 0 ? null : a[5] / a[6];
      row[Metric.LATENCY_P95.ordinal()] = Double.isNaN(a[7]) ? null : a[7];
      row[Metric.ERROR_RATIO.ordinal()] =
          Double.isNaN(a[8]) || Double.isNaN(a[9]) || a[8] <= 0 ? null : a[9] / a[8];
      out.add(row);
    }
    return out;
  }
}

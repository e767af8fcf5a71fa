package dev.nines.server.store;

import java.util.ArrayList;
import java.util.List;

/**
 * The sample tables of migration 003, described once, and the SQL built from that description
 * (inserts, rollups, deletes, range queries). Every statement is portable SQL.
 */
final class SampleSchema {
  /** One numeric column; {@code count} columns are summed, the others averaged. */
  record Metric(String column, String name, boolean count) {}

  /**
   * One family of tables: {@code raw}, {@code raw_1m}, {@code raw_1h}.
   *
   * @param keyColumn the column that tells rows of one host apart (GPU index, endpoint URL), or null
   * @param label the API label for that column
   */
  record Table(String raw, String keyColumn, String label, List<Metric> metrics) {
    String name(Resolution r) {
      return r == Resolution.RAW ? raw : raw + "_" + r.label();
    }

    String timeColumn(Resolution r) {
      return r == Resolution.RAW ? "ts_ms" : "bucket_ms";
    }

    private String keys() {
      return keyColumn == null ? "host_id" : "host_id, " + keyColumn;
    }

    /** INSERT of one raw row: host_id, [key,] ts_ms, then the metrics in order. */
    String insertRaw() {
      List<String> cols = new ArrayList<>(List.of(keys(), "ts_ms"));
      for (Metric m : metrics) {
        cols.add(m.column());
      }
      int params = 2 + (keyColumn == null ? 0 : 1) + metrics.size();
      return "INSERT INTO " + raw + " (" + String.join(", ", cols) + ") VALUES ("
          + String.join(", ", java.util.Collections.nCopies(params, "?")) + ")";
    }

    private String rollupColumns() {
      StringBuilder sb = new StringBuilder(keys()).append(", bucket_ms, samples");
      for (Metric m : metrics) {
        String c = m.column();
        if (m.count()) {
          sb.append(", ").append(c).append("_sum, ").append(c).append("_n");
        } else {
          sb.append(", ").append(c).append("_avg, ").append(c).append("_min, ")
              .append(c).append("_max, ").append(c).append("_n");
        }
      }
      return sb.toString();
    }

    /** Recomputes one bucket of {@code target} from its source. Params: bucket, from, to. */
    String rollUp(Resolution target) {
      Resolution source = target == Resolution.MINUTE ? Resolution.RAW : Resolution.MINUTE;
      StringBuilder sel = new StringBuilder(keys()).append(", ?");
      if (source == Resolution.RAW) {
        sel.append(", COUNT(*)");
        for (Metric m : metrics) {
          String c = m.column();
          if (m.count()) {
            sel.append(", SUM(").append(c).append("), COUNT(").append(c).append(")");
          } else {
            sel.append(", AVG(").append(c).append("), MIN(").append(c).append("), MAX(").append(c)
                .append("), COUNT(").append(c).append(")");
          }
        }
      } else {
        sel.append(", SUM(samples)");
        for (Metric m : metrics) {
          String c = m.column();
          if (m.count()) {
            sel.append(", SUM(").append(c).append("_sum), SUM(").append(c).append("_n)");
          } else {
            sel.append(", SUM(").append(c).append("_avg * ").append(c).append("_n) / NULLIF(SUM(")
                .append(c).append("_n), 0), MIN(").append(c).append("_min), MAX(").append(c)
                .append("_max), SUM(").append(c).append("_n)");
          }
        }
      }
      String time = timeColumn(source);
      return "INSERT INTO " + name(target) + " (" + rollupColumns() + ") SELECT " + sel + " FROM "
          + name(source) + " WHERE " + time + " >= ? AND " + time + " < ? GROUP BY " + keys();
    }

    String deleteBucket(Resolution target) {
      return "DELETE FROM " + name(target) + " WHERE bucket_ms = ?";
    }

    /**
     * The range query re-bucketed to a step. Params: origin, step, host, from, to. Columns: key
     * (when any), step index, then per metric sum, [min, max,] n.
     */
    String series(Resolution r) {
      String time = timeColumn(r);
      StringBuilder sel = new StringBuilder();
      if (keyColumn != null) {
        sel.append(keyColumn).append(", ");
      }
      sel.append("(").append(time).append(" - ?) / ? AS step_index");
      for (Metric m : metrics) {
        String c = m.column();
        if (r == Resolution.RAW) {
          sel.append(", SUM(").append(c).append(")");
          if (!m.count()) {
            sel.append(", MIN(").append(c).append("), MAX(").append(c).append(")");
          }
          sel.append(", COUNT(").append(c).append(")");
        } else if (m.count()) {
          sel.append(", SUM(").append(c).append("_sum), SUM(").append(c).append("_n)");
        } else {
          sel.append(", SUM(").append(c).append("_avg * ").append(c).append("_n), MIN(").append(c)
              .append("_min), MAX(").append(c).append("_max), SUM(").append(c).append("_n)");
        }
      }
      return "SELECT " + sel + " FROM " + name(r) + " WHERE host_id = ? AND " + time + " >= ? AND "
          + time + " < ? GROUP BY " + (keyColumn == null ? "" : keyColumn + ", ") + "step_index";
    }
  }

  static final Table HOST =
      new Table(
          "host_samples", null, null,
          List.of(
              gauge("cpu_util_ratio", "host_cpu_util_ratio"),
              gauge("memory_used_ratio", "host_memory_used_ratio"),
              gauge("memory_used_bytes", "host_memory_used_bytes"),
              gauge("load1", "host_load1"),
              gauge("net_rx_bytes_per_second", "host_network_receive_bytes_per_second"),
              gauge("net_tx_bytes_per_second", "host_network_transmit_bytes_per_second")));
  static final Table GPU =
      new Table(
          "gpu_samples", "gpu_index", "gpu",
          List.of(
              gauge("util_ratio", "gpu_util_ratio"),
              gauge("memory_used_ratio", "gpu_memory_used_ratio"),
              gauge("temperature_celsius", "gpu_temperature_celsius"),
              gauge("power_watts", "gpu_power_watts"),
              gauge("ecc_uncorrected", "gpu_ecc_uncorrected_errors")));
  static final Table ENDPOINT =
      new Table(
          "endpoint_samples", "endpoint", "endpoint",
          List.of(
              gauge("health_ok", "endpoint_health_ok_ratio"),
              gauge("health_latency_ms", "endpoint_health_latency_ms"),
              gauge("generation_ok", "endpoint_generation_ok_ratio"),
              gauge("generation_latency_ms", "endpoint_generation_latency_ms"),
              gauge("latency_p95_ms", "endpoint_latency_p95_ms"),
              new Metric("requests", "endpoint_requests", true),
              new Metric("errors", "endpoint_errors", true),
              // migration 011
              gauge("latency_p50_ms", "endpoint_latency_p50_ms"),
              gauge("latency_p99_ms", "endpoint_latency_p99_ms")));
  static final List<Table> TABLES = List.of(HOST, GPU, ENDPOINT);

  private SampleSchema() {}

  private static Metric gauge(String column, String name) {
    return new Metric(column, name, false);
  }

  /** Every metric name the API knows. */
  static List<String> metricNames() {
    List<String> out = new ArrayList<>();
    for (Table t : TABLES) {
      for (Metric m : t.metrics()) {
        out.add(m.name());
      }
    }
    return out;
  }
}

package dev.nines.server.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Random;

/**
 * For benchmarks: writes endpoint request counts straight into a closed store's file as retention
 * would have left them: 1-hour rollups before {@code hourEnd}, 1-minute rollups before {@code
 * minuteEnd}, raw 10 s samples after. About 60 requests per host and 10 s, 0.1 % errors.
 */
public final class BenchSamples {
  private BenchSamples() {}

  private static final String N_COLUMNS =
      "health_ok_n, health_latency_ms_n, generation_ok_n, generation_latency_ms_n, latency_p95_ms_n";

  /** Returns the rows written. */
  public static long write(String dbFile, List<String> hosts, long fromMs, long hourEnd, long minuteEnd, long toMs, long seed) {
    Random random = new Random(seed);
    long rows = 0;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile)) {
      c.setAutoCommit(false);
      for (String table : List.of("endpoint_samples_1h", "endpoint_samples_1m")) {
        long step = table.endsWith("1h") ? 3_600_000L : 60_000L;
        long from = table.endsWith("1h") ? fromMs : hourEnd;
        // As the rollup job leaves them: every complete hour rolled up to 1h (the minutes of the
        // last day kept beside them), the minutes of the last day, raw samples after.
        long to = table.endsWith("1h") ? Math.floorDiv(minuteEnd, 3_600_000L) * 3_600_000L : minuteEnd;
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO " + table + " (host_id, endpoint, bucket_ms, samples, " + N_COLUMNS
                    + ", requests_sum, requests_n, errors_sum, errors_n) VALUES (?, 'http://e:8000', ?, ?, 0, 0, 0, 0, 0, ?, ?, ?, ?)")) {
          for (String host : hosts) {
            for (long b = from; b < to; b += step) {
              long n = step / 10_000L;
              long requests = n * 60 + random.nextInt(100);
              ps.setString(1, host);
              ps.setLong(2, b);
              ps.setLong(3, n);
              ps.setLong(4, requests);
              ps.setLong(5, n);
              ps.setLong(6, random.nextInt(1000) == 0 ? requests / 10 : requests / 1000);
              ps.setLong(7, n);
              ps.addBatch();
              rows++;
            }
            ps.executeBatch();
          }
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO endpoint_samples (host_id, endpoint, ts_ms, requests, errors) VALUES (?, 'http://e:8000', ?, ?, ?)")) {
        for (String host : hosts) {
          // Raw samples for the last hour (retention keeps 48 h; the rollups cover them too).
          for (long t = toMs - 3_600_000L; t < toMs; t += 10_000L) {
            ps.setString(1, host);
            ps.setLong(2, t);
            ps.setLong(3, 55 + random.nextInt(10));
            ps.setLong(4, random.nextInt(200) == 0 ? 1 : 0);
            ps.addBatch();
            rows++;
          }
          ps.executeBatch();
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO rollup_state (resolution, through_ms) VALUES (?, ?)")) {
        ps.setString(1, "1m");
        ps.setLong(2, minuteEnd);
        ps.addBatch();
        ps.setString(1, "1h");
        ps.setLong(2, Math.floorDiv(minuteEnd, 3_600_000L) * 3_600_000L);
        ps.addBatch();
        ps.executeBatch();
      }
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException("writing the bench samples failed: " + e.getMessage(), e);
    }
    return rows;
  }
}

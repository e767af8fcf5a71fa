package dev.nines.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nines.server.availability.RequestCount;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleStoreTest extends OnBothBackends {
  /** An hour boundary (UTC): 2023-11-14T22:00:00Z. */
  static final long H = 1_700_000_000_000L / 3_600_000 * 3_600_000;
  static final long MIN = 60_000;
  static final long HOUR = 3_600_000;
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(H), ZoneOffset.UTC);
  Store store;

  @BeforeEach
  void open() {
    store = open("s.db", CLOCK);
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** A report of host h at ts with this cpu, one GPU at this temperature and one endpoint's counts. */
  static ReportRecord report(String host, long seq, long ts, double cpu, double gpuTemp, long requests, long errors) {
    ReportSamples s =
        new ReportSamples(
            new ReportSamples.HostSample(cpu, 0.5, 1e9, 1.0, 100.0, null),
            List.of(new ReportSamples.GpuSample(0, 0.9, 0.3, gpuTemp, 300.0, 0.0)),
            List.of(
                new ReportSamples.EndpointSample("http://e:8000", 1.0, 2.0, null, null, 80.0, requests, errors)));
    return new ReportRecord(host, seq, ts, ts + 100, "p", "{}", "{\"seq\":" + seq + "}", s);
  }

  long rows(String sql) {
    try (Connection c = connect("s.db");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  double value(String sql) {
    try (Connection c = connect("s.db");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      assertThat(rs.next()).as("a row for " + sql).isTrue();
      return rs.getDouble(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** cpu 0.2, 0.4, 0.9 in the minute at H; 0.6 exactly at H + 1 min (the next bucket). */
  void writeFour() {
    store.writeReports(
        List.of(
            report("h", 1, H + 10_000, 0.2, 60, 100, 1),
            report("h", 2, H + 30_000, 0.4, 70, 50, 0),
            report("h", 3, H + 59_999, 0.9, 80, 10, 10),
            report("h", 4, H + MIN, 0.6, 50, 40, 4)));
  }

  @Test
  void everyNewReportWritesItsSamplesAndADuplicateWritesNone() {
    writeFour();
    assertThat(rows("SELECT COUNT(*) FROM host_samples")).isEqualTo(4);
    assertThat(rows("SELECT COUNT(*) FROM gpu_samples")).isEqualTo(4);
    assertThat(rows("SELECT COUNT(*) FROM endpoint_samples")).isEqualTo(4);
    List<WriteResult> again = store.writeReports(List.of(report("h", 2, H + 30_000, 0.4, 70, 50, 0)));
    assertThat(again.get(0).duplicate()).isTrue();
    assertThat(rows("SELECT COUNT(*) FROM host_samples")).isEqualTo(4);
    assertThat(rows("SELECT COUNT(*) FROM endpoint_samples")).isEqualTo(4);
    assertThat(rows("SELECT COUNT(*) FROM rollup_dirty WHERE resolution = '1m'")).isEqualTo(2);
  }

  @Test
  void minuteRollupsMatchHandComputedFiguresAndOnlyCompleteBucketsAreRolled() {
    writeFour();
    RollupRun first = store.rollUp(H + MIN + 30_000, 0, 0, 100);
    assertThat(first.minuteBuckets()).isEqualTo(1); // the minute at H+1min is not complete yet
    assertThat(value("SELECT cpu_util_ratio_avg FROM host_samples_1m WHERE bucket_ms = " + H)).isCloseTo(0.5, within(1e-12));
    assertThat(value("SELECT cpu_util_ratio_min FROM host_samples_1m WHERE bucket_ms = " + H)).isEqualTo(0.2);
    assertThat(value("SELECT cpu_util_ratio_max FROM host_samples_1m WHERE bucket_ms = " + H)).isEqualTo(0.9);
    assertThat(rows("SELECT cpu_util_ratio_n FROM host_samples_1m WHERE bucket_ms = " + H)).isEqualTo(3);
    assertThat(rows("SELECT net_tx_bytes_per_second_n FROM host_samples_1m WHERE bucket_ms = " + H)).isZero();
    assertThat(value("SELECT temperature_celsius_avg FROM gpu_samples_1m WHERE bucket_ms = " + H)).isEqualTo(70.0);
    assertThat(rows("SELECT requests_sum FROM endpoint_samples_1m WHERE bucket_ms = " + H)).isEqualTo(160);
    assertThat(rows("SELECT errors_sum FROM endpoint_samples_1m WHERE bucket_ms = " + H)).isEqualTo(11);
    assertThat(rows("SELECT COUNT(*) FROM host_samples_1m WHERE bucket_ms = " + (H + MIN))).isZero();
    assertThat(store.rolledThrough(Resolution.MINUTE)).hasValue(H + MIN);
    assertThat(store.rolledThrough(Resolution.HOUR)).hasValue(H);

    store.rollUp(H + 2 * MIN, 0, 0, 100);
    assertThat(value("SELECT cpu_util_ratio_avg FROM host_samples_1m WHERE bucket_ms = " + (H + MIN))).isEqualTo(0.6);
  }

  @Test
  void hourRollupsWeighMinutesByTheirSampleCounts() {
    writeFour();
    store.rollUp(H + HOUR, 0, 0, 100);
    // (0.2 + 0.4 + 0.9 + 0.6) / 4, not the mean of the minute means (0.55)
    assertThat(value("SELECT cpu_util_ratio_avg FROM host_samples_1h WHERE bucket_ms = " + H)).isCloseTo(0.525, within(1e-12));
    assertThat(value("SELECT cpu_util_ratio_min FROM host_samples_1h WHERE bucket_ms = " + H)).isEqualTo(0.2);
    assertThat(value("SELECT cpu_util_ratio_max FROM host_samples_1h WHERE bucket_ms = " + H)).isEqualTo(0.9);
    assertThat(rows("SELECT samples FROM host_samples_1h WHERE bucket_ms = " + H)).isEqualTo(4);
    assertThat(rows("SELECT requests_sum FROM endpoint_samples_1h WHERE bucket_ms = " + H)).isEqualTo(200);
    assertThat(rows("SELECT errors_sum FROM endpoint_samples_1h WHERE bucket_ms = " + H)).isEqualTo(15);
    assertThat(store.rolledThrough(Resolution.HOUR)).hasValue(H + HOUR);
  }

  @Test
  void runningTheRollupTwiceChangesNothing() {
    writeFour();
    store.rollUp(H + HOUR, 0, 0, 100);
    RollupRun again = store.rollUp(H + HOUR, 0, 0, 100);
    assertThat(again.minuteBuckets() + again.hourBuckets()).isZero();
    assertThat(rows("SELECT COUNT(*) FROM host_samples_1m")).isEqualTo(2);
    assertThat(rows("SELECT COUNT(*) FROM gpu_samples_1h")).isEqualTo(1);
    assertThat(value("SELECT cpu_util_ratio_avg FROM host_samples_1h WHERE bucket_ms = " + H)).isCloseTo(0.525, within(1e-12));
  }

  @Test
  void aLateReportCorrectsItsMinuteAndItsHour() {
    writeFour();
    store.rollUp(H + HOUR, 0, 0, 100);
    store.writeReports(List.of(report("h", 5, H + 20_000, 0.1, 90, 0, 0)));
    RollupRun late = store.rollUp(H + HOUR + 10_000, 0, 0, 100);
    assertThat(late.minuteBuckets()).isEqualTo(1);
    assertThat(late.hourBuckets()).isEqualTo(1);
    assertThat(value("SELECT cpu_util_ratio_avg FROM host_samples_1m WHERE bucket_ms = " + H)).isCloseTo(0.4, within(1e-12));
    assertThat(value("SELECT cpu_util_ratio_min FROM host_samples_1m WHERE bucket_ms = " + H)).isEqualTo(0.1);
    assertThat(value("SELECT temperature_celsius_max FROM gpu_samples_1h WHERE bucket_ms = " + H)).isEqualTo(90.0);
    assertThat(value("SELECT cpu_util_ratio_avg FROM host_samples_1h WHERE bucket_ms = " + H)).isCloseTo(2.2 / 5, within(1e-12));
  }

  @Test
  void aChangedBucketWhoseRawSamplesAreGoneIsNotRecomputed() {
    writeFour();
    store.rollUp(H + HOUR, 0, 0, 100);
    store.writeReports(List.of(report("h", 5, H + 20_000, 0.1, 90, 0, 0)));
    RollupRun r = store.rollUp(H + 3 * HOUR, H + 2 * HOUR, 0, 100);
    assertThat(r.dropped()).isEqualTo(1);
    assertThat(value("SELECT cpu_util_ratio_avg FROM host_samples_1m WHERE bucket_ms = " + H)).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void retentionDeletesOlderRowsKeepsNewerAndAPrunedSeqStaysADuplicate() {
    writeFour(); // received at ts + 100
    store.rollUp(H + 2 * HOUR, 0, 0, 100);
    long cut = H + 40_000; // seq 1 and 2 received before, 3 and 4 after
    long deleted = 0;
    for (long n; (n = store.pruneReports(cut, 1_000)) > 0; ) {
      deleted += n;
    }
    assertThat(deleted).isEqualTo(2);
    assertThat(store.reportCount()).isEqualTo(2);
    long samples = 0;
    for (long n; (n = store.prune(Resolution.RAW, cut, 1_000)) > 0; ) {
      samples += n;
    }
    assertThat(samples).isEqualTo(6); // two rows in each of the three tables
    assertThat(rows("SELECT MIN(ts_ms) FROM host_samples")).isEqualTo(H + 59_999);

    List<WriteResult> replay =
        store.writeReports(
            List.of(report("h", 1, H + 10_000, 0.2, 60, 100, 1), report("h", 2, H + 30_000, 0.4, 70, 50, 0),
                report("h", 6, H + 2 * HOUR, 0.3, 50, 1, 0)));
    assertThat(replay).extracting(WriteResult::duplicate).containsExactly(true, true, false);
    assertThat(store.reportCount()).isEqualTo(3);
    assertThat(rows("SELECT COUNT(*) FROM host_samples")).isEqualTo(3);

    assertThat(store.prune(Resolution.MINUTE, H + MIN, 3_600_000)).isEqualTo(3);
    assertThat(rows("SELECT COUNT(*) FROM host_samples_1m")).isEqualTo(1);
    assertThat(store.prune(Resolution.MINUTE, H + MIN, 3_600_000)).isZero();
  }

  @Test
  void aPrunedSeqStaysADuplicateAfterTheStoreIsReopened() {
    writeFour();
    while (store.pruneReports(H + HOUR, 60_000) > 0) {
      // drain
    }
    store.close();
    store = open("s.db", CLOCK);
    assertThat(store.writeReports(List.of(report("h", 4, H + MIN, 0.6, 50, 40, 4))).get(0).duplicate()).isTrue();
    assertThat(store.writeReports(List.of(report("h", 5, H + MIN, 0.6, 50, 40, 4))).get(0).duplicate()).isFalse();
    assertThat(store.writeReports(List.of(report("other", 1, H + MIN, 0.6, 50, 40, 4))).get(0).duplicate()).isFalse();
  }

  @Test
  void seriesAreReBucketedToTheStepWithStepsThatStraddleMinutes() {
    writeFour();
    SeriesResult r = store.series("h", Resolution.RAW, H, H + 3 * MIN, 45_000, Set.of("host_cpu_util_ratio", "endpoint_requests"));
    assertThat(r.segments()).containsExactly(new SeriesResult.Segment(Resolution.RAW, H, H + 3 * MIN));
    assertThat(r.series()).extracting(MetricSeries::metric).containsExactly("host_cpu_util_ratio", "endpoint_requests");
    List<MetricPoint> cpu = r.series().get(0).points();
    // [H, H+45s): 0.2, 0.4; [H+45s, H+90s): 0.9, 0.6
    assertThat(cpu).extracting(MetricPoint::t).containsExactly(H, H + 45_000);
    assertThat(cpu.get(0).avg()).isCloseTo(0.3, within(1e-12));
    assertThat(cpu.get(1).min()).isEqualTo(0.6);
    assertThat(cpu.get(1).max()).isEqualTo(0.9);
    assertThat(r.series().get(1).labels()).containsEntry("endpoint", "http://e:8000");
    assertThat(r.series().get(1).points()).extracting(MetricPoint::sum).containsExactly(150.0, 50.0);
  }

  @Test
  void aRollupSourceIsReadUpToItsWatermarkAndRawSamplesAfter() {
    writeFour();
    store.rollUp(H + MIN + 1, 0, 0, 100); // minute H rolled, H+1min not yet
    // make the 1-minute rollup differ from raw so the test can tell which source served what
    try (Connection c = connect("s.db");
        Statement st = c.createStatement()) {
      st.execute("UPDATE host_samples_1m SET cpu_util_ratio_avg = 0.7 WHERE bucket_ms = " + H);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    SeriesResult r = store.series("h", Resolution.MINUTE, H, H + 2 * MIN, MIN, Set.of("host_cpu_util_ratio"));
    assertThat(r.segments())
        .containsExactly(
            new SeriesResult.Segment(Resolution.MINUTE, H, H + MIN), new SeriesResult.Segment(Resolution.RAW, H + MIN, H + 2 * MIN));
    List<MetricPoint> cpu = r.series().get(0).points();
    assertThat(cpu.get(0).avg()).isCloseTo(0.7, within(1e-12));
    assertThat(cpu.get(0).n()).isEqualTo(3);
    assertThat(cpu.get(1).avg()).isEqualTo(0.6);
    SeriesResult hourly = store.series("h", Resolution.HOUR, H, H + HOUR, HOUR, Set.of("host_cpu_util_ratio"));
    // no hour rolled yet: the minute rollup and then raw serve it, merged into one point
    assertThat(hourly.series().get(0).points()).singleElement().satisfies(p -> {
      assertThat(p.n()).isEqualTo(4);
      assertThat(p.avg()).isCloseTo((0.7 * 3 + 0.6) / 4, within(1e-12));
    });
  }

  @Test
  void requestCountsComeFromRawMinutesAndFromRollupsOnceRawIsGone() {
    writeFour();
    assertThat(store.requestCounts("h", H, H + HOUR))
        .containsExactly(
            new RequestCount(Instant.ofEpochMilli(H), 149, 160), new RequestCount(Instant.ofEpochMilli(H + MIN), 36, 40));
    assertThat(store.requestCounts("h", H + 20_000, H + HOUR))
        .containsExactly(
            new RequestCount(Instant.ofEpochMilli(H + 20_000), 50, 60), new RequestCount(Instant.ofEpochMilli(H + MIN), 36, 40));
    store.rollUp(H + 2 * HOUR, 0, 0, 100);
    // A whole hour that the hour rollups hold is read from them: one row, the same totals.
    assertThat(store.requestCounts("h", H, H + HOUR)).containsExactly(new RequestCount(Instant.ofEpochMilli(H), 185, 200));
    while (store.prune(Resolution.RAW, H + MIN + 1, 60_000) > 0) {
      // the raw minute at H is gone, and H+1min is cut
    }
    // A window that cuts the hour reads the minute rollups (below their watermark), summed per host
    // by the database into one count: the same totals.
    assertThat(store.requestCounts("h", H, H + HOUR - 1)).containsExactly(new RequestCount(Instant.ofEpochMilli(H), 185, 200));
    assertThat(store.requestCounts("h", H + MIN, H + HOUR - 1))
        .containsExactly(new RequestCount(Instant.ofEpochMilli(H + MIN), 36, 40));
    while (store.prune(Resolution.MINUTE, H + HOUR, 3_600_000) > 0) {
      // only the hour rollup is left
    }
    while (store.prune(Resolution.RAW, H + HOUR, 3_600_000) > 0) {
      // and no raw sample
    }
    assertThat(store.requestCounts("h", H, H + HOUR)).containsExactly(new RequestCount(Instant.ofEpochMilli(H), 185, 200));
    assertThat(store.requestCounts("nobody", H, H + HOUR)).isEmpty();
  }
}

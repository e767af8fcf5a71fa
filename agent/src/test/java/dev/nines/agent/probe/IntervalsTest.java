package dev.nines.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nines.protocol.ServerStats;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class IntervalsTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  private static TreeMap<Double, Double> buckets(double... boundThenCount) {
    TreeMap<Double, Double> map = new TreeMap<>();
    for (int i = 0; i < boundThenCount.length; i += 2) {
      map.put(boundThenCount[i], boundThenCount[i + 1]);
    }
    return map;
  }

  private static ServerSnapshot snapshot(
      double requests, double errors, Histogram latency, Double running) {
    return new ServerSnapshot(
        ServerKind.VLLM, "http_requests_total", requests, errors, latency, null, null, null,
        running, null);
  }

  @Test
  void interpolatesInsideTheBucket() {
    // 10 observations in (0, 1], 10 in (1, 2]: rank 5 -> 0.5, rank 15 -> 1.5
    TreeMap<Double, Double> b = buckets(1.0, 10, 2.0, 20, INF, 20);

    assertThat(Intervals.quantile(0.25, b)).isCloseTo(0.5, within(1e-12));
    assertThat(Intervals.quantile(0.75, b)).isCloseTo(1.5, within(1e-12));
    assertThat(Intervals.quantile(0.5, b)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void aQuantileInThePlusInfBucketIsTheLargestFiniteBound() {
    // 1 observation <= 0.5, 9 above 2.0: the median lies beyond every finite bound
    TreeMap<Double, Double> b = buckets(0.5, 1, 2.0, 1, INF, 10);

    assertThat(Intervals.quantile(0.5, b)).isEqualTo(2.0);
    assertThat(Intervals.quantile(0.99, b)).isEqualTo(2.0);
  }

  @Test
  void anEmptyHistogramHasNoQuantile() {
    assertThat(Intervals.quantile(0.5, buckets(1.0, 0, INF, 0))).isNull();
    assertThat(Intervals.quantile(0.5, new TreeMap<>())).isNull();
  }

  @Test
  void aHistogramWithoutPlusInfUsesItsLastBucket() {
    // 4 observations in (0, 1], total 4: p50 = 0.5
    assertThat(Intervals.quantile(0.5, buckets(1.0, 4))).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void aCounterResetUsesTheCurrentValuesForEveryFigure() {
    Histogram before = Histogram.of(Map.of(1.0, 90.0, INF, 100.0), 80.0, 100.0);
    Histogram after = Histogram.of(Map.of(1.0, 3.0, INF, 4.0), 2.0, 4.0);

    // Requests fell 1000 -> 4; the errors counter 2 -> 2 only looks unchanged: it restarted too.
    ServerStats stats =
        Intervals.stats(snapshot(1000, 2, before, 1.0), snapshot(4, 2, after, 1.0), 0);

    assertThat(stats.requests()).isEqualTo(4L);
    assertThat(stats.errors()).isEqualTo(2L);
    assertThat(stats.latencyMeanMs()).isCloseTo(500.0, within(1e-9)); // 2 s / 4
  }

  @Test
  void noObservationsInTheIntervalMeansNoLatency() {
    Histogram same = Histogram.of(Map.of(1.0, 5.0, INF, 5.0), 2.0, 5.0);

    ServerStats stats = Intervals.stats(snapshot(5, 0, same, 0.0), snapshot(5, 0, same, 0.0), 0);

    assertThat(stats.requests()).isZero();
    assertThat(stats.errors()).isZero();
    assertThat(stats.latencyMeanMs()).isNull();
    assertThat(stats.latencyP50Ms()).isNull();
  }

  @Test
  void neverReportsMoreErrorsThanRequests() {
    // Counters read a moment apart: errors moved by 3, requests by 2.
    ServerStats stats =
        Intervals.stats(snapshot(10, 0, null, null), snapshot(12, 3, null, null), 0);

    assertThat(stats.requests()).isEqualTo(2L);
    assertThat(stats.errors()).isEqualTo(2L);
  }

  @Test
  void countersFromDifferentSourcesAreNotSubtracted() {
    ServerSnapshot fromSuccess =
        new ServerSnapshot(
            ServerKind.VLLM, "vllm:request_success_total", 500.0, null, null, null, null, null,
            null, null);
    ServerSnapshot fromHttp = snapshot(3, 0, null, null);

    ServerStats stats = Intervals.stats(fromSuccess, fromHttp, 0);

    assertThat(stats.requests()).isNull();
    assertThat(stats.errors()).isNull();
  }
}

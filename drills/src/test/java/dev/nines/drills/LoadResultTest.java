package dev.nines.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadResultTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000 * MS;

  /** A request due at {@code dueMs}, sent 1 ms later, ending {@code latencyMs} after it was due. */
  private static LoadResult.Sample sample(long dueMs, long latencyMs, int status, String server) {
    return new LoadResult.Sample(dueMs * MS, (dueMs + 1) * MS, (dueMs + latencyMs) * MS, status, server,
        status == LoadResult.NO_ANSWER ? "timeout" : null);
  }

  @Test
  void percentilesUseNearestRankWithinTheWindowOfDueTimes() {
    List<LoadResult.Sample> samples = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      samples.add(sample(i * 10, i, 200, "s1")); // due 10..1000 ms, latency 1..100 ms
    }
    LoadResult r = new LoadResult(samples, Map.of(), S, 0);

    assertThat(r.percentileMs(0.5).orElseThrow()).isCloseTo(50, within(1e-9));
    assertThat(r.percentileMs(0.99).orElseThrow()).isCloseTo(99, within(1e-9));
    assertThat(r.percentileMs(1.0).orElseThrow()).isCloseTo(100, within(1e-9));
    // Due in [500, 600) ms: i = 50..59, latencies 50..59.
    assertThat(r.percentileMs(0.5, 500 * MS, 600 * MS).orElseThrow()).isCloseTo(54, within(1e-9));
    assertThat(r.percentileMs(0.5, 5 * S, 6 * S)).isEmpty();
    assertThat(r.sendLagMs(0.99)).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void countsFailuresOverallAndInAWindowWithTheirSpan() {
    LoadResult r = new LoadResult(List.of(
        sample(0, 30, 200, "s1"),
        sample(100, 30, 503, null),
        sample(200, 30, LoadResult.NO_ANSWER, null),
        sample(300, 30, 200, "s2"),
        sample(400, 30, 504, "s2")), Map.of(), S, 0);

    assertThat(r.total()).isEqualTo(5);
    assertThat(r.failed()).isEqualTo(3);
    assertThat(r.failedBetween(0, 150 * MS)).isEqualTo(1);
    assertThat(r.firstFailure()).hasValue(100 * MS);
    assertThat(r.lastFailure()).hasValue(400 * MS);
    assertThat(r.statusCounts()).containsExactly(Map.entry(0, 1L), Map.entry(200, 2L),
        Map.entry(503, 1L), Map.entry(504, 1L));
    assertThat(r.someErrors(5)).containsExactly("HTTP 503", "timeout", "HTTP 504");
  }

  @Test
  void findsTheLastRequestToAServerAndTheFirstAfterAnInstant() {
    LoadResult r = new LoadResult(List.of(
        sample(0, 30, 200, "s1"),
        sample(100, 30, 200, "s2"),
        sample(1200, 30, 200, "s2"),
        sample(5000, 30, 200, "s1"),
        sample(7000, 30, 200, "s2")), Map.of("drain", 1000 * MS), 8 * S, 0);

    assertThat(r.mark("drain")).isEqualTo(1000 * MS);
    assertThat(r.lastSentTo("s2")).hasValue(7001 * MS);
    assertThat(r.lastSentTo("s3")).isEmpty();
    assertThat(r.firstSentToAfter("s2", 1300 * MS)).hasValue(7001 * MS);
    assertThat(r.sentTo("s2", r.mark("drain"), 5 * S)).isEqualTo(1);
    assertThat(r.perServer()).containsExactly(Map.entry("s1", 2L), Map.entry("s2", 3L));
    assertThat(r.perServerPerSecond()).containsOnlyKeys(0L, 1L, 5L, 7L);
    assertThat(r.perServerPerSecond().get(0L)).containsExactly(Map.entry("s1", 1L), Map.entry("s2", 1L));
    assertThat(r.okWithoutServedBy()).isZero();
  }
}

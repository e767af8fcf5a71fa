package dev.nines.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nines.protocol.ServerStats;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * From the hand-written pages of each server to the interval's figures. Every expected figure is
 * worked out by hand in the comment above it.
 */
class ServerPagesTest {

  private static ServerSnapshot snapshot(String fixture) {
    PromText.Page page = PromText.parse(Fixtures.read(fixture));
    return Recognisers.recognise(page).orElseThrow();
  }

  private static ServerStats interval(String previous, String current) {
    PromText.Page page = PromText.parse(Fixtures.read(current));
    return Intervals.stats(
        snapshot(previous), Recognisers.recognise(page).orElseThrow(), page.malformedLines());
  }

  // ------------------------------------------------------------------ vLLM

  @Test
  void recognisesVllmAndSumsItsEngines() {
    ServerSnapshot s = snapshot("vllm/scrape-1.prom");

    assertThat(s.kind()).isEqualTo(ServerKind.VLLM);
    // http_requests_total over inference handlers: chat 500 + 7 + 3, completions 80 (not /v1/models)
    assertThat(s.requests()).isEqualTo(590.0);
    assertThat(s.errors()).isEqualTo(3.0); // chat 5xx
    assertThat(s.running()).isEqualTo(7.0); // 4 + 3
    assertThat(s.waiting()).isEqualTo(0.0);
    assertThat(s.latency().count()).isEqualTo(574.0); // 310 + 264
    assertThat(s.latency().sumSeconds()).isEqualTo(642.75); // 352.25 + 290.5
    assertThat(s.latency().buckets().get(0.8)).isEqualTo(263.0); // 142 + 121
  }

  @Test
  void vllmIntervalFromTwoScrapes() {
    ServerStats stats = interval("vllm/scrape-1.prom", "vllm/scrape-2.prom");

    assertThat(stats.ok()).isTrue();
    assertThat(stats.format()).isEqualTo("vllm");
    // inference handlers: (655 + 9 + 8 + 125) - (500 + 7 + 3 + 80) = 797 - 590 = 207
    assertThat(stats.requests()).isEqualTo(207L);
    // chat 5xx: 8 - 3
    assertThat(stats.errors()).isEqualTo(5L);
    // sum (469.75 + 403.0) - (352.25 + 290.5) = 230 s over count (412 + 362) - (310 + 264) = 200
    // -> 1.15 s
    assertThat(stats.latencyMeanMs()).isCloseTo(1150.0, within(1e-9));
    // Bucket deltas, both engines, cumulative: le 0.3:0 0.5:20 0.8:80 1.0:130 1.5:170 2.0:186
    // 2.5:192 5.0:198 10.0:200 ... +Inf:200.
    // p50: rank 100 lies in (0.8, 1.0]: 0.8 + 0.2 * (100 - 80) / (130 - 80) = 0.88 s
    assertThat(stats.latencyP50Ms()).isCloseTo(880.0, within(1e-9));
    // p95: rank 190 lies in (2.0, 2.5]: 2.0 + 0.5 * (190 - 186) / (192 - 186) = 2.3333 s
    assertThat(stats.latencyP95Ms()).isCloseTo(2000.0 + 500.0 * 4 / 6, within(1e-9));
    // p99: rank 198 lies in (2.5, 5.0]: 2.5 + 2.5 * (198 - 192) / (198 - 192) = 5.0 s
    assertThat(stats.latencyP99Ms()).isCloseTo(5000.0, within(1e-9));
    assertThat(stats.running()).isEqualTo(12.0); // 7 + 5
    assertThat(stats.waiting()).isEqualTo(3.0); // 2 + 1
    assertThat(stats.malformedLines()).isZero();
  }

  @Test
  void vllmFirstScrapeHasGaugesButNoDeltas() {
    PromText.Page page = PromText.parse(Fixtures.read("vllm/scrape-2.prom"));
    ServerStats stats = Intervals.stats(null, Recognisers.recognise(page).orElseThrow(), 0);

    assertThat(stats.ok()).isTrue();
    assertThat(stats.requests()).isNull();
    assertThat(stats.errors()).isNull();
    assertThat(stats.latencyMeanMs()).isNull();
    assertThat(stats.latencyP50Ms()).isNull();
    assertThat(stats.running()).isEqualTo(12.0);
    assertThat(stats.waiting()).isEqualTo(3.0);
  }

  @Test
  void vllmRestartCountsFromZero() {
    // Going from scrape 2 back to scrape 1 is what a restarted server looks like: every counter
    // fell, so scrape 1's totals are the interval's figures.
    ServerStats stats = interval("vllm/scrape-2.prom", "vllm/scrape-1.prom");

    assertThat(stats.requests()).isEqualTo(590L);
    assertThat(stats.errors()).isEqualTo(3L);
    // 642.75 s / 574
    assertThat(stats.latencyMeanMs()).isCloseTo(642.75 / 574 * 1000, within(1e-9));
    // cumulative: 0.8:263 1.0:413 (222 + 191); rank 287: 0.8 + 0.2 * (287 - 263) / 150 = 0.832 s
    assertThat(stats.latencyP50Ms()).isCloseTo(832.0, within(1e-9));
  }

  @Test
  void vllmMalformedLinesAreSkippedCountedAndChangeNoFigure() {
    ServerStats clean = interval("vllm/scrape-1.prom", "vllm/scrape-2.prom");
    ServerStats dirty = interval("vllm/scrape-1.prom", "vllm/malformed.prom");

    assertThat(dirty.malformedLines()).isEqualTo(8);
    assertThat(dirty)
        .usingRecursiveComparison()
        .ignoringFields("malformedLines")
        .isEqualTo(clean);
  }

  @Test
  void vllmWithoutHttpMiddlewareFallsBackToSuccessCounterWithUnknownErrors() {
    String withoutHttp = withoutLines("vllm/scrape-2.prom", "http_requests");
    ServerSnapshot s = Recognisers.recognise(PromText.parse(withoutHttp)).orElseThrow();

    // request_success_total: engine 0 390 + 20 + 2, engine 1 347 + 14 + 1
    assertThat(s.requests()).isEqualTo(774.0);
    assertThat(s.errors()).isNull();
  }

  @Test
  void vllmCountsExactFiveHundredCodesAsErrorsAndIgnoresOtherHandlers() {
    PromText.Page page =
        PromText.parse(
            "vllm:num_requests_running{model_name=\"a\"} 1\n"
                + "vllm:num_requests_running{model_name=\"b\"} 2\n"
                + "http_requests_total{handler=\"/v1/completions\",method=\"POST\",status=\"200\"} 40\n"
                + "http_requests_total{handler=\"/v1/completions\",method=\"POST\",status=\"503\"} 2\n"
                + "http_requests_total{handler=\"/v1/completions\",method=\"POST\",status=\"404\"} 1\n"
                + "http_requests_total{handler=\"/generate\",method=\"POST\",status=\"500\"} 3\n"
                + "http_requests_total{handler=\"/tokenize\",method=\"POST\",status=\"500\"} 9\n");
    ServerSnapshot s = Recognisers.recognise(page).orElseThrow();

    assertThat(s.requests()).isEqualTo(46.0); // 40 + 2 + 1 + 3
    assertThat(s.errors()).isEqualTo(5.0); // 503 and 500, not 404, not /tokenize
    assertThat(s.running()).isEqualTo(3.0);
  }

  // ---------------------------------------------------------------- Triton

  @Test
  void tritonIntervalFromTwoScrapes() {
    ServerStats stats = interval("triton/scrape-1.prom", "triton/scrape-2.prom");

    assertThat(stats.format()).isEqualTo("triton");
    // successes: resnet50 12450 - 12000 = 450, bert_qa 3050 - 3000 = 50 -> 500
    // failures: resnet50 REJECTED +2, CANCELED +3, BACKEND +1; bert_qa BACKEND +1 -> 7
    assertThat(stats.requests()).isEqualTo(507L);
    // errors leave out CANCELED: 2 + 1 + 1
    assertThat(stats.errors()).isEqualTo(4L);
    // duration: (100050000 - 96000000) + (76500000 - 75000000) = 5550000 us over 500 -> 11.1 ms
    assertThat(stats.latencyMeanMs()).isCloseTo(11.1, within(1e-9));
    // summary quantiles, the slower model (bert_qa) stands: 29000, 41000, 52000 us
    assertThat(stats.latencyP50Ms()).isCloseTo(29.0, within(1e-9));
    assertThat(stats.latencyP95Ms()).isCloseTo(41.0, within(1e-9));
    assertThat(stats.latencyP99Ms()).isCloseTo(52.0, within(1e-9));
    // pending: 2 + 3 + 0; Triton has no "running" gauge
    assertThat(stats.waiting()).isEqualTo(5.0);
    assertThat(stats.running()).isNull();
  }

  @Test
  void tritonWithoutSummaryOffersOnlyTheMean() {
    ServerSnapshot before =
        Recognisers.recognise(PromText.parse(withoutLines("triton/scrape-1.prom", "summary")))
            .orElseThrow();
    ServerSnapshot after =
        Recognisers.recognise(PromText.parse(withoutLines("triton/scrape-2.prom", "summary")))
            .orElseThrow();

    ServerStats stats = Intervals.stats(before, after, 0);

    assertThat(stats.latencyMeanMs()).isCloseTo(11.1, within(1e-9));
    assertThat(stats.latencyP50Ms()).isNull();
    assertThat(stats.latencyP95Ms()).isNull();
    assertThat(stats.latencyP99Ms()).isNull();
  }

  @Test
  void tritonCrlfPageWithBrokenLinesGivesTheSameFigures() {
    ServerStats clean = interval("triton/scrape-1.prom", "triton/scrape-2.prom");
    ServerStats dirty = interval("triton/scrape-1.prom", "triton/malformed.prom");

    assertThat(dirty.malformedLines()).isEqualTo(3);
    assertThat(dirty).usingRecursiveComparison().ignoringFields("malformedLines").isEqualTo(clean);
  }

  // ------------------------------------------------------------------- TGI

  @Test
  void tgiIntervalFromTwoScrapes() {
    ServerStats stats = interval("tgi/scrape-1.prom", "tgi/scrape-2.prom");

    assertThat(stats.format()).isEqualTo("tgi");
    // tgi_request_count 1045 - 1000
    assertThat(stats.requests()).isEqualTo(45L);
    // failures: validation +2 and overloaded +2 (new series) are 4xx; generation 5 - 4 = 1
    assertThat(stats.errors()).isEqualTo(1L);
    // sum 1210.5 - 1150.5 = 60 s over count 1030 - 990 = 40 -> 1.5 s
    assertThat(stats.latencyMeanMs()).isCloseTo(1500.0, within(1e-9));
    // Bucket deltas (bounds 0.0001 * 1.5^k as the page writes them), cumulative:
    //   le 0.7481827642679213: 0, 1.122274146401882: 10, 1.683411219602823: 30,
    //   2.5251168294042348: 38, 3.787675244106352: 40, +Inf: 40
    // p50: rank 20 in (1.1223, 1.6834]: 1.122274146401882 + 0.561137073200941 * 10 / 20
    assertThat(stats.latencyP50Ms())
        .isCloseTo((1.122274146401882 + 1.683411219602823) / 2 * 1000, within(1e-9));
    // p95: rank 38 reaches the top of (1.6834, 2.5251]: 2.5251168294042348 s
    assertThat(stats.latencyP95Ms()).isCloseTo(2525.1168294042348, within(1e-9));
    // p99: rank 39.6 in (2.5251, 3.7877]: 2.5251168294042348 + 1.2625584147021172 * 1.6 / 2
    assertThat(stats.latencyP99Ms())
        .isCloseTo(
            (2.5251168294042348 + (3.787675244106352 - 2.5251168294042348) * 0.8) * 1000,
            within(1e-9));
    assertThat(stats.running()).isEqualTo(8.0); // tgi_batch_current_size
    assertThat(stats.waiting()).isEqualTo(3.0); // tgi_queue_size
  }

  @Test
  void tgiBrokenLinesAreCountedAndChangeNoFigure() {
    ServerStats clean = interval("tgi/scrape-1.prom", "tgi/scrape-2.prom");
    ServerStats dirty = interval("tgi/scrape-1.prom", "tgi/malformed.prom");

    assertThat(dirty.malformedLines()).isEqualTo(4);
    assertThat(dirty).usingRecursiveComparison().ignoringFields("malformedLines").isEqualTo(clean);
  }

  @Test
  void tgiBeforeItsFirstRequestCountsZeroAndTheNextScrapeCountsFromZero() {
    // TGI's exporter writes a counter only after its first increment.
    ServerSnapshot fresh =
        Recognisers.recognise(PromText.parse("tgi_queue_size 0\ntgi_batch_current_size 0\n"))
            .orElseThrow();
    ServerSnapshot later =
        Recognisers.recognise(PromText.parse(Fixtures.read("tgi/scrape-1.prom"))).orElseThrow();

    ServerStats stats = Intervals.stats(fresh, later, 0);

    assertThat(fresh.requests()).isZero();
    assertThat(stats.requests()).isEqualTo(1000L);
    assertThat(stats.errors()).isEqualTo(4L); // generation 4; validation 6 is the callers' doing
    assertThat(stats.latencyMeanMs()).isCloseTo(1150.5 / 990 * 1000, within(1e-9));
  }

  // --------------------------------------------------------------- general

  @Test
  void anUnknownPageIsNotRecognised() {
    assertThat(
            Recognisers.recognise(
                PromText.parse("# TYPE node_load1 gauge\nnode_load1 0.5\nup 1\n")))
        .isEmpty();
  }

  @Test
  void kindsDoNotMixBetweenScrapes() {
    // A different server answering on the same port: no deltas across kinds.
    ServerStats stats =
        Intervals.stats(snapshot("tgi/scrape-1.prom"), snapshot("vllm/scrape-2.prom"), 0);

    assertThat(stats.format()).isEqualTo("vllm");
    assertThat(stats.requests()).isNull();
  }

  private static String withoutLines(String fixture, String containing) {
    return Fixtures.read(fixture)
            .lines()
            .filter(line -> !line.contains(containing))
            .collect(Collectors.joining("\n"))
        + "\n";
  }
}

package dev.nines.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.agent.net.AgentHttp;
import dev.nines.protocol.EndpointReport;
import dev.nines.protocol.ProbeResult;
import dev.nines.protocol.ServerStats;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real HTTP against fake model servers on ephemeral loopback ports. */
class EndpointProbeTest {
  private static final long NOW_MS = 1_700_000_000_000L;
  private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW_MS), ZoneOffset.UTC);
  private final AgentHttp http = AgentHttp.create(Duration.ofSeconds(1));
  private FakeModelServer fake;

  @BeforeEach
  void start() throws IOException {
    fake = new FakeModelServer();
  }

  @AfterEach
  void stop() throws InterruptedException {
    fake.close();
  }

  private EndpointProbe probe(ProbeSettings settings) {
    return EndpointProbe.create(fake.baseUrl(), settings, http, clock);
  }

  @Test
  void healthyVllmServerGivesHealthGenerationAndTheIntervalsFigures() throws IOException {
    fake.pages = List.of(Fixtures.read("vllm/scrape-1.prom"), Fixtures.read("vllm/scrape-2.prom"));
    EndpointProbe probe = probe(ProbeSettings.defaults());

    EndpointReport first = probe.probe();
    EndpointReport second = probe.probe();

    assertThat(first.url()).isEqualTo(fake.baseUrl().toString());
    assertThat(first.kind()).isEqualTo("vllm");
    assertThat(first.health().ok()).isTrue();
    assertThat(first.health().statusCode()).isEqualTo(200);
    assertThat(first.health().atMs()).isEqualTo(NOW_MS);
    assertThat(first.health().latencyMs()).isPositive();
    assertThat(first.generation().ok()).isTrue();
    assertThat(first.generation().statusCode()).isEqualTo(200);
    assertThat(first.generation().error()).isNull();
    // First scrape: gauges only.
    assertThat(first.scrape().ok()).isTrue();
    assertThat(first.scrape().requests()).isNull();
    assertThat(first.scrape().running()).isEqualTo(7.0);

    // Second scrape: the figures worked out by hand in ServerPagesTest.vllmIntervalFromTwoScrapes.
    ServerStats stats = second.scrape();
    assertThat(stats.format()).isEqualTo("vllm");
    assertThat(stats.requests()).isEqualTo(207L);
    assertThat(stats.errors()).isEqualTo(5L);
    assertThat(stats.latencyMeanMs()).isCloseTo(1150.0, within(1e-9));
    assertThat(stats.latencyP50Ms()).isCloseTo(880.0, within(1e-9));
    assertThat(stats.latencyP95Ms()).isCloseTo(2000.0 + 500.0 * 4 / 6, within(1e-9));
    assertThat(stats.latencyP99Ms()).isCloseTo(5000.0, within(1e-9));
    assertThat(stats.running()).isEqualTo(12.0);
    assertThat(stats.waiting()).isEqualTo(3.0);

    // The generation probe asked for exactly one token of the model the server lists, which was
    // looked up once.
    assertThat(fake.modelCalls.get()).isEqualTo(1);
    assertThat(fake.completionBodies).hasSize(2);
    JsonNode body = new ObjectMapper().readTree(fake.completionBodies.get(0));
    assertThat(body.path("model").asText()).isEqualTo("fake-model");
    assertThat(body.path("prompt").asText()).isEqualTo("ping");
    assertThat(body.path("max_tokens").asInt()).isEqualTo(1);
    assertThat(body.path("temperature").asInt()).isZero();
  }

  @Test
  void theScrapeAnswersBeforeTheGenerationProbeStartsSoTheServersRunningFigureNeverCountsIt() throws IOException {
    fake.pages = List.of(Fixtures.read("vllm/scrape-1.prom"), Fixtures.read("vllm/scrape-2.prom"));
    fake.completionLatencyMs = 80;
    EndpointProbe probe = probe(ProbeSettings.defaults());
    for (int i = 0; i < 10; i++) {
      assertThat(probe.probe().generation().ok()).isTrue();
    }
    // A draining host is idle when its server runs nothing: the agent's own probe must not count.
    assertThat(fake.completionsAtScrape).hasSize(10).containsOnly(0);
  }

  @Test
  void hungServerIsCaughtByTheGenerationProbeWhileHealthSaysOk() {
    fake.completion = FakeModelServer.Completion.HANG;
    fake.pages = List.of(Fixtures.read("vllm/scrape-1.prom"));
    EndpointProbe probe =
        probe(
            ProbeSettings.defaults()
                .withModel("fake-model")
                .withGenerationTimeout(Duration.ofMillis(300)));

    long start = System.nanoTime();
    EndpointReport report = probe.probe();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(report.health().ok()).isTrue();
    assertThat(report.scrape().ok()).isTrue();
    ProbeResult generation = report.generation();
    assertThat(generation.ok()).isFalse();
    assertThat(generation.timedOut()).isTrue();
    assertThat(generation.statusCode()).isNull();
    assertThat(generation.error()).isEqualTo("no answer within 300 ms");
    assertThat(generation.latencyMs()).isGreaterThanOrEqualTo(250.0);
    // Bounded by the 300 ms limit (not the 2 s health or 10 s default limits), with slack for a
    // loaded machine.
    assertThat(took).isLessThan(Duration.ofMillis(3000));
  }

  @Test
  void serverAnswering500FailsTheGenerationProbeWithItsStatus() {
    fake.completion = FakeModelServer.Completion.FAIL_500;
    fake.pages = List.of(Fixtures.read("vllm/scrape-1.prom"));

    EndpointReport report = probe(ProbeSettings.defaults()).probe();

    assertThat(report.health().ok()).isTrue();
    assertThat(report.generation().ok()).isFalse();
    assertThat(report.generation().statusCode()).isEqualTo(500);
    assertThat(report.generation().timedOut()).isFalse();
    assertThat(report.generation().error()).isEqualTo("HTTP 500");
  }

  @Test
  void answerWithoutAChoiceIsAFailedGeneration() {
    fake.completion = FakeModelServer.Completion.NO_CHOICE;

    EndpointReport report = probe(ProbeSettings.defaults().withModel("m")).probe();

    assertThat(report.generation().ok()).isFalse();
    assertThat(report.generation().statusCode()).isEqualTo(200);
    assertThat(report.generation().error()).isEqualTo("answer held no choice");
  }

  @Test
  void unhealthyServerReportsItsHealthStatus() {
    fake.healthStatus = 503;

    EndpointReport report = probe(ProbeSettings.defaults()).probe();

    assertThat(report.health().ok()).isFalse();
    assertThat(report.health().statusCode()).isEqualTo(503);
    assertThat(report.health().error()).isEqualTo("HTTP 503");
  }

  @Test
  void serverThatIsNotListeningFailsEveryProbeWithoutThrowing() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    EndpointProbe probe =
        EndpointProbe.create(
            URI.create("http://127.0.0.1:" + port), ProbeSettings.defaults(), http, clock);

    EndpointReport report = probe.probe();

    assertThat(report.kind()).isEqualTo("unknown");
    for (ProbeResult result : List.of(report.health(), report.generation())) {
      assertThat(result.ok()).isFalse();
      assertThat(result.statusCode()).isNull();
      assertThat(result.timedOut()).isFalse();
      assertThat(result.error()).isEqualTo("connection refused");
      assertThat(result.atMs()).isEqualTo(NOW_MS);
    }
    assertThat(report.scrape().ok()).isFalse();
    assertThat(report.scrape().error()).isEqualTo("connection refused");
  }

  @Test
  void garbageMetricsPageFailsTheScrapeAndCountsItsLines() {
    fake.pages = List.of("<html>\n<body>\n{{{ not metrics ]]]\n</body>\n</html>\n");

    EndpointReport report = probe(ProbeSettings.defaults()).probe();

    assertThat(report.health().ok()).isTrue();
    assertThat(report.kind()).isEqualTo("unknown");
    assertThat(report.scrape().ok()).isFalse();
    assertThat(report.scrape().malformedLines()).isEqualTo(5);
    assertThat(report.scrape().error()).isEqualTo("not a Prometheus text page (5 malformed lines)");
  }

  @Test
  void metricsPageThatIsMissingFailsTheScrapeWithItsStatus() {
    fake.pages = List.of(); // 404

    EndpointReport report = probe(ProbeSettings.defaults()).probe();

    assertThat(report.scrape()).isEqualTo(ServerStats.failed("HTTP 404"));
  }

  @Test
  void tritonIsFoundByItsHealthPathAndPageAndGetsNoGenerationProbe() {
    fake.healthStatus = 404;
    fake.tritonHealthStatus = 200;
    fake.completion = FakeModelServer.Completion.NOT_FOUND;
    fake.pages =
        List.of(Fixtures.read("triton/scrape-1.prom"), Fixtures.read("triton/scrape-2.prom"));
    EndpointProbe probe = probe(ProbeSettings.defaults().withModel("resnet50"));

    EndpointReport first = probe.probe();
    int completionsAfterFirst = fake.completionCalls.get();
    EndpointReport second = probe.probe();

    assertThat(first.kind()).isEqualTo("triton");
    assertThat(first.health().ok()).isTrue();
    assertThat(first.generation()).isNull();
    assertThat(second.generation()).isNull();
    assertThat(fake.completionCalls.get()).isEqualTo(completionsAfterFirst); // not sent again
    assertThat(second.scrape().requests()).isEqualTo(507L);
    assertThat(second.scrape().latencyMeanMs()).isCloseTo(11.1, within(1e-9));
  }

  @Test
  void generationOffLeavesItOut() {
    EndpointReport report = probe(ProbeSettings.defaults().withGeneration(false)).probe();

    assertThat(report.generation()).isNull();
    assertThat(fake.completionCalls.get()).isZero();
  }

  @Test
  void theThreeProbesRunConcurrently() {
    // Each handler answers only once all three requests have arrived: probes sent one after the
    // other would leave the first waiting until its limit.
    fake.rendezvous = new CountDownLatch(3);
    fake.pages = List.of(Fixtures.read("vllm/scrape-1.prom"));
    EndpointProbe probe =
        probe(
            ProbeSettings.defaults()
                .withModel("fake-model")
                .withHealthTimeout(Duration.ofSeconds(3))
                .withScrapeTimeout(Duration.ofSeconds(3))
                .withGenerationTimeout(Duration.ofSeconds(3)));

    EndpointReport report = probe.probe();

    assertThat(report.health().ok()).isTrue();
    assertThat(report.generation().ok()).isTrue();
    assertThat(report.scrape().ok()).isTrue();
  }

  @Test
  void oversizedAnswerIsRefused() {
    fake.healthBodyBytes = EndpointProbe.MAX_ANSWER_BYTES + 1;

    EndpointReport report = probe(ProbeSettings.defaults().withGeneration(false)).probe();

    assertThat(report.health().ok()).isFalse();
    assertThat(report.health().error()).contains("answer larger than");
  }

  @Test
  void modelRefusedAfterARestartIsLookedUpAgain() {
    EndpointProbe probe = probe(ProbeSettings.defaults());
    probe.probe();
    fake.completion = FakeModelServer.Completion.NOT_FOUND;
    fake.modelId = "new-model";

    EndpointReport refused = probe.probe();
    fake.completion = FakeModelServer.Completion.ANSWER;
    EndpointReport answered = probe.probe();

    assertThat(refused.generation().statusCode()).isEqualTo(404);
    assertThat(answered.generation().ok()).isTrue();
    assertThat(fake.modelCalls.get()).isEqualTo(2);
    assertThat(fake.completionBodies.get(2)).contains("\"new-model\"");
  }

  @Test
  void createRefusesUrlsThatAreNotHttp() {
    assertThatThrownBy(
            () ->
                EndpointProbe.create(
                    URI.create("ftp://host/x"), ProbeSettings.defaults(), http, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("endpoint");
    assertThatThrownBy(
            () ->
                EndpointProbe.create(
                    URI.create("localhost:8000"), ProbeSettings.defaults(), http, clock))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

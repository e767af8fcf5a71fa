package dev.nines.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimServerHttpTest {
  static final String MODEL = "sim-test-model";
  static final String COMPLETION = "{\"model\":\"" + MODEL + "\",\"prompt\":\"hello there\",\"max_tokens\":4}";

  final ObjectMapper mapper = new ObjectMapper();
  SimFleet fleet;
  SimServer server;
  String url;

  @BeforeEach
  void start() {
    fleet = SimFleet.start(new SimConfig("127.0.0.1", 0, 2, 0, 5, 2, MODEL, 7L), Clock.systemUTC());
    server = fleet.servers().get(0);
    url = server.baseUrl();
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  JsonNode json(HttpResponse<String> r) throws Exception {
    return mapper.readTree(r.body());
  }

  HttpResponse<String> fault(String body) {
    return Http.post(url + "/sim/fault", body);
  }

  static double metric(String page, String series) {
    for (String line : page.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1));
      }
    }
    throw new AssertionError("no series " + series + " in\n" + page);
  }

  double metric(String series) {
    return metric(Http.get(url + "/metrics").body(), series);
  }

  static String http(String handler, String status) {
    return "http_requests_total{handler=\"" + handler + "\",method=\"POST\",status=\"" + status + "\"}";
  }

  static final String COUNT = "vllm:e2e_request_latency_seconds_count{model_name=\"" + MODEL + "\"}";
  static final String INF = "vllm:e2e_request_latency_seconds_bucket{model_name=\"" + MODEL + "\",le=\"+Inf\"}";

  @Test
  void completionWithOneMaxTokenReturnsExactlyOneTokenAndUsage() throws Exception {
    HttpResponse<String> r = Http.post(url + "/v1/completions",
        "{\"prompt\":\"say one word\",\"max_tokens\":1}");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = json(r);
    assertThat(body.get("object").asText()).isEqualTo("text_completion");
    assertThat(body.get("model").asText()).isEqualTo(MODEL);
    assertThat(body.get("id").asText()).startsWith("cmpl-");
    JsonNode choice = body.get("choices").get(0);
    assertThat(choice.get("text").asText().strip().split("\\s+")).hasSize(1);
    assertThat(choice.get("finish_reason").asText()).isEqualTo("length");
    assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(1);
    assertThat(body.at("/usage/prompt_tokens").asInt()).isPositive();
    assertThat(body.at("/usage/total_tokens").asInt())
        .isEqualTo(body.at("/usage/prompt_tokens").asInt() + 1);
  }

  @Test
  void chatCompletionAnswersAnAssistantMessageThatStopsWithoutMaxTokens() throws Exception {
    HttpResponse<String> r = Http.post(url + "/v1/chat/completions",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = json(r);
    assertThat(body.get("object").asText()).isEqualTo("chat.completion");
    assertThat(body.at("/choices/0/message/role").asText()).isEqualTo("assistant");
    assertThat(body.at("/choices/0/message/content").asText()).isNotBlank();
    assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(Completions.DEFAULT_MAX_TOKENS);
  }

  @Test
  void streamingAnswerIsServerSentEventsEndingWithDone() {
    HttpResponse<String> r = Http.post(url + "/v1/completions",
        "{\"prompt\":\"x\",\"max_tokens\":3,\"stream\":true}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("text/event-stream"));
    assertThat(List.of(r.body().split("\n\n"))).hasSize(5).last().isEqualTo("data: [DONE]");
  }

  @Test
  void modelsListsTheServedModelAndHealthAnswers() throws Exception {
    JsonNode models = json(Http.get(url + "/v1/models"));
    assertThat(models.at("/data/0/id").asText()).isEqualTo(MODEL);
    assertThat(Http.get(url + "/health").statusCode()).isEqualTo(200);
  }

  @Test
  void malformedCompletionBodyIsAnOpenAiStyle400CountedAs4xx() throws Exception {
    HttpResponse<String> r = Http.post(url + "/v1/completions", "{not json");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).at("/error/type").asText()).isEqualTo("BadRequestError");
    assertThat(json(r).at("/error/code").asInt()).isEqualTo(400);
    assertThat(metric(http("/v1/completions", "4xx"))).isEqualTo(1.0);
    assertThat(server.state().requestsRejected()).isEqualTo(1);
  }

  @Test
  void metricsMoveByExactlyTheRequestsServedAnd5xxAreCountedApart() {
    double before = metric(COUNT);
    for (int i = 0; i < 7; i++) {
      assertThat(Http.post(url + "/v1/completions", COMPLETION).statusCode()).isEqualTo(200);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(Http.post(url + "/v1/chat/completions",
          "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2}").statusCode())
          .isEqualTo(200);
    }
    assertThat(fault("{\"mode\":\"errors\",\"rate\":1.0}").statusCode()).isEqualTo(200);
    for (int i = 0; i < 4; i++) {
      assertThat(Http.post(url + "/v1/completions", COMPLETION).statusCode()).isEqualTo(500);
    }

    String page = Http.get(url + "/metrics").body();
    assertThat(metric(page, COUNT) - before).isEqualTo(10.0);
    assertThat(metric(page, INF)).isEqualTo(10.0);
    assertThat(metric(page, http("/v1/completions", "2xx"))).isEqualTo(7.0);
    assertThat(metric(page, http("/v1/chat/completions", "2xx"))).isEqualTo(3.0);
    assertThat(metric(page, http("/v1/completions", "5xx"))).isEqualTo(4.0);
    assertThat(metric(page, "vllm:generation_tokens_total{model_name=\"" + MODEL + "\"}"))
        .isEqualTo(7 * 4 + 3 * 2);
    assertThat(metric(page, "vllm:request_success_total{model_name=\"" + MODEL
        + "\",finished_reason=\"length\"}")).isEqualTo(10.0);
    assertThat(metric(page, "vllm:num_requests_running{model_name=\"" + MODEL + "\"}")).isZero();
    assertThat(page).contains("# TYPE vllm:e2e_request_latency_seconds histogram",
        "# HELP http_requests_total ");
    assertThat(server.state().requestsServed()).isEqualTo(10);
    assertThat(server.state().requestsFailed()).isEqualTo(4);
  }

  @Test
  void anAnswerToARequestThatWentAwayIsDroppedAndTheServerGoesOn() throws Exception {
    assertThat(fault("{\"mode\":\"slow\",\"latencyMs\":400}").statusCode()).isEqualTo(200);
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpRequest request =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/v1/completions"))
            .header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(COMPLETION))
            .build();
    java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>> pending =
        client.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> server.state().running() == 1);
    // The model port goes down with the request in flight: its connection is closed under it.
    assertThat(fault("{\"mode\":\"down\"}").statusCode()).isEqualTo(200);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(pending::isDone);
    // When its answer is due (400 ms later) the server drops it and counts it.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
        .until(() -> server.state().requestsAbandoned() == 1);
    // Back up through the fleet's control port (the model port is down).
    assertThat(Http.post("http://127.0.0.1:" + fleet.controlPort() + "/sim/servers/0/fault", "{\"mode\":\"none\"}")
        .statusCode()).isEqualTo(200);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).ignoreExceptions()
        .until(() -> Http.post(url + "/v1/completions", COMPLETION).statusCode() == 200);
    assertThat(server.state().requestsAbandoned()).isEqualTo(1);
  }

  @Test
  void slowFaultAddsItsLatency() {
    long fast = Math.min(timeOne(), Math.min(timeOne(), timeOne()));
    assertThat(fault("{\"mode\":\"slow\",\"latencyMs\":300}").statusCode()).isEqualTo(200);
    long slow = timeOne();

    assertThat(slow).isGreaterThanOrEqualTo(300);
    assertThat(slow - fast).isGreaterThanOrEqualTo(250);
    assertThat(server.state().extraLatencyMs()).isEqualTo(300);
  }

  private long timeOne() {
    long t0 = System.nanoTime();
    assertThat(Http.post(url + "/v1/completions", COMPLETION).statusCode()).isEqualTo(200);
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  @Test
  void errorRateOneAnswersEveryRequestWith500() throws Exception {
    fault("{\"mode\":\"errors\",\"rate\":1.0}");
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> r = Http.post(url + "/v1/completions", COMPLETION);
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(json(r).at("/error/code").asInt()).isEqualTo(500);
    }
  }

  @Test
  void errorRateHalfFailsAboutHalfOf200Requests() {
    fault("{\"mode\":\"errors\",\"rate\":0.5}");
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      calls.add(Http.postAsync(url + "/v1/completions", COMPLETION, Duration.ofSeconds(20)));
    }
    long failures = calls.stream().map(CompletableFuture::join)
        .filter(r -> r.statusCode() == 500).count();

    assertThat(failures).isBetween(75L, 125L);
    assertThat(server.state().requestsFailed()).isEqualTo(failures);
    assertThat(server.state().requestsServed()).isEqualTo(200 - failures);
  }

  @Test
  void hangHoldsInferenceWhileHealthAnswersAndClearingReleasesWith503() throws Exception {
    fault("{\"mode\":\"hang\"}");

    assertThatThrownBy(() -> Http.send(Http.postRequest(url + "/v1/completions", COMPLETION,
        Duration.ofMillis(300)))).hasRootCauseInstanceOf(HttpTimeoutException.class);
    assertThat(Http.get(url + "/health").statusCode()).isEqualTo(200);
    assertThat(Http.get(url + "/metrics").statusCode()).isEqualTo(200);

    CompletableFuture<HttpResponse<String>> held =
        Http.postAsync(url + "/v1/completions", COMPLETION, Duration.ofSeconds(20));
    await().atMost(Duration.ofSeconds(5)).until(() -> server.state().requestsHung() == 2);
    assertThat(held).isNotDone();
    assertThat(metric("vllm:num_requests_running{model_name=\"" + MODEL + "\"}")).isEqualTo(2.0);

    assertThat(fault("{\"mode\":\"none\"}").statusCode()).isEqualTo(200);

    assertThat(held.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
    await().atMost(Duration.ofSeconds(5)).until(() -> server.state().running() == 0);
    assertThat(server.state().requestsHung()).isZero();
    assertThat(Http.post(url + "/v1/completions", COMPLETION).statusCode()).isEqualTo(200);
  }

  @Test
  void hangWithDurationReleasesItselfWhenItExpires() throws Exception {
    fault("{\"mode\":\"hang\",\"durationMs\":400}");
    HttpResponse<String> r = Http.post(url + "/v1/completions", COMPLETION);

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(server.state().hang()).isFalse();
  }

  @Test
  void downRefusesConnectionsUntilRestoredThroughTheControlPort() {
    String control = fleet.controlUrl();
    assertThat(fault("{\"mode\":\"down\"}").statusCode()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThatThrownBy(() -> Http.get(url + "/health"))
            .hasCauseInstanceOf(ConnectException.class));
    assertThat(Http.get(control + "/sim/servers/0/state").body()).contains("\"down\":true");
    // The other server is not affected.
    assertThat(Http.get(fleet.servers().get(1).baseUrl() + "/health").statusCode()).isEqualTo(200);

    HttpResponse<String> restored =
        Http.post(control + "/sim/servers/0/fault", "{\"mode\":\"none\"}");

    assertThat(restored.statusCode()).isEqualTo(200);
    assertThat(restored.body()).contains("\"down\":false");
    assertThat(server.baseUrl()).isEqualTo(url);
    assertThat(Http.get(url + "/health").statusCode()).isEqualTo(200);
    assertThat(Http.post(url + "/v1/completions", COMPLETION).statusCode()).isEqualTo(200);
  }

  @Test
  void downWithDurationComesBackByItself() {
    fleet.servers().get(1).setFault(Fault.down().withDurationMs(500));
    String other = fleet.servers().get(1).baseUrl();

    assertThatThrownBy(() -> Http.get(other + "/health"))
        .hasCauseInstanceOf(ConnectException.class);
    await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
        .until(() -> Http.get(other + "/health").statusCode() == 200);
  }

  @Test
  void controlPortListsServersAndRejectsUnknownIndex() throws Exception {
    JsonNode list = json(Http.get(fleet.controlUrl() + "/sim/servers"));
    assertThat(list).hasSize(2);
    assertThat(list.get(1).get("port").asInt()).isEqualTo(fleet.servers().get(1).port());
    assertThat(list.get(0).get("url").asText()).isEqualTo(url);
    assertThat(list.get(0).at("/state/requestsServed").asLong()).isZero();

    HttpResponse<String> r = Http.post(fleet.controlUrl() + "/sim/servers/5/fault",
        "{\"mode\":\"slow\",\"latencyMs\":10}");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(r).get("error").asText()).isEqualTo("no such server");
    HttpResponse<String> bad = Http.post(fleet.controlUrl() + "/sim/servers/0/fault",
        "{\"mode\":\"slow\",\"latencyMs\":-1}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(server.state().faults()).isEmpty();
  }

  @Test
  void faultsCombineAndNoneClearsThemAll() throws Exception {
    fault("{\"mode\":\"slow\",\"latencyMs\":50}");
    JsonNode state = json(fault("{\"mode\":\"errors\",\"rate\":0.25}"));

    assertThat(state.get("extraLatencyMs").asLong()).isEqualTo(50);
    assertThat(state.get("errorRate").asDouble()).isEqualTo(0.25);
    assertThat(state.get("faults")).hasSize(2);

    JsonNode cleared = json(fault("{\"mode\":\"none\"}"));
    assertThat(cleared.get("faults")).isEmpty();
    assertThat(cleared.get("extraLatencyMs").asLong()).isZero();
    assertThat(cleared.get("errorRate").asDouble()).isZero();
  }

  @Test
  void badFaultBodiesAre400AndChangeNothing() throws Exception {
    fault("{\"mode\":\"slow\",\"latencyMs\":20}");
    SimState before = server.state();

    for (String body : List.of(
        "{\"mode\":\"explode\"}",
        "{\"mode\":\"errors\",\"rate\":1.5}",
        "{\"mode\":\"slow\",\"latencyMs\":-1}",
        "{\"mode\":\"slow\"",
        "",
        "[]",
        "{\"mode\":\"slow\",\"latencyMs\":10,\"rate\":0.5}",
        "{\"mode\":\"gpu-hot\",\"gpu\":2}",
        "{\"mode\":\"hang\",\"durationMs\":0}")) {
      HttpResponse<String> r = fault(body);
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      JsonNode err = json(r);
      assertThat(err.get("error").asText()).as(body).isNotBlank();
      assertThat(err.get("detail").asText()).as(body).isNotBlank();
    }

    SimState after = server.state();
    assertThat(after.faults()).isEqualTo(before.faults());
    assertThat(after.extraLatencyMs()).isEqualTo(20);
  }

  @Test
  void concurrentSlowRequestsDoNotHoldAThreadEach() {
    fault("{\"mode\":\"slow\",\"latencyMs\":200}");
    long t0 = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      calls.add(Http.postAsync(url + "/v1/completions", COMPLETION, Duration.ofSeconds(30)));
    }
    long ok = calls.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200).count();
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    System.out.println("300 concurrent requests with a 200 ms slow fault took " + ms + " ms");

    assertThat(ok).isEqualTo(300);
    // Serially they would take 60 s; a thread pool of 64 would need about 1 s.
    assertThat(ms).isLessThan(20_000);
    assertThat(server.state().requestsServed()).isEqualTo(300);
  }

  @Test
  void threeHundredDelayedRequestsAreInFlightAtOnceOnAFewThreads() {
    fault("{\"mode\":\"slow\",\"latencyMs\":3000}");
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      calls.add(Http.postAsync(url + "/v1/completions", COMPLETION, Duration.ofSeconds(30)));
    }

    // All 300 are held at the same moment, by a server whose HTTP pool has at most 64 threads.
    await().atMost(Duration.ofSeconds(10)).until(() -> server.state().running() == 300);
    long httpThreads = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("sim-0-http")).count();
    assertThat(httpThreads).isLessThanOrEqualTo(64);

    long ok = calls.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200).count();
    assertThat(ok).isEqualTo(300);
  }
}

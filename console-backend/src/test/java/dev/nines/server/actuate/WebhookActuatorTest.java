package dev.nines.server.actuate;

import dev.nines.server.MovableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.nines.protocol.RoutingState;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real JDK HTTP server receives the webhook's POSTs. */
class WebhookActuatorTest {
  private static final String SECRET = "topsecret";
  private static final Target HOST = new Target("llm", "gpu-1");

  record Received(String method, String contentType, String timestamp, String signature, String body) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<String> fencingTokens = new CopyOnWriteArrayList<>();
  private final AtomicInteger answer = new AtomicInteger(200);
  private final CountDownLatch release = new CountDownLatch(1);
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final MovableClock clock = new MovableClock(Instant.parse("2026-01-02T03:04:05Z"));
  private HttpServer server;
  private URI url;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext(
        "/hook",
        exchange -> {
          try {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String token = exchange.getRequestHeaders().getFirst("X-Nines-Fencing-Token");
            fencingTokens.add(token == null ? "none" : token);
            received.add(
                new Received(
                    exchange.getRequestMethod(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst(WebhookActuator.TIMESTAMP_HEADER),
                    exchange.getRequestHeaders().getFirst(WebhookActuator.SIGNATURE_HEADER),
                    body));
            byte[] out = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.get(), out.length);
            try (OutputStream o = exchange.getResponseBody()) {
              o.write(out);
            }
          } finally {
            exchange.close();
          }
        });
    server.createContext(
        "/hang",
        exchange -> {
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            exchange.close();
          }
        });
    server.start();
    url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  @Test
  void postsTheTransitionAsSignedJson() throws Exception {
    WebhookActuator hook = new WebhookActuator("webhook:k8s", url, SECRET, clock);

    hook.apply(HOST, RoutingState.DRAINING, "operator alice: kernel upgrade");

    assertThat(received).hasSize(1);
    Received r = received.get(0);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.contentType()).isEqualTo("application/json");
    assertThat(r.timestamp()).isEqualTo(Long.toString(clock.millis()));
    JsonNode json = new ObjectMapper().readTree(r.body());
    assertThat(json.get("pool").asText()).isEqualTo("llm");
    assertThat(json.get("host").asText()).isEqualTo("gpu-1");
    assertThat(json.get("state").asText()).isEqualTo("DRAINING");
    assertThat(json.get("reason").asText()).isEqualTo("operator alice: kernel upgrade");
    assertThat(json.get("at").asText()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(WebhookActuator.verify(SECRET, r.timestamp(), r.body(), r.signature())).isTrue();
    assertThat(WebhookActuator.verify("wrong", r.timestamp(), r.body(), r.signature())).isFalse();
    assertThat(WebhookActuator.verify(SECRET, r.timestamp() + "1", r.body(), r.signature())).isFalse();
    assertThat(WebhookActuator.verify(SECRET, r.timestamp(), r.body().replace("gpu-1", "gpu-2"), r.signature()))
        .isFalse();
    assertThat(hook.observe(HOST)).isEmpty();
  }

  @Test
  void signsLikeAnyHmacSha256ImplementationWould() {
    // expected value computed independently with Python's hmac module
    String body =
        "{\"pool\":\"llm\",\"host\":\"gpu-1\",\"state\":\"DRAINING\","
            + "\"reason\":\"operator alice: kernel upgrade\",\"at\":\"2026-01-02T03:04:05Z\"}";
    String expected = "sha256=8a284a78b64a69e29167e66ccb56db0d4063ee149067b8221195f3bc81810322";

    assertThat(
            WebhookActuator.body(
                HOST, RoutingState.DRAINING, "operator alice: kernel upgrade", clock.instant()))
        .isEqualTo(body);
    assertThat(WebhookActuator.sign(SECRET, "1767323045000", body)).isEqualTo(expected);
    assertThat(WebhookActuator.verify(SECRET, "1767323045000", body, expected)).isTrue();
    assertThat(WebhookActuator.verify(SECRET, "1767323045000", body, expected.toUpperCase())).isFalse();
    assertThat(WebhookActuator.verify(SECRET, "1767323045000", body, null)).isFalse();
  }

  @Test
  void treatsAnAnswerOutside2xxAsAFailure() {
    answer.set(500);
    WebhookActuator hook = new WebhookActuator("webhook:k8s", url, SECRET, clock);

    assertThatThrownBy(() -> hook.apply(HOST, RoutingState.MAINTENANCE, "xid 79"))
        .isInstanceOf(ActuatorException.class)
        .hasMessageContaining("webhook:k8s")
        .hasMessageContaining("llm/gpu-1")
        .hasMessageContaining("answered 500");
  }

  @Test
  void givesUpOnAReceiverThatNeverAnswers() {
    URI hang = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hang");
    WebhookActuator hook = new WebhookActuator("webhook:slow", hang, SECRET, clock, Duration.ofMillis(300));

    assertThatThrownBy(() -> hook.apply(HOST, RoutingState.ACTIVE, "back"))
        .isInstanceOf(ActuatorException.class)
        .hasMessageContaining("no answer within 300 ms");
  }

  @Test
  void reconcilerRetriesAFailingReceiverWithBackoffUntilItAccepts() {
    answer.set(500);
    WebhookActuator hook = new WebhookActuator("webhook:k8s", url, SECRET, clock);
    Reconciler reconciler = new Reconciler(clock, List.of(hook));
    Instant t0 = clock.instant();

    reconciler.desire(HOST, RoutingState.DRAINING, "slow host");
    assertThat(received).hasSize(1);
    reconciler.runOnce(); // not due yet
    assertThat(received).hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    reconciler.runOnce(); // 1 s after the first failure
    assertThat(received).hasSize(2);
    assertThat(reconciler.status(HOST).get(0).nextAttempt()).isEqualTo(t0.plusSeconds(3));
    clock.advance(Duration.ofSeconds(1));
    reconciler.runOnce(); // 2 s wait not over
    assertThat(received).hasSize(2);
    clock.advance(Duration.ofSeconds(1));
    answer.set(200);
    reconciler.runOnce();

    assertThat(received).hasSize(3);
    ActuatorStatus s = reconciler.status(HOST).get(0);
    assertThat(s.inSync()).isTrue();
    assertThat(s.attempts()).isZero();
    assertThat(s.lastError()).isNull();
    assertThat(s.lastAttempt()).isEqualTo(t0.plusSeconds(3));
    assertThat(s.observed()).isEmpty();
    // every retry carried a fresh, valid signature
    assertThat(received)
        .allMatch(r -> WebhookActuator.verify(SECRET, r.timestamp(), r.body(), r.signature()));
    // once applied, a webhook is not re-sent: it cannot observe drift
    clock.advance(Duration.ofMinutes(5));
    reconciler.runOnce();
    assertThat(received).hasSize(3);
    assertThat(reconciler.failures()).isEqualTo(2);
    assertThat(reconciler.applies()).isEqualTo(3);
  }

  @Test
  void aLeadersWebhookCarriesItsFencingTokenAndADeposedLeaderAppliesNothing() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean leads = new java.util.concurrent.atomic.AtomicBoolean(true);
    WebhookActuator hook = new WebhookActuator("webhook:k8s", url, SECRET, clock);
    hook.fencedBy(() -> 7);
    Reconciler reconciler = new Reconciler(clock, List.of(hook));
    reconciler.gate(leads::get);

    reconciler.desire(HOST, RoutingState.DRAINING, "kernel upgrade");
    assertThat(received).hasSize(1);
    assertThat(fencingTokens).containsExactly("7");

    leads.set(false); // deposed: another replica leads now
    reconciler.desire(HOST, RoutingState.ACTIVE, "undrain");
    clock.advance(Duration.ofMinutes(1));
    reconciler.runOnce();
    assertThat(received).as("nothing sent once deposed").hasSize(1);
    assertThat(reconciler.status(HOST).get(0).lastError()).contains("no longer leads");
    // a single replica's webhook sends no token at all
    new WebhookActuator("webhook:one", url, SECRET, clock).apply(HOST, RoutingState.DRAINED, "drained");
    assertThat(fencingTokens).containsExactly("7", "none");
  }
}

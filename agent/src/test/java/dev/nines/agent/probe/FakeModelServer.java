package dev.nines.agent.probe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model server on an ephemeral loopback port, with the JDK's HTTP server: {@code /health},
 * {@code /v2/health/ready}, {@code /v1/models}, {@code /v1/completions} and {@code /metrics},
 * each answering as the test sets it.
 */
final class FakeModelServer implements AutoCloseable {
  enum Completion {
    ANSWER,
    FAIL_500,
    NO_CHOICE,
    HANG,
    NOT_FOUND
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  /** Released on close: a hung handler stops waiting. */
  private final CountDownLatch release = new CountDownLatch(1);

  volatile int healthStatus = 200;
  volatile int tritonHealthStatus = 404;
  volatile int healthBodyBytes = 0;
  volatile Completion completion = Completion.ANSWER;
  volatile String modelId = "fake-model";
  /** Pages served by /metrics in turn; the last one repeats. */
  volatile List<String> pages = List.of();
  /** When set, health, metrics and completion each wait here until all three have arrived. */
  volatile CountDownLatch rendezvous;

  /** How long a completion takes to answer (the server's own latency). */
  volatile long completionLatencyMs = 0;
  /** Completions being answered now, and how many there were at each /metrics request. */
  final AtomicInteger completionsInFlight = new AtomicInteger();
  final List<Integer> completionsAtScrape = new CopyOnWriteArrayList<>();

  final AtomicInteger metricsCalls = new AtomicInteger();
  final AtomicInteger completionCalls = new AtomicInteger();
  final AtomicInteger modelCalls = new AtomicInteger();
  final List<String> completionBodies = new CopyOnWriteArrayList<>();

  FakeModelServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/health", ex -> {
      meet();
      respond(ex, healthStatus, "x".repeat(healthBodyBytes), "text/plain");
    });
    server.createContext("/v2/health/ready", ex -> respond(ex, tritonHealthStatus, "", "text/plain"));
    server.createContext("/v1/models", ex -> {
      modelCalls.incrementAndGet();
      respond(ex, 200,
          "{\"object\":\"list\",\"data\":[{\"id\":\"" + modelId + "\",\"object\":\"model\","
              + "\"owned_by\":\"vllm\"}]}",
          "application/json");
    });
    server.createContext("/v1/completions", this::completion);
    server.createContext("/metrics", ex -> {
      meet();
      completionsAtScrape.add(completionsInFlight.get());
      List<String> all = pages;
      int n = metricsCalls.getAndIncrement();
      if (all.isEmpty()) {
        respond(ex, 404, "", "text/plain");
      } else {
        respond(ex, 200, all.get(Math.min(n, all.size() - 1)), "text/plain; version=0.0.4");
      }
    });
    server.start();
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void completion(HttpExchange ex) throws IOException {
    completionsInFlight.incrementAndGet();
    try {
      answerCompletion(ex);
    } finally {
      completionsInFlight.decrementAndGet();
    }
  }

  private void answerCompletion(HttpExchange ex) throws IOException {
    completionCalls.incrementAndGet();
    long latency = completionLatencyMs;
    if (latency > 0) {
      try {
        release.await(latency, TimeUnit.MILLISECONDS); // the server's own latency (released on close)
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    completionBodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    switch (completion) {
      case ANSWER -> {
        meet();
        respond(ex, 200,
            "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"model\":\"" + modelId + "\","
                + "\"choices\":[{\"index\":0,\"text\":\" pong\",\"finish_reason\":\"length\"}],"
                + "\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":1,\"total_tokens\":3}}",
            "application/json");
      }
      case FAIL_500 -> respond(ex, 500, "{\"error\":\"engine dead\"}", "application/json");
      case NO_CHOICE -> respond(ex, 200, "{\"choices\":[]}", "application/json");
      case NOT_FOUND -> respond(ex, 404, "{\"error\":\"no such model\"}", "application/json");
      case HANG -> {
        // Accept, never answer (until the test ends).
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        ex.close();
      }
    }
  }

  private void meet() {
    CountDownLatch latch = rendezvous;
    if (latch == null) {
      return;
    }
    latch.countDown();
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void respond(HttpExchange ex, int status, String body, String type)
      throws IOException {
    try (ex) {
      ex.getRequestBody().readAllBytes();
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", type);
      ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    } catch (IOException e) {
      // the client went away (a probe that timed out): nothing to do
    }
  }

  @Override
  public void close() throws InterruptedException {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }
}

package dev.nines.agent.probe;

import dev.nines.agent.json.JsonReader;
import dev.nines.agent.json.JsonWriter;
import dev.nines.protocol.EndpointReport;
import dev.nines.protocol.ProbeResult;
import dev.nines.protocol.ServerStats;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Probes one model server once per agent interval: a health GET, a one-token generation request
 * and a scrape of its Prometheus page, run concurrently so that one probe takes about the longest
 * of the three limits, not their sum. It keeps the previous scrape to turn counters into the
 * interval's figures.
 *
 * <p>{@link #probe()} never throws: every failure (refused connection, timeout, bad status, odd
 * answer, even a bug here) becomes a failed {@link ProbeResult} or {@link ServerStats} with a
 * short error.
 */
public final class EndpointProbe {
  /**
   * Largest Prometheus page read. vLLM's page is tens of KiB, Triton's with many models a few
   * hundred; the cap keeps one odd page from taking the agent's small heap (-Xmx24m).
   */
  static final int MAX_PAGE_BYTES = 4 << 20;

  /** Largest health, model-list or completion answer read. */
  static final int MAX_ANSWER_BYTES = 1 << 20;

  static final String MODELS_PATH = "/v1/models";
  static final String COMPLETIONS_PATH = "/v1/completions";
  static final String AUTO_HEALTH_PATH = "/health";
  static final String TRITON_HEALTH_PATH = "/v2/health/ready";

  private static final Duration GRACE = Duration.ofSeconds(2);
  private static final int MAX_ERROR_CHARS = 200;

  private final URI baseUrl;
  private final String base;
  private final ProbeSettings settings;
  private final HttpClient http;
  private final Clock clock;

  /** Health path found by the automatic choice; written from HTTP callbacks. */
  private volatile String learnedHealthPath;

  /** Model id learned from {@code /v1/models}; written from HTTP callbacks. */
  private volatile String learnedModel;

  /** The last recognised scrape; guarded by this. */
  private ServerSnapshot previous;

  /** The server kind of the last recognised scrape; guarded by this. */
  private ServerKind kind = ServerKind.UNKNOWN;

  private EndpointProbe(URI baseUrl, ProbeSettings settings, HttpClient http, Clock clock) {
    this.baseUrl = baseUrl;
    String text = baseUrl.toString();
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.settings = settings;
    this.http = http;
    this.clock = clock;
  }

  /**
   * A probe for the server at {@code baseUrl}.
   *
   * @param baseUrl the server's base URL, {@code http(s)://host:port} with an optional path prefix
   * @param settings what to probe and the limits
   * @param http the client to send with (shared between endpoints; its connect timeout applies)
   * @param clock gives the {@code atMs} of each probe
   * @throws IllegalArgumentException when the URL is not an absolute http(s) URL
   */
  public static EndpointProbe create(
      URI baseUrl, ProbeSettings settings, HttpClient http, Clock clock) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(clock, "clock");
    String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || baseUrl.getHost() == null) {
      throw new IllegalArgumentException(
          "endpoint must be an http(s)://host[:port] URL (was '" + baseUrl + "')");
    }
    if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "endpoint must not have a query or fragment (was '" + baseUrl + "')");
    }
    if (baseUrl.toString().length() > 512) {
      throw new IllegalArgumentException("endpoint must be at most 512 characters");
    }
    return new EndpointProbe(baseUrl, settings, http, clock);
  }

  /** The server's base URL. */
  public URI baseUrl() {
    return baseUrl;
  }

  /** The settings this probe runs with. */
  public ProbeSettings settings() {
    return settings;
  }

  /**
   * Probes the server once: health, generation (unless off, or the server is Triton) and scrape,
   * concurrently. Blocks for at most about the longest limit. Never throws.
   */
  public synchronized EndpointReport probe() {
    long atMs = Math.max(0, clock.millis());
    try {
      boolean generationWanted = settings.generation() && kind.speaksOpenAi();
      CompletableFuture<ProbeResult> health = health(atMs);
      CompletableFuture<Scraped> scrape = scrape();
      CompletableFuture<ProbeResult> generation = generationWanted ? generation(atMs) : null;

      Duration healthBound = settings.healthTimeout().multipliedBy(2);
      ProbeResult healthResult =
          await(health, healthBound, () -> timedOut(settings.healthTimeout(), atMs));
      Scraped scraped =
          await(scrape, settings.scrapeTimeout(), () -> Scraped.failed(noAnswer(settings.scrapeTimeout())));
      ProbeResult generationResult =
          generation == null
              ? null
              : await(
                  generation,
                  settings.generationTimeout(),
                  () -> timedOut(settings.generationTimeout(), atMs));

      ServerStats stats = interpret(scraped);
      if (!kind.speaksOpenAi()) {
        generationResult = null; // Triton has no OpenAI API; its 404 would say nothing
      }
      return new EndpointReport(
          baseUrl.toString(), kind.wireName(), healthResult, generationResult, stats);
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError vmError) {
        throw vmError;
      }
      String error = clip("probe failed: " + e);
      ProbeResult failed = new ProbeResult(false, null, 0, false, error, atMs);
      return new EndpointReport(
          baseUrl.toString(),
          kind.wireName(),
          failed,
          settings.generation() && kind.speaksOpenAi() ? failed : null,
          ServerStats.failed(error));
    }
  }

  // ---------------------------------------------------------------- health

  private CompletableFuture<ProbeResult> health(long atMs) {
    long start = System.nanoTime();
    Duration timeout = settings.healthTimeout();
    String path = settings.healthPath() != null ? settings.healthPath() : learnedHealthPath;
    CompletableFuture<HttpResponse<String>> answer;
    if (path != null) {
      answer = send(get(path, timeout, "*/*"), timeout, MAX_ANSWER_BYTES);
    } else {
      answer =
          send(get(AUTO_HEALTH_PATH, timeout, "*/*"), timeout, MAX_ANSWER_BYTES)
              .thenCompose(
                  first -> {
                    if (first.statusCode() != 404) {
                      learnedHealthPath = AUTO_HEALTH_PATH;
                      return CompletableFuture.completedFuture(first);
                    }
                    return send(get(TRITON_HEALTH_PATH, timeout, "*/*"), timeout, MAX_ANSWER_BYTES)
                        .thenApply(
                            second -> {
                              if (second.statusCode() != 404) {
                                learnedHealthPath = TRITON_HEALTH_PATH;
                              }
                              return second;
                            });
                  });
    }
    return answer.handle(
        (response, failure) -> {
          double latencyMs = msSince(start);
          if (failure != null) {
            return failedResult(failure, timeout, latencyMs, atMs);
          }
          int status = response.statusCode();
          boolean ok = status >= 200 && status < 300;
          return new ProbeResult(
              ok, statusOrNull(status), latencyMs, false, ok ? null : "HTTP " + status, atMs);
        });
  }

  // ------------------------------------------------------------ generation

  private CompletableFuture<ProbeResult> generation(long atMs) {
    Duration timeout = settings.generationTimeout();
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    AtomicLong postStart = new AtomicLong(start);
    String configured = settings.model() != null ? settings.model() : learnedModel;
    CompletableFuture<String> model =
        configured != null ? CompletableFuture.completedFuture(configured) : lookUpModel(deadline);
    return model
        .thenCompose(
            name -> {
              postStart.set(System.nanoTime());
              return send(completion(name, remaining(deadline)), remaining(deadline), MAX_ANSWER_BYTES)
                  .thenApply(response -> judgeCompletion(response, postStart.get(), atMs));
            })
        .handle(
            (result, failure) -> {
              if (failure == null) {
                return result;
              }
              Throwable cause = unwrap(failure);
              double latencyMs = msSince(postStart.get());
              if (cause instanceof ModelLookupFailure lookup) {
                return new ProbeResult(
                    false, lookup.status, latencyMs, false, clip(lookup.getMessage()), atMs);
              }
              return failedResult(cause, timeout, msSince(start), atMs);
            });
  }

  private CompletableFuture<String> lookUpModel(long deadline) {
    Duration timeout = remaining(deadline);
    return send(get(MODELS_PATH, timeout, "application/json"), timeout, MAX_ANSWER_BYTES)
        .thenApply(
            response -> {
              int status = response.statusCode();
              if (status < 200 || status >= 300) {
                throw new ModelLookupFailure(
                    statusOrNull(status), "GET " + MODELS_PATH + " answered HTTP " + status);
              }
              String id = firstModelId(response.body());
              if (id == null) {
                throw new ModelLookupFailure(
                    statusOrNull(status), "GET " + MODELS_PATH + " listed no model");
              }
              learnedModel = id;
              return id;
            });
  }

  /** The first {@code data[].id} of an OpenAI model list, or null. */
  static String firstModelId(String body) {
    try {
      if (JsonReader.parse(body) instanceof Map<?, ?> list
          && list.get("data") instanceof List<?> data) {
        for (Object entry : data) {
          if (entry instanceof Map<?, ?> model) {
            Object id = model.get("id");
            // a number or boolean id counts by its text, as Jackson's asText() gave it
            String text =
                id instanceof String || id instanceof Number || id instanceof Boolean
                    ? String.valueOf(id)
                    : "";
            if (!text.isBlank()) {
              return text;
            }
          }
        }
      }
      return null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private HttpRequest completion(String model, Duration timeout) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", model);
    body.put("prompt", "ping");
    body.put("max_tokens", 1);
    body.put("temperature", 0);
    return HttpRequest.newBuilder(resolve(COMPLETIONS_PATH))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .header("User-Agent", "nines-agent")
        .POST(HttpRequest.BodyPublishers.ofString(JsonWriter.write(body)))
        .build();
  }

  private ProbeResult judgeCompletion(HttpResponse<String> response, long start, long atMs) {
    double latencyMs = msSince(start);
    int status = response.statusCode();
    if (status < 200 || status >= 300) {
      if (status == 404 && settings.model() == null) {
        learnedModel = null; // the server may serve another model since a restart: ask again
      }
      return new ProbeResult(false, statusOrNull(status), latencyMs, false, "HTTP " + status, atMs);
    }
    boolean answered = hasChoice(response.body());
    return new ProbeResult(
        answered,
        status,
        latencyMs,
        false,
        answered ? null : "answer held no choice",
        atMs);
  }

  /** Whether an OpenAI completion answer holds at least one choice. */
  static boolean hasChoice(String body) {
    try {
      return JsonReader.parse(body) instanceof Map<?, ?> answer
          && answer.get("choices") instanceof List<?> choices
          && !choices.isEmpty();
    } catch (RuntimeException e) {
      return false;
    }
  }

  // ---------------------------------------------------------------- scrape

  private CompletableFuture<Scraped> scrape() {
    Duration timeout = settings.scrapeTimeout();
    HttpRequest request = get(settings.metricsPath(), timeout, "text/plain;version=0.0.4;q=1,*/*;q=0.1");
    return send(request, timeout, MAX_PAGE_BYTES)
        .handle(
            (response, failure) -> {
              if (failure != null) {
                return Scraped.failed(describe(unwrap(failure), timeout));
              }
              int status = response.statusCode();
              if (status < 200 || status >= 300) {
                return Scraped.failed("HTTP " + status);
              }
              return new Scraped(PromText.parse(response.body()), null);
            });
  }

  /** Turns this interval's page into statistics, updating the kept snapshot. Guarded by this. */
  private ServerStats interpret(Scraped scraped) {
    if (scraped.error() != null) {
      return ServerStats.failed(clip(scraped.error()));
    }
    PromText.Page page = scraped.page();
    Optional<ServerSnapshot> snapshot = Recognisers.recognise(page);
    if (snapshot.isPresent()) {
      ServerStats stats = Intervals.stats(previous, snapshot.get(), page.malformedLines());
      previous = snapshot.get();
      kind = snapshot.get().kind();
      return stats;
    }
    if (page.samples().isEmpty()) {
      String error =
          page.malformedLines() > 0
              ? "not a Prometheus text page (" + page.malformedLines() + " malformed lines)"
              : "empty metrics page";
      return new ServerStats(
          false, error, null, null, null, null, null, null, null, null, null,
          page.malformedLines());
    }
    // A Prometheus page, but from no server we know: readable, yet nothing to report.
    return new ServerStats(
        true, null, null, null, null, null, null, null, null, null, null, page.malformedLines());
  }

  /** A scrape's page, or why there is none. */
  private record Scraped(PromText.Page page, String error) {
    static Scraped failed(String error) {
      return new Scraped(null, error);
    }
  }

  // ------------------------------------------------------------------ HTTP

  private HttpRequest get(String path, Duration timeout, String accept) {
    return HttpRequest.newBuilder(resolve(path))
        .timeout(timeout)
        .header("Accept", accept)
        .header("User-Agent", "nines-agent")
        .GET()
        .build();
  }

  private URI resolve(String pathOrUrl) {
    if (pathOrUrl.startsWith("http://") || pathOrUrl.startsWith("https://")) {
      return URI.create(pathOrUrl);
    }
    return URI.create(base + pathOrUrl);
  }

  /**
   * Sends with a hard limit on the whole exchange: the request timeout covers the wait for the
   * headers, and a cancel at the same limit covers a body that trickles.
   */
  private CompletableFuture<HttpResponse<String>> send(
      HttpRequest request, Duration timeout, int limitBytes) {
    CompletableFuture<HttpResponse<String>> answer;
    try {
      answer = http.sendAsync(request, LimitedBody.handler(limitBytes));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .execute(() -> answer.cancel(true));
    return answer;
  }

  private static <T> T await(CompletableFuture<T> future, Duration limit, Supplier<T> fallback) {
    try {
      return future.get(limit.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      return fallback.get();
    } catch (TimeoutException e) {
      future.cancel(true);
      return fallback.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(unwrap(e));
    }
  }

  // ---------------------------------------------------------------- errors

  private static ProbeResult failedResult(
      Throwable failure, Duration timeout, double latencyMs, long atMs) {
    Throwable cause = unwrap(failure);
    boolean timedOut = isTimeout(cause);
    return new ProbeResult(false, null, latencyMs, timedOut, describe(cause, timeout), atMs);
  }

  private static ProbeResult timedOut(Duration timeout, long atMs) {
    return new ProbeResult(false, null, timeout.toMillis(), true, noAnswer(timeout), atMs);
  }

  private static boolean isTimeout(Throwable cause) {
    return cause instanceof HttpTimeoutException
        || cause instanceof TimeoutException
        || cause instanceof CancellationException;
  }

  /** A short description of why an exchange failed. */
  static String describe(Throwable failure, Duration timeout) {
    Throwable cause = unwrap(failure);
    if (cause instanceof HttpConnectTimeoutException) {
      return "could not connect in time";
    }
    if (isTimeout(cause)) {
      return noAnswer(timeout);
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        String message = t.getMessage();
        if (message == null || message.toLowerCase(Locale.ROOT).contains("refused")) {
          return "connection refused";
        }
        return clip("cannot connect: " + message);
      }
    }
    String message = cause.getMessage();
    String name = cause.getClass().getSimpleName();
    return clip(message == null || message.isBlank() ? name : name + ": " + message);
  }

  private static String noAnswer(Duration timeout) {
    return "no answer within " + timeout.toMillis() + " ms";
  }

  private static Throwable unwrap(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String clip(String s) {
    return s.length() <= MAX_ERROR_CHARS ? s : s.substring(0, MAX_ERROR_CHARS - 3) + "...";
  }

  private static Integer statusOrNull(int status) {
    return status >= 100 && status <= 599 ? status : null;
  }

  private static Duration remaining(long deadlineNanos) {
    long left = deadlineNanos - System.nanoTime();
    return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), left));
  }

  private static double msSince(long startNanos) {
    return Math.max(0, (System.nanoTime() - startNanos) / 1_000_000.0);
  }

  /** The model could not be learned from {@code /v1/models}. */
  private static final class ModelLookupFailure extends RuntimeException {
    private final Integer status;

    ModelLookupFailure(Integer status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }
}

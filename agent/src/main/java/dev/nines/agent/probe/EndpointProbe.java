package dev.nines.agent.probe;

import dev.nines.agent.json.JsonReader;
import dev.nines.agent.json.JsonWriter;
import dev.nines.agent.net.AgentHttp;
import dev.nines.agent.net.Request;
import dev.nines.agent.net.RequestTimeoutException;
import dev.nines.agent.net.Response;
import dev.nines.protocol.EndpointReport;
import dev.nines.protocol.ProbeResult;
import dev.nines.protocol.ServerStats;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
  private final AgentHttp http;
  private final Clock clock;

  /** Health path found by the automatic choice; written from worker threads. */
  private volatile String learnedHealthPath;

  /** Model id learned from {@code /v1/models}; written from worker threads. */
  private volatile String learnedModel;

  /** The last recognised scrape; guarded by this. */
  private ServerSnapshot previous;

  /** The server kind of the last recognised scrape; guarded by this. */
  private ServerKind kind = ServerKind.UNKNOWN;

  private EndpointProbe(URI baseUrl, ProbeSettings settings, AgentHttp http, Clock clock) {
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
   * @param http the client to send with (shared between endpoints; its connect timeout applies,
   *     and its worker threads run the three probes side by side)
   * @param clock gives the {@code atMs} of each probe
   * @throws IllegalArgumentException when the URL is not an absolute http(s) URL
   */
  public static EndpointProbe create(
      URI baseUrl, ProbeSettings settings, AgentHttp http, Clock clock) {
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
   * concurrently, except that the generation request waits up to {@link #SCRAPE_HEAD_START} for
   * the scrape to answer (so the server's running-requests figure does not count the probe).
   * Blocks for at most about the longest limit. Never throws.
   */
  public synchronized EndpointReport probe() {
    long atMs = Math.max(0, clock.millis());
    try {
      boolean generationWanted = settings.generation() && kind.speaksOpenAi();
      // Health (and the scrape, when there is a generation probe) on worker threads; the last one
      // on this thread, which would otherwise only wait.
      CompletableFuture<ProbeResult> health = run(() -> health(atMs));
      CompletableFuture<Scraped> scrape = generationWanted ? run(this::scrape) : null;
      if (scrape != null) {
        // Let the scrape answer before the generation request starts (briefly; a slow metrics page
        // must not delay the generation probe): else the server's running-requests figure may count
        // this probe, and a draining host would never seem idle.
        waitBriefly(scrape, SCRAPE_HEAD_START);
      }
      ProbeResult generationResult = generationWanted ? generation(atMs) : null;
      Scraped scraped =
          scrape == null
              ? scrape()
              : await(scrape, settings.scrapeTimeout(), () -> Scraped.failed(noAnswer(settings.scrapeTimeout())));
      Duration healthBound = settings.healthTimeout().multipliedBy(2);
      ProbeResult healthResult =
          await(health, healthBound, () -> timedOut(settings.healthTimeout(), atMs));

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

  /** How long the generation probe waits for the scrape to answer first. */
  static final Duration SCRAPE_HEAD_START = Duration.ofMillis(250);

  private static void waitBriefly(CompletableFuture<?> f, Duration bound) {
    try {
      f.get(bound.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      // the scrape goes on (or failed); its own outcome is read later
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- health

  private ProbeResult health(long atMs) {
    long start = System.nanoTime();
    Duration timeout = settings.healthTimeout();
    try {
      String path = settings.healthPath() != null ? settings.healthPath() : learnedHealthPath;
      Response response;
      if (path != null) {
        response = send(get(path, timeout, "*/*", MAX_ANSWER_BYTES));
      } else {
        Response first = send(get(AUTO_HEALTH_PATH, timeout, "*/*", MAX_ANSWER_BYTES));
        if (first.status() != 404) {
          learnedHealthPath = AUTO_HEALTH_PATH;
          response = first;
        } else {
          response = send(get(TRITON_HEALTH_PATH, timeout, "*/*", MAX_ANSWER_BYTES));
          if (response.status() != 404) {
            learnedHealthPath = TRITON_HEALTH_PATH;
          }
        }
      }
      double latencyMs = msSince(start);
      int status = response.status();
      boolean ok = status >= 200 && status < 300;
      return new ProbeResult(
          ok, statusOrNull(status), latencyMs, false, ok ? null : "HTTP " + status, atMs);
    } catch (IOException | RuntimeException e) {
      return failedResult(e, timeout, msSince(start), atMs);
    }
  }

  // ------------------------------------------------------------ generation

  private ProbeResult generation(long atMs) {
    Duration timeout = settings.generationTimeout();
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    long postStart = start;
    try {
      String configured = settings.model() != null ? settings.model() : learnedModel;
      String name = configured != null ? configured : lookUpModel(deadline);
      postStart = System.nanoTime();
      Response response = send(completion(name, remaining(deadline)));
      return judgeCompletion(response, postStart, atMs);
    } catch (ModelLookupFailure lookup) {
      return new ProbeResult(
          false, lookup.status, msSince(postStart), false, clip(lookup.getMessage()), atMs);
    } catch (IOException | RuntimeException e) {
      return failedResult(e, timeout, msSince(start), atMs);
    }
  }

  private String lookUpModel(long deadline) throws IOException {
    Response response =
        send(get(MODELS_PATH, remaining(deadline), "application/json", MAX_ANSWER_BYTES));
    int status = response.status();
    if (status < 200 || status >= 300) {
      throw new ModelLookupFailure(
          statusOrNull(status), "GET " + MODELS_PATH + " answered HTTP " + status);
    }
    String id = firstModelId(response.text());
    if (id == null) {
      throw new ModelLookupFailure(statusOrNull(status), "GET " + MODELS_PATH + " listed no model");
    }
    learnedModel = id;
    return id;
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

  private Request completion(String model, Duration timeout) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", model);
    body.put("prompt", "ping");
    body.put("max_tokens", 1);
    body.put("temperature", 0);
    return Request.post(
        resolve(COMPLETIONS_PATH),
        headers("application/json", true),
        JsonWriter.write(body).getBytes(StandardCharsets.UTF_8),
        timeout,
        MAX_ANSWER_BYTES);
  }

  private ProbeResult judgeCompletion(Response response, long start, long atMs) {
    double latencyMs = msSince(start);
    int status = response.status();
    if (status < 200 || status >= 300) {
      if (status == 404 && settings.model() == null) {
        learnedModel = null; // the server may serve another model since a restart: ask again
      }
      return new ProbeResult(false, statusOrNull(status), latencyMs, false, "HTTP " + status, atMs);
    }
    boolean answered = hasChoice(response.text());
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

  private Scraped scrape() {
    Duration timeout = settings.scrapeTimeout();
    try {
      Response response =
          send(get(settings.metricsPath(), timeout, "text/plain;version=0.0.4;q=1,*/*;q=0.1", MAX_PAGE_BYTES));
      int status = response.status();
      if (status < 200 || status >= 300) {
        return Scraped.failed("HTTP " + status);
      }
      return new Scraped(PromText.parse(response.text()), null);
    } catch (IOException | RuntimeException e) {
      return Scraped.failed(describe(e, timeout));
    }
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

  private Request get(String path, Duration timeout, String accept, int limitBytes) {
    return Request.get(resolve(path), headers(accept, false), timeout, limitBytes);
  }

  private static Map<String, String> headers(String accept, boolean json) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (json) {
      headers.put("Content-Type", "application/json");
    }
    headers.put("Accept", accept);
    headers.put("User-Agent", "nines-agent");
    return headers;
  }

  private URI resolve(String pathOrUrl) {
    if (pathOrUrl.startsWith("http://") || pathOrUrl.startsWith("https://")) {
      return URI.create(pathOrUrl);
    }
    return URI.create(base + pathOrUrl);
  }

  /** Sends and reads the whole answer; {@link AgentHttp} bounds the exchange by its timeout. */
  private Response send(Request request) throws IOException {
    try {
      return http.send(request);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    }
  }

  /** Runs one probe on the client's worker threads. */
  private <T> CompletableFuture<T> run(Supplier<T> probe) {
    return CompletableFuture.supplyAsync(probe, http.workers());
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
    return cause instanceof RequestTimeoutException
        || cause instanceof TimeoutException
        || cause instanceof CancellationException;
  }

  /** A short description of why an exchange failed. */
  static String describe(Throwable failure, Duration timeout) {
    Throwable cause = unwrap(failure);
    if (cause instanceof RequestTimeoutException late && late.connecting()) {
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

package dev.nines.agent.probe;

import dev.nines.agent.probe.PromText.Page;
import dev.nines.agent.probe.PromText.Sample;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Turns a parsed Prometheus page into a {@link ServerSnapshot}: which server wrote it, and its
 * cumulative figures. Pure. Every figure is summed over label sets (several models, several
 * data-parallel engines).
 */
final class Recognisers {
  /**
   * vLLM handlers that run inference. Other handlers ({@code /v1/models}, {@code /tokenize} ...)
   * answer without touching the engine, so they say nothing about serving.
   */
  static final Set<String> VLLM_INFERENCE_HANDLERS =
      Set.of(
          "/v1/completions",
          "/v1/chat/completions",
          "/v1/embeddings",
          "/v1/responses",
          "/v1/audio/transcriptions",
          "/v1/audio/translations",
          "/v1/score",
          "/v1/rerank",
          "/v2/rerank",
          "/rerank",
          "/score",
          "/pooling",
          "/classify",
          "/generate",
          "/invocations");

  /**
   * TGI failure reasons ({@code err} label) that are the caller's doing or a refusal with a 4xx
   * status: a bad request (422), the concurrency limit (429), a client that went away. Any other
   * reason ({@code generation}, {@code incomplete}, ...) is the server failing.
   */
  static final Set<String> TGI_CLIENT_FAILURES =
      Set.of("validation", "overloaded", "dropped", "cancelled", "canceled");

  private static final double MICROS = 1_000_000.0;

  private Recognisers() {}

  /** Which server wrote the page: the family with most samples (and declared types) wins. */
  static ServerKind detect(Page page) {
    int vllm = 0;
    int triton = 0;
    int tgi = 0;
    for (String name : page.names()) {
      int n = page.samples(name).size();
      if (name.startsWith("vllm:")) {
        vllm += n;
      } else if (name.startsWith("nv_")) {
        triton += n;
      } else if (name.startsWith("tgi_")) {
        tgi += n;
      }
    }
    for (String name : page.types().keySet()) {
      if (name.startsWith("vllm:")) {
        vllm++;
      } else if (name.startsWith("nv_")) {
        triton++;
      } else if (name.startsWith("tgi_")) {
        tgi++;
      }
    }
    int best = Math.max(vllm, Math.max(triton, tgi));
    if (best == 0) {
      return ServerKind.UNKNOWN;
    }
    return best == vllm ? ServerKind.VLLM : best == triton ? ServerKind.TRITON : ServerKind.TGI;
  }

  /** The snapshot of a page, or empty when no known server wrote it. */
  static Optional<ServerSnapshot> recognise(Page page) {
    return switch (detect(page)) {
      case VLLM -> Optional.of(vllm(page));
      case TRITON -> Optional.of(triton(page));
      case TGI -> Optional.of(tgi(page));
      case UNKNOWN -> Optional.empty();
    };
  }

  /**
   * vLLM. Requests and errors come from the HTTP middleware's {@code http_requests_total} over the
   * inference handlers (errors: status {@code 5xx} or an exact 5NN code) whenever the page declares
   * it; otherwise from {@code vllm:request_success_total}, which counts no failures (errors null).
   */
  static ServerSnapshot vllm(Page page) {
    Double requests;
    Double errors;
    String source;
    boolean httpOffered =
        page.has("http_requests_total")
            || page.types().containsKey("http_requests_total")
            || page.types().containsKey("http_requests");
    if (httpOffered) {
      Predicate<Sample> inference = s -> VLLM_INFERENCE_HANDLERS.contains(s.label("handler"));
      requests = zeroIfAbsent(sum(page, "http_requests_total", inference));
      errors =
          zeroIfAbsent(
              sum(page, "http_requests_total", inference.and(s -> isServerError(s.label("status")))));
      source = "http_requests_total";
    } else if (page.has("vllm:request_success_total")) {
      requests = sum(page, "vllm:request_success_total", s -> true);
      errors = null;
      source = "vllm:request_success_total";
    } else {
      requests = null;
      errors = null;
      source = null;
    }
    return new ServerSnapshot(
        ServerKind.VLLM,
        source,
        requests,
        errors,
        histogram(page, "vllm:e2e_request_latency_seconds"),
        null,
        null,
        null,
        sum(page, "vllm:num_requests_running", s -> true),
        sum(page, "vllm:num_requests_waiting", s -> true));
  }

  /**
   * Triton. Requests are successes plus failures; errors are failures except {@code
   * reason="CANCELED"} (the client gave up). The duration counter (microseconds, successful
   * requests) gives the mean latency; the optional summary gives server-side quantiles.
   */
  static ServerSnapshot triton(Page page) {
    Double success = sum(page, "nv_inference_request_success", s -> true);
    Double failure = sum(page, "nv_inference_request_failure", s -> true);
    Double serverFailure =
        sum(
            page,
            "nv_inference_request_failure",
            s -> !"CANCELED".equalsIgnoreCase(s.label("reason")));
    Double requests = success == null ? null : success + zeroIfAbsent(failure);
    Double durationUs = sum(page, "nv_inference_request_duration_us", s -> true);

    Map<Double, Double> quantiles = new HashMap<>();
    for (Sample s : page.samples("nv_inference_request_summary_us")) {
      Double q = s.label("quantile") == null ? null : PromText.parseValue(s.label("quantile"));
      if (q == null || !(q >= 0 && q <= 1) || !Double.isFinite(s.value()) || s.value() < 0) {
        continue; // NaN: no observation in the summary's window
      }
      // Quantiles of different models cannot be merged; the slowest model stands for the server.
      quantiles.merge(q, s.value() / MICROS, Math::max);
    }
    return new ServerSnapshot(
        ServerKind.TRITON,
        "nv_inference_request_success",
        requests,
        success == null ? null : zeroIfAbsent(serverFailure),
        null,
        durationUs == null ? null : durationUs / MICROS,
        durationUs == null ? null : success,
        new TreeMap<>(quantiles),
        null,
        sum(page, "nv_inference_pending_request_count", s -> true));
  }

  /**
   * TGI. Its exporter writes a counter only once it has counted something, so an absent counter
   * is zero. Errors are failures whose {@code err} is not one of {@link #TGI_CLIENT_FAILURES}.
   */
  static ServerSnapshot tgi(Page page) {
    Double count = sum(page, "tgi_request_count", s -> true);
    Double requests;
    if (count != null) {
      requests = count;
    } else {
      requests =
          zeroIfAbsent(sum(page, "tgi_request_success", s -> true))
              + zeroIfAbsent(sum(page, "tgi_request_failure", s -> true));
    }
    Double errors =
        zeroIfAbsent(
            sum(
                page,
                "tgi_request_failure",
                s -> {
                  String err = s.label("err");
                  return err == null || !TGI_CLIENT_FAILURES.contains(err.toLowerCase(Locale.ROOT));
                }));
    return new ServerSnapshot(
        ServerKind.TGI,
        "tgi_request_count",
        requests,
        errors,
        histogram(page, "tgi_request_duration"),
        null,
        null,
        null,
        sum(page, "tgi_batch_current_size", s -> true),
        sum(page, "tgi_queue_size", s -> true));
  }

  /** {@code 5xx}, {@code 500}..{@code 599}. */
  static boolean isServerError(String status) {
    return status != null && !status.isEmpty() && status.charAt(0) == '5';
  }

  /**
   * The histogram {@code base} summed over label sets by {@code le}, or null when the page has no
   * bucket of it.
   */
  static Histogram histogram(Page page, String base) {
    List<Sample> bucketSamples = page.samples(base + "_bucket");
    if (bucketSamples.isEmpty()) {
      return null;
    }
    Map<Double, Double> buckets = new HashMap<>();
    for (Sample s : bucketSamples) {
      String le = s.label("le");
      Double bound = le == null ? null : PromText.parseValue(le);
      if (bound == null || bound.isNaN() || !Double.isFinite(s.value())) {
        continue;
      }
      buckets.merge(bound, s.value(), Double::sum);
    }
    if (buckets.isEmpty()) {
      return null;
    }
    Double sum = sum(page, base + "_sum", s -> true);
    Double count = sum(page, base + "_count", s -> true);
    if (count == null) {
      count = buckets.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
    }
    return Histogram.of(buckets, zeroIfAbsent(sum), count);
  }

  /**
   * The sum of the finite values of the samples named {@code name} that match; null when the page
   * has no sample of that name (0 when it has some but none match).
   */
  static Double sum(Page page, String name, Predicate<Sample> filter) {
    List<Sample> samples = page.samples(name);
    if (samples.isEmpty()) {
      return null;
    }
    double total = 0;
    for (Sample s : samples) {
      if (Double.isFinite(s.value()) && filter.test(s)) {
        total += s.value();
      }
    }
    return total;
  }

  private static double zeroIfAbsent(Double value) {
    return value == null ? 0.0 : value;
  }
}

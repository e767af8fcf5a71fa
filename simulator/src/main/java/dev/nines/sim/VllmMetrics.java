package dev.nines.sim;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters a vLLM server exposes on {@code /metrics}, under vLLM's own names, and their text
 * exposition in the format Python's prometheus_client writes (values as floats, {@code le} last).
 * Thread-safe; {@link #render} is a pure function of a {@link Snapshot}.
 */
final class VllmMetrics {
  static final double[] BUCKETS = {
    0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 60
  };
  static final List<String> HANDLERS = List.of("/v1/completions", "/v1/chat/completions");
  static final List<String> STATUS_CLASSES = List.of("2xx", "4xx", "5xx");

  private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS.length + 1);
  private final DoubleAdder latencySum = new DoubleAdder();
  private final LongAdder latencyCount = new LongAdder();
  private final LongAdder promptTokens = new LongAdder();
  private final LongAdder generationTokens = new LongAdder();
  private final LongAdder successStop = new LongAdder();
  private final LongAdder successLength = new LongAdder();
  private final AtomicLongArray http = new AtomicLongArray(HANDLERS.size() * STATUS_CLASSES.size());

  /** A request that finished with an answer. */
  void recordSuccess(double latencySeconds, int prompt, int generated, boolean stoppedAtLength) {
    int i = 0;
    while (i < BUCKETS.length && latencySeconds > BUCKETS[i]) {
      i++;
    }
    buckets.incrementAndGet(i);
    latencySum.add(latencySeconds);
    latencyCount.increment();
    promptTokens.add(prompt);
    generationTokens.add(generated);
    (stoppedAtLength ? successLength : successStop).increment();
  }

  /** One HTTP answer on an inference handler, by status code. */
  void recordHttp(String handler, int status) {
    int h = HANDLERS.indexOf(handler);
    if (h < 0) {
      throw new IllegalArgumentException("handler " + handler + " is not counted");
    }
    int s = status >= 500 ? 2 : (status >= 400 ? 1 : 0);
    http.incrementAndGet(h * STATUS_CLASSES.size() + s);
  }

  /** Everything {@link #render} needs, at one moment. */
  record Snapshot(
      String model,
      long[] bucketCounts,
      double latencySumSeconds,
      long latencyCount,
      int running,
      int waiting,
      long promptTokens,
      long generationTokens,
      long successStop,
      long successLength,
      long[] httpCounts) {}

  Snapshot snapshot(String model, int running, int waiting) {
    long[] b = new long[buckets.length()];
    for (int i = 0; i < b.length; i++) {
      b[i] = buckets.get(i);
    }
    long[] h = new long[http.length()];
    for (int i = 0; i < h.length; i++) {
      h[i] = http.get(i);
    }
    return new Snapshot(model, b, latencySum.sum(), latencyCount.sum(), running, waiting,
        promptTokens.sum(), generationTokens.sum(), successStop.sum(), successLength.sum(), h);
  }

  static String render(Snapshot s) {
    String m = "model_name=\"" + escape(s.model()) + "\"";
    StringBuilder out = new StringBuilder(4096);
    header(out, "vllm:num_requests_running", "Number of requests currently running on GPU.",
        "gauge");
    sample(out, "vllm:num_requests_running", m, s.running());
    header(out, "vllm:num_requests_waiting", "Number of requests waiting to be processed.",
        "gauge");
    sample(out, "vllm:num_requests_waiting", m, s.waiting());
    header(out, "vllm:prompt_tokens_total", "Number of prefill tokens processed.", "counter");
    sample(out, "vllm:prompt_tokens_total", m, s.promptTokens());
    header(out, "vllm:generation_tokens_total", "Number of generation tokens processed.",
        "counter");
    sample(out, "vllm:generation_tokens_total", m, s.generationTokens());
    header(out, "vllm:request_success_total", "Count of successfully processed requests.",
        "counter");
    sample(out, "vllm:request_success_total", m + ",finished_reason=\"length\"", s.successLength());
    sample(out, "vllm:request_success_total", m + ",finished_reason=\"stop\"", s.successStop());
    header(out, "vllm:e2e_request_latency_seconds",
        "Histogram of end to end request latency in seconds.", "histogram");
    long cumulative = 0;
    for (int i = 0; i <= BUCKETS.length; i++) {
      cumulative += s.bucketCounts()[i];
      String le = i < BUCKETS.length ? pyFloat(BUCKETS[i]) : "+Inf";
      sample(out, "vllm:e2e_request_latency_seconds_bucket", m + ",le=\"" + le + "\"", cumulative);
    }
    sample(out, "vllm:e2e_request_latency_seconds_count", m, s.latencyCount());
    out.append("vllm:e2e_request_latency_seconds_sum{").append(m).append("} ")
        .append(pyFloat(s.latencySumSeconds())).append('\n');
    header(out, "http_requests_total", "Total number of requests by method, status and handler.",
        "counter");
    for (int h = 0; h < HANDLERS.size(); h++) {
      for (int c = 0; c < STATUS_CLASSES.size(); c++) {
        sample(out, "http_requests_total",
            "handler=\"" + HANDLERS.get(h) + "\",method=\"POST\",status=\""
                + STATUS_CLASSES.get(c) + "\"",
            s.httpCounts()[h * STATUS_CLASSES.size() + c]);
      }
    }
    return out.toString();
  }

  private static void header(StringBuilder out, String name, String help, String type) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder out, String name, String labels, long value) {
    out.append(name).append('{').append(labels).append("} ").append(value).append(".0\n");
  }

  /** A float the way Python's repr writes it for these magnitudes: 1.0, 0.025, 12.5. */
  static String pyFloat(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%d.0", (long) v);
    }
    return Double.toString(v);
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}

package dev.nines.drills;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * An open-loop load generator: sends a real inference request every {@code 1/rate} seconds for a
 * bounded duration, whatever the answers do (a slow server does not slow the sending down), and
 * records every request. Steps (faults, runtime API commands) run at fixed offsets on their own
 * thread, and the instant each ran is recorded beside the requests.
 *
 * <p>Measured on this machine (2 shared cores): java.net.http.HttpClient keeps up with 200 req/s
 * through HAProxy; the sending thread stays within a millisecond of each due time.
 */
final class LoadGen {
  /** A completion with one token: the cheapest real inference request of the simulator. */
  static final String COMPLETION =
      "{\"model\": \"sim-llama-3-8b\", \"prompt\": \"drill\", \"max_tokens\": 1}";

  /**
   * What to send.
   *
   * @param target the URL to POST to, e.g. the HAProxy frontend's {@code /v1/completions}
   * @param ratePerSecond requests per second, 1..5000
   * @param duration how long to send
   * @param requestTimeout per-request client timeout (the request counts as failed after it)
   * @param body the JSON body
   */
  record Settings(URI target, int ratePerSecond, Duration duration, Duration requestTimeout, String body) {
    Settings {
      if (target == null) {
        throw new IllegalArgumentException("target is required");
      }
      if (ratePerSecond < 1 || ratePerSecond > 5000) {
        throw new IllegalArgumentException("ratePerSecond must be 1..5000 (was " + ratePerSecond + ")");
      }
      if (duration == null || duration.isNegative() || duration.isZero() || duration.toSeconds() > 300) {
        throw new IllegalArgumentException("duration must be in (0, 300 s] (was " + duration + ")");
      }
      if (requestTimeout == null || requestTimeout.toMillis() < 1) {
        throw new IllegalArgumentException("requestTimeout must be positive (was " + requestTimeout + ")");
      }
      if (body == null) {
        throw new IllegalArgumentException("body is required");
      }
    }

    /** {@code POST <baseUrl>/v1/completions} with one token, 30 s client timeout. */
    static Settings completions(String baseUrl, int ratePerSecond, Duration duration) {
      return new Settings(URI.create(baseUrl + "/v1/completions"), ratePerSecond, duration,
          Duration.ofSeconds(30), COMPLETION);
    }

    Settings withRequestTimeout(Duration v) {
      return new Settings(target, ratePerSecond, duration, v, body);
    }

    int requests() {
      return (int) Math.max(1, duration.toMillis() * ratePerSecond / 1000);
    }
  }

  /**
   * Something to do during the run.
   *
   * @param at offset from the start of the run
   * @param label the name its instant is recorded under (distinct within a run)
   * @param action what to do; a failure fails the run after the requests are in
   */
  record Step(Duration at, String label, Runnable action) {
    Step {
      if (at == null || at.isNegative()) {
        throw new IllegalArgumentException("at must be >= 0");
      }
      if (label == null || label.isBlank()) {
        throw new IllegalArgumentException("label must not be blank");
      }
      if (action == null) {
        throw new IllegalArgumentException("action is required");
      }
    }

    static Step at(Duration at, String label, Runnable action) {
      return new Step(at, label, action);
    }
  }

  private final LongSupplier ticker;

  /** @param ticker a monotonic nanosecond source ({@code System::nanoTime} in drills) */
  LoadGen(LongSupplier ticker) {
    this.ticker = ticker;
  }

  /**
   * Sends the load, runs the steps, and waits for every answer (at most the request timeout plus 10
   * s after the last send).
   *
   * @throws IllegalStateException if a step failed or answers are still missing after the wait
   */
  LoadResult run(Settings settings, List<Step> steps) {
    if (steps.stream().map(Step::label).distinct().count() != steps.size()) {
      throw new IllegalArgumentException("step labels must be distinct");
    }
    int n = settings.requests();
    long periodNanos = 1_000_000_000L / settings.ratePerSecond();
    AtomicReferenceArray<LoadResult.Sample> samples = new AtomicReferenceArray<>(n);
    CountDownLatch answered = new CountDownLatch(n);
    Map<String, Long> marks = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    List<Throwable> stepFailures = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService callbacks = Executors.newFixedThreadPool(2, daemon("loadgen-client"));
    ScheduledExecutorService stepper = Executors.newSingleThreadScheduledExecutor(daemon("loadgen-steps"));
    HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .executor(callbacks)
        .build();
    long start = ticker.getAsLong();
    try {
      for (Step step : steps) {
        stepper.schedule(() -> {
          marks.put(step.label(), ticker.getAsLong() - start);
          try {
            step.action().run();
          } catch (RuntimeException | Error e) {
            stepFailures.add(new IllegalStateException("step " + step.label() + " failed", e));
          }
        }, step.at().toNanos(), TimeUnit.NANOSECONDS);
      }
      for (int i = 0; i < n; i++) {
        long due = start + i * periodNanos;
        long now;
        while ((now = ticker.getAsLong()) < due) {
          LockSupport.parkNanos(due - now);
        }
        int index = i;
        long dueRel = due - start;
        long sentRel = now - start;
        HttpRequest request = HttpRequest.newBuilder(settings.target())
            .timeout(settings.requestTimeout())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(settings.body()))
            .build();
        try {
          client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
              .whenComplete((response, failure) -> {
                long end = ticker.getAsLong() - start;
                LoadResult.Sample s = failure == null
                    ? new LoadResult.Sample(dueRel, sentRel, end, response.statusCode(),
                        response.headers().firstValue("X-Served-By").orElse(null), null)
                    : new LoadResult.Sample(dueRel, sentRel, end, LoadResult.NO_ANSWER, null,
                        describe(failure));
                samples.set(index, s);
                answered.countDown();
              });
        } catch (RuntimeException e) {
          long end = ticker.getAsLong() - start;
          samples.set(index, new LoadResult.Sample(dueRel, sentRel, end, LoadResult.NO_ANSWER, null,
              describe(e)));
          answered.countDown();
        }
      }
      long sendEnd = ticker.getAsLong() - start;
      long waitMs = settings.requestTimeout().toMillis() + 10_000;
      try {
        if (!answered.await(waitMs, TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException(answered.getCount() + " of " + n
              + " requests still had no outcome " + waitMs + " ms after the last was sent");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for answers", e);
      }
      stepper.shutdown();
      try {
        if (!stepper.awaitTermination(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("a step was still running 30 s after the load ended");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the steps", e);
      }
      List<String> missed = steps.stream().map(Step::label).filter(l -> !marks.containsKey(l)).toList();
      if (!missed.isEmpty()) {
        throw new IllegalStateException("steps " + missed + " never ran: are they after the load's end?");
      }
      if (!stepFailures.isEmpty()) {
        IllegalStateException e = new IllegalStateException("a step failed", stepFailures.get(0));
        stepFailures.stream().skip(1).forEach(e::addSuppressed);
        throw e;
      }
      List<LoadResult.Sample> list = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        list.add(samples.get(i));
      }
      return new LoadResult(list, marks, sendEnd, start);
    } finally {
      stepper.shutdownNow();
      callbacks.shutdownNow();
    }
  }

  /**
   * Sends {@code seconds} of load to {@code baseUrl} and forgets it: the JIT, HAProxy and the
   * client's connection pool are warm before a drill measures. Fails if any request failed.
   */
  static void warmUp(String baseUrl, int ratePerSecond, int seconds) {
    LoadResult r = run(Settings.completions(baseUrl, ratePerSecond, Duration.ofSeconds(seconds)));
    if (r.failed() > 0) {
      throw new IllegalStateException("warm-up: " + r.failed() + " of " + r.total() + " requests failed: "
          + r.someErrors(3));
    }
  }

  /** {@link #run} with {@code System.nanoTime}. */
  static LoadResult run(Settings settings, Step... steps) {
    return new LoadGen(System::nanoTime).run(settings, List.of(steps));
  }

  private static String describe(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof HttpTimeoutException) {
      return "timeout";
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}

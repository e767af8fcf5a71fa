package dev.nines.server;

import static dev.nines.server.Fixtures.T0;
import static dev.nines.server.Fixtures.json;
import static dev.nines.server.Fixtures.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.server.store.GroupCommitWriter;
import dev.nines.server.store.ReportRecord;
import dev.nines.server.store.Store;
import dev.nines.server.store.Stores;
import dev.nines.server.store.WriteResult;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rough throughput measurement, not a test: run with {@code -Dnines.bench=true
 * -Dtest=IngestThroughputBench}. Prints reports per second through HTTP and through the writer alone.
 */
@EnabledIfSystemProperty(named = "nines.bench", matches = "true")
class IngestThroughputBench {
  @TempDir Path dir;

  @Test
  void measureHttpIngest() throws Exception {
    int threads = Integer.getInteger("nines.bench.threads", 32);
    int perThread = Integer.getInteger("nines.bench.reports", 1000);
    try (NinesServer server = Fixtures.start(dir)) {
      Fixtures.Api api = new Fixtures.Api(server);
      String token = server.createToken("agent", "bench");
      List<List<String>> bodies = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        List<String> mine = new ArrayList<>();
        for (int s = 1; s <= perThread; s++) {
          mine.add(json(report("bench-" + t, s, 0.5, 60)));
        }
        bodies.add(mine);
      }
      // warm-up
      for (int s = 1; s <= 500; s++) {
        api.post("/api/v1/reports", token, json(report("warm", s, 0.5, 60)));
      }
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        List<String> mine = bodies.get(t);
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  int ok = 0;
                  for (String b : mine) {
                    if (api.post("/api/v1/reports", token, b).statusCode() == 200) {
                      ok++;
                    }
                  }
                  return ok;
                }));
      }
      long start = System.nanoTime();
      go.countDown();
      int ok = 0;
      for (Future<Integer> f : done) {
        ok += f.get(10, TimeUnit.MINUTES);
      }
      double secs = (System.nanoTime() - start) / 1e9;
      pool.shutdownNow();
      System.out.printf(
          "BENCH http: %d reports (%d bytes each) from %d threads in %.2f s = %.0f reports/s%n",
          ok, bodies.get(0).get(0).length(), threads, secs, ok / secs);
      assertThat(ok).isEqualTo(threads * perThread);
    }
  }

  @Test
  void measureWriterAlone() throws Exception {
    int n = 100_000;
    String body = json(report("w", 1, 0.5, 60));
    // Each report also writes its samples (1 host, 2 GPU and 1 endpoint rows), as ingest does.
    // -Dnines.bench.samples=false leaves them out, for comparison.
    dev.nines.server.store.ReportSamples samples =
        Boolean.parseBoolean(System.getProperty("nines.bench.samples", "true"))
            ? dev.nines.server.store.ReportSamples.of(report("w", 1, 0.5, 60))
            : dev.nines.server.store.ReportSamples.NONE;
    try (Store store = Stores.open(dir.resolve("w.db").toString(), Clock.systemUTC());
        GroupCommitWriter writer = new GroupCommitWriter(store, n, 2000, GroupCommitWriter.ignore())) {
      long start = System.nanoTime();
      List<CompletableFuture<WriteResult>> fs = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        fs.add(writer.submit(new ReportRecord("w" + (i % 100), i, T0 + i * 50L, i, "p", "{}", body, samples)));
      }
      CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).get(5, TimeUnit.MINUTES);
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.printf("BENCH writer: %d reports in %.2f s = %.0f reports/s%n", n, secs, n / secs);
    }
  }
}

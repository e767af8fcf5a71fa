package dev.nines.server;

import static java.nio.charset.StandardCharsets.UTF_8;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput measurements, not tests: run with {@code -Dnines.bench=true -Dtest=IngestThroughputBench}
 * (or {@code bench/ingest.sh}, which runs the same harness). Prints reports per second through HTTP
 * (a server process under {@link IngestLoad}) and through the writer alone.
 */
@EnabledIfSystemProperty(named = "nines.bench", matches = "true")
class IngestThroughputBench {
  @TempDir Path dir;

  /** The full harness ({@link IngestLoad}) against a server process, as {@code bench/ingest.sh} runs it. */
  @Test
  void measureHttpIngest() throws Exception {
    String xmx = System.getProperty("nines.bench.xmx", "512m");
    try (ServerProcess server =
        ServerProcess.start(dir, dir.resolve("nines.db"), Fixtures.ADMIN, List.of("-Xmx" + xmx))) {
      IngestLoad.Options o =
          IngestLoad.Options.parse(
              new String[] {
                "--url=" + server.url(), "--token=" + Fixtures.ADMIN, "--server-pid=" + server.pid(), "--xmx=" + xmx,
                "--agents=" + Integer.getInteger("nines.bench.agents", 500),
                "--seconds=" + Integer.getInteger("nines.bench.seconds", 15),
                "--rate=" + Integer.getInteger("nines.bench.rate", 0)
              });
      IngestLoad.Result r = IngestLoad.run(o);
      IngestLoad.print(o, r);
      assertThat(r.ok()).isPositive();
    }
  }

  @Test
  void measureWriterAlone() throws Exception {
    int n = Integer.getInteger("nines.bench.writer.reports", 100_000);
    int agents = 1000;
    IngestLoad.Options o =
        IngestLoad.Options.parse(new String[] {"--url=http://127.0.0.1:1", "--token=x", "--agents=" + agents});
    List<String> bodies = new ArrayList<>();
    List<dev.nines.server.store.ReportSamples> samples = new ArrayList<>();
    for (int a = 0; a < agents; a++) {
      bodies.add(new String(IngestLoad.Template.of(Fixtures.JSON, IngestLoad.report(a, o)).bytesFor(1, 1), UTF_8));
      samples.add(dev.nines.server.store.ReportSamples.of(IngestLoad.report(a, o)));
    }
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    try (Store store = Stores.open(dir.resolve("w.db").toString(), Clock.systemUTC());
        GroupCommitWriter writer =
            new GroupCommitWriter(store, n, Integer.getInteger("nines.bench.writer.batch", 2000), GroupCommitWriter.ignore())) {
      long writerThread =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().equals("nines-report-writer"))
              .findFirst()
              .orElseThrow()
              .getId();
      long cpu0 = cpu.getThreadCpuTime(writerThread);
      long start = System.nanoTime();
      List<CompletableFuture<WriteResult>> fs = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        int a = i % agents;
        fs.add(writer.submit(new ReportRecord("load-" + a, i, i, i, "p", "{}", bodies.get(a), samples.get(a))));
      }
      CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).get(5, TimeUnit.MINUTES);
      double secs = (System.nanoTime() - start) / 1e9;
      long writerCpu = cpu.getThreadCpuTime(writerThread) - cpu0;
      System.out.printf(
          "BENCH writer: %d reports (%d bytes) in %.2f s = %.0f reports/s; writer thread CPU %.1f us per report%n",
          n, bodies.get(0).length(), secs, n / secs, writerCpu / 1000.0 / n);
    }
  }
}

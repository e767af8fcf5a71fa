package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.json;
import static dev.nines.server.Fixtures.report;
import static dev.nines.server.Fixtures.rows;
import static dev.nines.server.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentIngestTest {
  static final int THREADS = 8;
  static final int PER_THREAD = 500;

  @TempDir Path dir;

  @Test
  void eightThreadsOfFiveHundredReportsAreAllAcknowledgedAndStoredExactlyOnce() throws Exception {
    try (NinesServer server = Fixtures.start(dir)) {
      Fixtures.Api api = new Fixtures.Api(server);
      String token = server.createToken("agent", "fleet");
      // Bodies are built up front so that the threads only do HTTP.
      List<List<String>> bodies = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        List<String> mine = new ArrayList<>();
        for (int seq = 1; seq <= PER_THREAD; seq++) {
          mine.add(json(report("node-" + t, seq, (seq % 100) / 100.0, 60)));
        }
        bodies.add(mine);
      }
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<int[]>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          List<String> mine = bodies.get(t);
          results.add(
              pool.submit(
                  () -> {
                    go.await();
                    int ok = 0;
                    int duplicates = 0;
                    for (String body : mine) {
                      var r = api.post("/api/v1/reports", token, body);
                      if (r.statusCode() == 200) {
                        ok++;
                        if (tree(r.body()).get("duplicate").asBoolean()) {
                          duplicates++;
                        }
                      }
                    }
                    return new int[] {ok, duplicates};
                  }));
        }
        go.countDown();
        int acknowledged = 0;
        int duplicates = 0;
        for (Future<int[]> f : results) {
          int[] r = f.get(120, TimeUnit.SECONDS);
          acknowledged += r[0];
          duplicates += r[1];
        }
        assertThat(acknowledged).isEqualTo(THREADS * PER_THREAD);
        assertThat(duplicates).isZero();
      } finally {
        pool.shutdownNow();
      }
      assertThat(rows(dir, "reports")).isEqualTo(THREADS * PER_THREAD);
      JsonNode hosts = tree(api.get("/api/v1/hosts", ADMIN).body());
      assertThat(hosts).hasSize(THREADS);
      for (JsonNode h : hosts) {
        assertThat(h.get("lastSeq").asLong()).isEqualTo(PER_THREAD);
      }
    }
  }
}

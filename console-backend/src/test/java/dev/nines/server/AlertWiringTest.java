package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.T0;
import static dev.nines.server.Fixtures.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.server.alerts.Alert;
import dev.nines.server.availability.BurnCheck;
import dev.nines.server.pools.PoolStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert engine fed by the real wiring (reports over HTTP, health, pools): a new pool whose
 * members come up one by one does not page for its first seconds below the guard, while a real
 * outage of the same pool later pages.
 */
class AlertWiringTest {
  @TempDir Path dir;
  final MovableClock clock = new MovableClock(T0);
  NinesServer server;
  Fixtures.Api api;
  final Map<String, Long> seq = new TreeMap<>();

  @BeforeEach
  void start() {
    server =
        NinesServer.start(
            new ServerSettings("127.0.0.1", 0, dir.resolve("nines.db").toString(), null, ADMIN), clock, null);
    api = new Fixtures.Api(server);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void reportFrom(String... hosts) {
    for (String h : hosts) {
      long n = seq.merge(h, 1L, Long::sum);
      assertThat(api.postReport(ADMIN, report(h, n, 0.2, 50)).statusCode()).isEqualTo(200);
    }
  }

  /** Moves the clock in 5 s steps for {@code d}, the given hosts reporting at each step, the jobs run. */
  private void run(Duration d, String... reporting) {
    for (long s = 0; s < d.toSeconds(); s += 5) {
      clock.advance(Duration.ofSeconds(5));
      reportFrom(reporting);
      server.health().runOnce(clock.instant());
      server.alerts().runOnce(clock.instant());
    }
  }

  private List<String> firing() {
    return server.alerts().alerts().stream()
        .filter(a -> a.state() == Alert.State.FIRING)
        .map(a -> a.labels().get("alertname"))
        .sorted()
        .toList();
  }

  @Test
  void aNewPoolComingUpMemberByMemberDoesNotPageButALaterOutageDoes() {
    reportFrom("node-1");
    clock.advance(Duration.ofSeconds(3));
    reportFrom("node-2", "node-3");
    run(Duration.ofSeconds(10), "node-1", "node-2", "node-3");

    PoolStatus pool = server.pools().snapshot(clock.instant()).pools().get(0);
    assertThat(pool.slo().firing())
        .as("over the pool's first seconds, its 3 s below the guard is a huge burn rate")
        .extracting(BurnCheck::firing)
        .isNotEmpty();
    assertThat(firing()).as("but nothing pages for it").doesNotContain("slo-fast-burn", "slo-slow-burn", "pool-capacity");

    run(Duration.ofMinutes(6), "node-1", "node-2", "node-3");
    assertThat(firing()).isEmpty();

    // two of three members go silent: the pool is below its guard for minutes
    run(Duration.ofMinutes(3), "node-1");
    assertThat(firing()).contains("pool-capacity", "slo-fast-burn", "host-down");
  }
}

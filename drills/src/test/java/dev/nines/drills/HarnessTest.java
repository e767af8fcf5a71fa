package dev.nines.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The harness itself against a real HAProxy: the load is spread, answers name their server. */
class HarnessTest {
  @TempDir Path dir;

  @BeforeEach
  void haproxy() {
    HaproxyInstalled.require();
  }

  @Test
  @Timeout(60)
  void threeServersShareTheLoadEvenlyAndEveryAnswerNamesItsServer() {
    try (SimServers sims = SimServers.start(3);
        Haproxy haproxy = Haproxy.start(Haproxy.Settings.of(sims.haproxyServers()), dir)) {
      LoadGen.warmUp(haproxy.frontendUrl(), 200, 2);
      LoadResult r = LoadGen.run(LoadGen.Settings.completions(haproxy.frontendUrl(), 200, Duration.ofSeconds(3)));

      assertThat(r.failed()).as("failures: %s", r.someErrors(5)).isZero();
      assertThat(r.total()).isEqualTo(600);
      assertThat(r.okWithoutServedBy()).isZero();
      Map<String, Long> per = r.perServer();
      assertThat(per).containsOnlyKeys("s1", "s2", "s3");
      assertThat(per.values()).allSatisfy(n -> assertThat(n).isBetween(170L, 230L));
      double p50 = r.percentileMs(0.5).orElseThrow();
      assertThat(p50).isBetween((double) SimServers.BASE_LATENCY_MS * 0.8, SimServers.BASE_LATENCY_MS + 40.0);
      // The generator keeps its rate: requests leave within a few ms of when they are due.
      assertThat(r.sendLagMs(0.99)).isLessThan(100.0);
      String line = String.format(java.util.Locale.ROOT,
          "HARNESS 3 servers at 200 req/s for 3 s: %s, p50 %.1f ms, p99 %.1f ms, send lag p99 %.2f ms", per, p50,
          r.percentileMs(0.99).orElseThrow(), r.sendLagMs(0.99));
      System.out.println(line);
    }
  }

  @Test
  @Timeout(60)
  void agentChecksOfAgentsThatAnswerReadyKeepEveryServerInRotation() {
    // No backend: an agent that never heard from one enforces ACTIVE, and answers the check so.
    String nowhere = "http://127.0.0.1:" + Ports.free();
    try (SimServers sims = SimServers.start(3);
        Agents agents = Agents.start(sims.servers(), nowhere, "token", "llm", dir);
        Haproxy haproxy = Haproxy.start(Haproxy.Settings.of(agents.haproxyServers())
            .withCheck(Haproxy.HealthCheck.debianDefaults()), dir)) {
      assertThat(java.nio.file.Files.readString(haproxy.configFile())).contains("agent-check agent-port");
      org.awaitility.Awaitility.await("agent checks answered").atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> assertThat(haproxy.stats()).extracting(HaproxyStats.ServerStat::agentStatus)
              .containsExactly("L7OK", "L7OK", "L7OK"));
      assertThat(haproxy.inRotation()).containsExactly("s1", "s2", "s3");

      LoadResult r = LoadGen.run(LoadGen.Settings.completions(haproxy.frontendUrl(), 100, Duration.ofSeconds(2)));
      assertThat(r.failed()).as("failures: %s", r.someErrors(5)).isZero();
      assertThat(r.perServer()).containsOnlyKeys("s1", "s2", "s3");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  @Timeout(30)
  void runtimeApiShowsEveryServerAndTakesStateCommands() {
    try (SimServers sims = SimServers.start(3);
        Haproxy haproxy = Haproxy.start(Haproxy.Settings.of(sims.haproxyServers()), dir)) {
      assertThat(haproxy.inRotation()).containsExactly("s1", "s2", "s3");

      haproxy.setState("s2", "drain");
      assertThat(haproxy.stat("s2").status()).isEqualTo("DRAIN");
      assertThat(haproxy.inRotation()).containsExactly("s1", "s3");

      haproxy.setState("s2", "ready");
      assertThat(haproxy.inRotation()).containsExactly("s1", "s2", "s3");
    }
  }
}

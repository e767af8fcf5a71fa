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
      System.out.printf("harness: 200 req/s for 3 s: %s, p50 %.1f ms, p99 %.1f ms%n", per, p50,
          r.percentileMs(0.99).orElseThrow());
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

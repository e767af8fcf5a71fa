package dev.nines.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The part-2 helpers: a backend child process and in-process agents reporting to it. */
class BackendHarnessTest {
  static final String TOKEN = "drill-admin-token-0123456789";

  @TempDir Path dir;

  @Test
  @Timeout(180)
  void threeAgentsMakeThreeHealthyHostsAndABackendKilledAndRestartedOnItsPortSeesThemAgain() {
    BackendProcess backend = BackendProcess.start(dir, TOKEN);
    BackendProcess restarted = null;
    try (SimServers sims = SimServers.start(3);
        Agents agents = Agents.start(sims.servers(), backend.url(), TOKEN, "llm", dir)) {
      Map<String, String> healthy = Map.of("host-1", "HEALTHY", "host-2", "HEALTHY", "host-3", "HEALTHY");
      await("3 hosts HEALTHY").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
          .untilAsserted(() -> assertThat(backend.hostHealth()).isEqualTo(healthy));
      assertThat(agents.haproxyServers()).extracting(Haproxy.Server::agentPort).allSatisfy(p -> assertThat(p).isPositive());

      int port = backend.port();
      long pid = backend.pid();
      backend.kill();
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

      restarted = backend.restart();
      assertThat(restarted.port()).isEqualTo(port);
      assertThat(restarted.pid()).isNotEqualTo(pid);
      BackendProcess again = restarted;
      long before = again.get("/api/v1/hosts").get(0).path("lastSeq").asLong();
      // Same database: the hosts are known at once; the agents' reports resume on the same port.
      await("reports again after the restart").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
          .untilAsserted(() -> {
            assertThat(again.hostHealth()).isEqualTo(healthy);
            assertThat(again.get("/api/v1/hosts").get(0).path("lastSeq").asLong()).isGreaterThan(before);
          });
      assertThat(restarted.hostRouting()).containsOnlyKeys("host-1", "host-2", "host-3");
    } finally {
      backend.close();
      if (restarted != null) {
        restarted.close();
      }
    }
  }
}

package dev.nines.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class LiveMetricsTest {
  @TempDir Path dir;

  @Test
  @Timeout(120)
  void dumpPages() throws Exception {
    try (LiveFleet fleet = LiveFleet.start(dir)) {
      await("host known").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
          .until(() -> fleet.get(fleet.serverUrl() + "/api/v1/hosts").contains(LiveFleet.HOST));
      await().pollDelay(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(25)).until(() -> true);
      Path out = Path.of("target/pages");
      Files.createDirectories(out);
      Files.writeString(out.resolve("server.txt"), fleet.serverPage(), StandardCharsets.UTF_8);
      Files.writeString(out.resolve("agent.txt"), fleet.agentPage(), StandardCharsets.UTF_8);
      assertThat(out).exists();
    }
  }
}

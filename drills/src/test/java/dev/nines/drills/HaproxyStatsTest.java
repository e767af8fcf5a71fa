package dev.nines.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HaproxyStatsTest {
  /** A real HAProxy 2.6.12 answer: s1 checked and down, s2 in maint, s3 drained, s4 unchecked. */
  private static String fixture() throws IOException {
    try (InputStream in = HaproxyStatsTest.class.getResourceAsStream("/show-stat.csv")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void readsEveryServerLineAndLeavesOutFrontendAndBackend() throws IOException {
    List<HaproxyStats.ServerStat> stats = HaproxyStats.parse(fixture());

    assertThat(stats).extracting(HaproxyStats.ServerStat::server).containsExactly("s1", "s2", "s3", "s4");
    assertThat(stats).extracting(HaproxyStats.ServerStat::status)
        .containsExactly("DOWN", "MAINT", "DRAIN", "no check");
    assertThat(stats).allSatisfy(s -> {
      assertThat(s.proxy()).isEqualTo("llm");
      assertThat(s.weight()).isEqualTo(1);
      assertThat(s.currentSessions()).isZero();
      assertThat(s.agentStatus()).isEmpty();
    });
  }

  @Test
  void onlyUpOrUncheckedServersWithWeightAreInRotation() throws IOException {
    List<HaproxyStats.ServerStat> stats = HaproxyStats.parse(fixture());

    assertThat(stats).filteredOn(HaproxyStats.ServerStat::inRotation)
        .extracting(HaproxyStats.ServerStat::server).containsExactly("s4");
    assertThat(new HaproxyStats.ServerStat("llm", "s1", "UP 1/3", 0, 0, 1, "").inRotation()).isTrue();
    assertThat(new HaproxyStats.ServerStat("llm", "s1", "DOWN 1/2", 0, 0, 1, "").inRotation()).isFalse();
    assertThat(new HaproxyStats.ServerStat("llm", "s1", "UP", 0, 0, 0, "").inRotation()).isFalse();
  }

  @Test
  void findsOneServerByBackendAndName() throws IOException {
    List<HaproxyStats.ServerStat> stats = HaproxyStats.parse(fixture());

    assertThat(HaproxyStats.find(stats, "llm", "s3")).map(HaproxyStats.ServerStat::status).contains("DRAIN");
    assertThat(HaproxyStats.find(stats, "llm", "s9")).isEmpty();
  }

  @Test
  void rejectsAnAnswerWithoutItsHeader() {
    assertThatThrownBy(() -> HaproxyStats.parse("Unknown command.\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("header");
    assertThatThrownBy(() -> HaproxyStats.parse("# pxname,svname\nllm,s1\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column status");
  }
}

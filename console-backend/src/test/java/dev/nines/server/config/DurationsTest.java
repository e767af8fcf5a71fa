package dev.nines.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void readsWholeNumbersWithAUnitAndIsoDurations() {
    assertThat(Durations.parse("x", "0s")).isEqualTo(Duration.ZERO);
    assertThat(Durations.format(Duration.ofDays(30))).isEqualTo("30d");
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.positive("x", "48h")).isEqualTo(Duration.ofHours(48));
    assertThat(Durations.positive("x", "30d")).isEqualTo(Duration.ofDays(30));
    assertThat(Durations.positive("x", " 5m ")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.positive("x", "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.positive("x", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.positive("x", "PT90S")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void refusesNonsenseZeroAndNegativeNamingTheSetting() {
    for (String bad : new String[] {"", "48", "h", "1.5h", "-1h", "48 hours", "PTxS", "9999999999999d"}) {
      assertThatThrownBy(() -> Durations.positive("--retain-raw", bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--retain-raw");
    }
    assertThatThrownBy(() -> Durations.positive("--retain-raw", "0h")).hasMessageContaining("positive");
    assertThatThrownBy(() -> Durations.positive("--retain-raw", "PT-1S")).hasMessageContaining("positive");
  }
}

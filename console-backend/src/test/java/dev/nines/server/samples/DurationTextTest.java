package dev.nines.server.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {
  @Test
  void readsWholeNumbersWithAUnitAndIsoDurations() {
    assertThat(DurationText.parse("x", "48h")).isEqualTo(Duration.ofHours(48));
    assertThat(DurationText.parse("x", "30d")).isEqualTo(Duration.ofDays(30));
    assertThat(DurationText.parse("x", " 5m ")).isEqualTo(Duration.ofMinutes(5));
    assertThat(DurationText.parse("x", "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationText.parse("x", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(DurationText.parse("x", "PT90S")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void refusesNonsenseZeroAndNegativeNamingTheSetting() {
    for (String bad : new String[] {"", "48", "h", "1.5h", "-1h", "48 hours", "PTxS", "9999999999999d"}) {
      assertThatThrownBy(() -> DurationText.parse("--retain-raw", bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--retain-raw");
    }
    assertThatThrownBy(() -> DurationText.parse("--retain-raw", "0h")).hasMessageContaining("positive");
    assertThatThrownBy(() -> DurationText.parse("--retain-raw", "PT-1S")).hasMessageContaining("positive");
  }
}

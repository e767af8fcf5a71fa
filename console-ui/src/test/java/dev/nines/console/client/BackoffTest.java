package dev.nines.console.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void ceilingsDoubleFromHalfASecondUpToThirtySeconds() {
    Backoff b = Backoff.DEFAULT;
    assertThat(b.ceiling(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(b.ceiling(2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.ceiling(3)).isEqualTo(Duration.ofSeconds(2));
    assertThat(b.ceiling(7)).isEqualTo(Duration.ofSeconds(30)); // 32 s capped
    assertThat(b.ceiling(1000)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void delaysAreJitteredBetweenHalfAndAllOfTheCeilingAndSpreadOut() {
    Random r = new Random(42);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 10_000; i++) {
      long d = Backoff.DEFAULT.delay(8, r).toMillis();
      assertThat(d).isBetween(15_000L, 30_000L);
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    assertThat(min).isLessThan(16_000);
    assertThat(max).isGreaterThan(29_000);
  }

  @Test
  void badSettingsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("initial");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).hasMessageContaining("max");
    assertThatThrownBy(() -> Backoff.DEFAULT.ceiling(0)).hasMessageContaining("attempt");
  }
}

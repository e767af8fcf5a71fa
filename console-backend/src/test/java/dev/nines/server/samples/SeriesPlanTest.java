package dev.nines.server.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.server.store.Resolution;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SeriesPlanTest {
  static final long NOW = 1_700_000_000_000L;
  static final Retention KEEP = Retention.defaults();

  @Test
  void defaultsToTheLastHourWithARoundStepOfAboutThreeHundredPoints() {
    SeriesPlan p = SeriesPlan.of(NOW, null, null, null, KEEP);
    assertThat(p).isEqualTo(new SeriesPlan(NOW - 3_600_000, NOW, 15_000, Resolution.RAW));
    assertThat(SeriesPlan.niceStep(86_400_000)).isEqualTo(300_000);
    assertThat(SeriesPlan.niceStep(400L * 86_400_000)).isEqualTo(2L * 86_400_000);
  }

  @Test
  void rawServesFineStepsWhileItHoldsTheStartThenMinutesThenHours() {
    long h = 3_600_000;
    assertThat(SeriesPlan.of(NOW, NOW - 47 * h, NOW, 59_999L, KEEP).source()).isEqualTo(Resolution.RAW);
    assertThat(SeriesPlan.of(NOW, NOW - 49 * h, NOW, 59_999L, KEEP).source()).isEqualTo(Resolution.MINUTE);
    assertThat(SeriesPlan.of(NOW, NOW - h, NOW, 60_000L, KEEP).source()).isEqualTo(Resolution.MINUTE);
    assertThat(SeriesPlan.of(NOW, NOW - 31 * 24 * h, NOW, 600_000L, KEEP).source()).isEqualTo(Resolution.HOUR);
    assertThat(SeriesPlan.of(NOW, NOW - 2 * h, NOW, h, KEEP).source()).isEqualTo(Resolution.HOUR);
    Retention shortRaw = new Retention(Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(2));
    assertThat(SeriesPlan.of(NOW, NOW - 2 * h, NOW, 10_000L, shortRaw).source()).isEqualTo(Resolution.MINUTE);
  }

  @Test
  void aRollupSourceStartsAtTheBucketThatHoldsFrom() {
    SeriesPlan p = SeriesPlan.of(NOW, NOW - 3_600_000 + 1, NOW, 300_000L, KEEP);
    assertThat(p.source()).isEqualTo(Resolution.MINUTE);
    assertThat(p.fromMs() % 60_000).isZero();
    assertThat(p.fromMs()).isBetween(NOW - 3_660_000, NOW - 3_600_000);
  }

  @Test
  void refusesEmptyRangesTinyStepsAndTooManyPoints() {
    assertThatThrownBy(() -> SeriesPlan.of(NOW, NOW, NOW, null, KEEP)).hasMessageContaining("from");
    assertThatThrownBy(() -> SeriesPlan.of(NOW, NOW - 60_000, NOW, 999L, KEEP)).hasMessageContaining("step");
    assertThat(SeriesPlan.of(NOW, NOW - 11_000_000, NOW, 1_000L, KEEP).stepMs()).isEqualTo(1_000);
    assertThatThrownBy(() -> SeriesPlan.of(NOW, NOW - 11_001_000, NOW, 1_000L, KEEP))
        .hasMessageContaining("at most 11000");
  }
}

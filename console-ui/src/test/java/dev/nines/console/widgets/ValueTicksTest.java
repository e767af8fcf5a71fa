package dev.nines.console.widgets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValueTicksTest {
  @Test
  void percentAxisGetsRoundTicks() {
    ValueTicks.Scale s = ValueTicks.scale(0, 100, 6);
    assertThat(s.values()).containsExactly(0, 20, 40, 60, 80, 100);
    assertThat(s.decimals()).isZero();
  }

  @Test
  void latencyAxisCoversTheDataWithNiceSteps() {
    ValueTicks.Scale s = ValueTicks.scale(0, 437, 6);
    assertThat(s.first()).isEqualTo(0);
    assertThat(s.last()).isGreaterThanOrEqualTo(437);
    assertThat(s.step()).isEqualTo(100);
  }

  @Test
  void smallStepsGetDecimals() {
    ValueTicks.Scale s = ValueTicks.scale(0, 0.5, 6);
    assertThat(s.step()).isEqualTo(0.1);
    assertThat(s.decimals()).isEqualTo(1);
    assertThat(ValueTicks.scale(0, 10, 5).step()).isEqualTo(2.5);
    assertThat(ValueTicks.scale(0, 10, 5).decimals()).isEqualTo(1);
  }

  @Test
  void flatDataStillGetsARange() {
    ValueTicks.Scale s = ValueTicks.scale(70, 70, 5);
    assertThat(s.first()).isLessThan(70);
    assertThat(s.last()).isGreaterThan(70);
  }

  @Test
  void neverMoreTicksThanAsked() {
    for (int max = 2; max < 12; max++) {
      for (double hi : new double[] {1, 3, 7, 13, 99, 101, 437, 1000, 65_536}) {
        assertThat(ValueTicks.scale(0, hi, max).values().length)
            .as("max %d over 0..%s", max, hi)
            .isLessThanOrEqualTo(max + 1);
      }
    }
  }

  @Test
  void unitsFormatWhatTheBackendSends() {
    assertThat(Unit.RATIO_AS_PERCENT.format(0.423, 1)).isEqualTo("42.3 %");
    assertThat(Unit.CELSIUS.format(73)).isEqualTo("73.0 °C");
    assertThat(Unit.WATTS.format(312.4)).isEqualTo("312 W");
    assertThat(Unit.BYTES_AS_GIB.format(80L << 30)).isEqualTo("80.0 GiB");
    assertThat(Unit.MILLISECONDS.format(1.25)).isEqualTo("1.25 ms");
    assertThat(Unit.MILLISECONDS.format(Double.NaN)).isEqualTo("–");
    assertThat(Unit.NONE.format(-0.0001, 1)).isEqualTo("0.0");
  }

  @Test
  void percentTextShowsTheNinesWithoutRoundingUp() {
    assertThat(Formats.percent(0.9995)).isEqualTo("99.95 %");
    assertThat(Formats.percent(0.999)).isEqualTo("99.9 %");
    assertThat(Formats.percent(1.0)).isEqualTo("100 %");
    assertThat(Formats.percent(0.999999)).isEqualTo("99.999 %");
  }
}

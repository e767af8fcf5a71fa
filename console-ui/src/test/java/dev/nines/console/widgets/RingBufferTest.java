package dev.nines.console.widgets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RingBufferTest {
  @Test
  void ringKeepsOnlyTheNewestCapacitySamplesOldestFirst() {
    DoubleRing ring = new DoubleRing(3);
    for (int i = 1; i <= 10; i++) {
      ring.append(i);
    }
    assertThat(ring.size()).isEqualTo(3);
    assertThat(ring.toArray()).containsExactly(8, 9, 10);
    assertThat(ring.get(0)).isEqualTo(8);
    assertThat(ring.last()).isEqualTo(10);
  }

  @Test
  void ringStaysBoundedOverAMillionAppends() {
    DoubleRing ring = new DoubleRing(60);
    for (int i = 0; i < 1_000_000; i++) {
      ring.append(i);
    }
    assertThat(ring.size()).isEqualTo(60);
    assertThat(ring.get(0)).isEqualTo(999_940);
    assertThat(ring.version()).isEqualTo(1_000_000);
  }

  @Test
  void gapsAreSkippedByMinAndMax() {
    DoubleRing ring = new DoubleRing(5);
    ring.setAll(new double[] {Double.NaN, 4, Double.NaN, -2, 9});
    assertThat(ring.min()).isEqualTo(-2);
    assertThat(ring.max()).isEqualTo(9);
    ring.setAll(new double[] {Double.NaN});
    assertThat(ring.min()).isNaN();
  }

  @Test
  void setAllKeepsTheTailOfLongerData() {
    DoubleRing ring = new DoubleRing(2);
    ring.setAll(new double[] {1, 2, 3, 4});
    assertThat(ring.toArray()).containsExactly(3, 4);
    ring.append(5);
    assertThat(ring.toArray()).containsExactly(4, 5);
  }

  @Test
  void outOfRangeIndexIsRefused() {
    DoubleRing ring = new DoubleRing(2);
    ring.append(1);
    assertThatThrownBy(() -> ring.get(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> new DoubleRing(0)).hasMessageContaining("capacity");
  }

  @Test
  void timeBufferIsBoundedAndFindsTheNearestSample() {
    TimeSeriesBuffer b = new TimeSeriesBuffer(4);
    for (int i = 0; i < 10; i++) {
      b.append(i * 1000L, i);
    }
    assertThat(b.size()).isEqualTo(4);
    assertThat(b.timeAt(0)).isEqualTo(6000);
    assertThat(b.nearestIndex(7400)).isEqualTo(1);
    assertThat(b.nearestIndex(7600)).isEqualTo(2);
    assertThat(b.nearestIndex(7500)).isEqualTo(1); // a tie goes to the earlier sample
    assertThat(b.nearestIndex(0)).isEqualTo(0);
    assertThat(b.nearestIndex(99_000)).isEqualTo(3);
    assertThat(new TimeSeriesBuffer(1).nearestIndex(5)).isEqualTo(-1);
  }

  @Test
  void timeBufferRefusesTimeGoingBackwards() {
    TimeSeriesBuffer b = new TimeSeriesBuffer(4);
    b.append(2000, 1);
    assertThatThrownBy(() -> b.append(1000, 1)).hasMessageContaining("epochMillis");
  }

  @Test
  void burnConditionStateFollowsBothWindows() {
    assertThat(new BurnCondition("c", "page", 14.4, "1h", "5m", 15, 16, true).state())
        .isEqualTo(BurnCondition.State.FIRING);
    assertThat(new BurnCondition("c", "page", 14.4, "1h", "5m", 15, 3, false).state())
        .isEqualTo(BurnCondition.State.ELEVATED);
    assertThat(new BurnCondition("c", "page", 14.4, "1h", "5m", 1, 3, false).state())
        .isEqualTo(BurnCondition.State.OK);
    assertThat(
            new BurnCondition("c", "page", 14.4, "1h", "5m", Double.NaN, Double.NaN, false).state())
        .isEqualTo(BurnCondition.State.UNKNOWN);
  }

  @Test
  void healthParsesTheBackendWords() {
    assertThat(Health.parse("DEGRADED")).isEqualTo(Health.DEGRADED);
    assertThat(Health.parse(null)).isEqualTo(Health.UNKNOWN);
    assertThat(Health.parse("weird")).isEqualTo(Health.UNKNOWN);
  }
}

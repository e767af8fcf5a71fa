package dev.nines.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void ceilingDoublesFromOneSecondUpToTheSixtySecondCap() {
    Backoff backoff = Backoff.withDefaults(new Random(1));
    List<Long> ceilings = new ArrayList<>();
    for (int a = 0; a <= 8; a++) {
      ceilings.add(backoff.ceiling(a).toSeconds());
    }
    assertThat(ceilings).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
    assertThat(backoff.ceiling(1000)).isEqualTo(Duration.ofSeconds(60));
  }

  @RepeatedTest(20)
  void delaysStayWithinEqualJitterBoundsAndGrow(org.junit.jupiter.api.RepetitionInfo info) {
    Backoff backoff = Backoff.withDefaults(new Random(info.getCurrentRepetition()));
    long previousFloor = -1;
    for (int a = 0; a <= 12; a++) {
      long ceiling = backoff.ceiling(a).toMillis();
      long delay = backoff.nextDelay(a).toMillis();
      assertThat(delay).isBetween(ceiling / 2, ceiling);
      assertThat(ceiling / 2).isGreaterThanOrEqualTo(previousFloor);
      previousFloor = ceiling / 2;
    }
    assertThat(backoff.nextDelay(0)).isLessThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.nextDelay(20)).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void sameSeedGivesSameDelaysAndJitterActuallyVaries() {
    Backoff a = Backoff.withDefaults(new Random(7));
    Backoff b = Backoff.withDefaults(new Random(7));
    List<Duration> fromA = new ArrayList<>();
    List<Duration> fromB = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      fromA.add(a.nextDelay(6));
      fromB.add(b.nextDelay(6));
    }
    assertThat(fromA).isEqualTo(fromB);
    assertThat(fromA.stream().distinct().count()).isGreaterThan(1);
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new Random()))
        .hasMessageContaining("base");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()))
        .hasMessageContaining("cap");
    assertThatThrownBy(() -> Backoff.withDefaults(new Random()).nextDelay(-1))
        .hasMessageContaining("attempt");
  }
}

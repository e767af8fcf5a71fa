package dev.nines.server.healthwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.server.health.PoolContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PoolP95sTest {

  @Test
  void givesTheSameContextAsGatheringEveryMembersFigureAfterEveryChange() {
    Random random = new Random(42);
    Double[] members = new Double[40];
    PoolP95s pool = new PoolP95s();
    for (int step = 0; step < 20_000; step++) {
      int m = random.nextInt(members.length);
      Double next = figure(random);
      pool.replace(members[m], next);
      members[m] = next;
      int minMembers = 1 + random.nextInt(5);
      List<Double> all = new ArrayList<>(Arrays.asList(members));
      assertThat(pool.context(minMembers))
          .as("step %d", step)
          .isEqualTo(PoolContext.ofMemberP95s(all, minMembers));
    }
  }

  @Test
  void hasNoMedianBelowTheMinimumNumberOfMembersWithFigures() {
    PoolP95s pool = new PoolP95s();
    pool.replace(null, 10.0);
    pool.replace(null, Double.NaN);
    pool.replace(null, null);
    assertThat(pool.context(2)).isEqualTo(new PoolContext(null, 1));
    pool.replace(null, 30.0);
    assertThat(pool.context(2)).isEqualTo(new PoolContext(20.0, 2));
    pool.replace(10.0, null);
    assertThat(pool.size()).isEqualTo(1);
  }

  /** Mostly a few repeated values (ties), sometimes none, NaN, negative or infinite. */
  private static Double figure(Random random) {
    switch (random.nextInt(10)) {
      case 0:
        return null;
      case 1:
        return random.nextBoolean() ? Double.NaN : -1.0;
      case 2:
        return Double.POSITIVE_INFINITY;
      case 3:
        return random.nextBoolean() ? 0.0 : -0.0;
      default:
        return (double) random.nextInt(8) * 12.5;
    }
  }
}

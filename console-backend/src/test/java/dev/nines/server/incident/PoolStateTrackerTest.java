package dev.nines.server.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.protocol.RoutingState;
import dev.nines.server.availability.CapacityGuard;
import dev.nines.server.health.Health;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PoolStateTrackerTest {
  static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_000L);

  /** Members from letters: H healthy, D degraded, U unhealthy, ? unknown, M maintenance (healthy). */
  static List<PoolMember> members(String code) {
    List<PoolMember> out = new ArrayList<>();
    for (int i = 0; i < code.length(); i++) {
      char c = code.charAt(i);
      Health h =
          switch (c) {
            case 'H', 'M' -> Health.HEALTHY;
            case 'D' -> Health.DEGRADED;
            case 'U' -> Health.UNHEALTHY;
            default -> Health.UNKNOWN;
          };
      out.add(new PoolMember("h" + i, h, c == 'M' ? RoutingState.MAINTENANCE : RoutingState.ACTIVE));
    }
    return out;
  }

  @ParameterizedTest(name = "{0} with guard {1}/{2} is {3}")
  @CsvSource({
    // members, minActive, fraction, state, required
    "HHHH, 0, 0.5, UP, 2",
    "HHUU, 0, 0.5, UP, 2",
    "HUUU, 0, 0.5, DOWN, 2",
    "HDUU, 0, 0.5, DEGRADED, 2",
    "DDUU, 0, 0.5, DEGRADED, 2",
    "D?UU, 0, 0.5, DOWN, 2",
    // Planned maintenance makes up the guard as in availability.Availability: MAINTENANCE, not DOWN.
    "HHUM, 3, 0, MAINTENANCE, 3",
    "HMMU, 3, 0, MAINTENANCE, 3",
    "HUMM, 4, 0, DOWN, 4",
    "HHDM, 3, 0, DEGRADED, 3",
    "HHHD, 4, 0, DEGRADED, 4",
    "H, 0, 0.5, UP, 1",
    "?, 0, 0.5, DOWN, 1",
    "HHH?, 0, 1.0, DOWN, 4",
  })
  void stateFollowsTheGuardCountingDegradedMembersOnlyForDegraded(
      String code, int minActive, double fraction, PoolState state, int required) {
    CapacityGuard guard = minActive > 0 ? CapacityGuard.atLeast(minActive) : CapacityGuard.fraction(fraction);
    PoolStatus s = PoolStateTracker.evaluate("p", members(code), guard);
    assertThat(s.state()).isEqualTo(state);
    assertThat(s.required()).isEqualTo(required);
  }

  @Test
  void statusNamesDownAndDegradedMembersSorted() {
    PoolStatus s = PoolStateTracker.evaluate("p", members("UHD?M"), CapacityGuard.fraction(0.5));
    assertThat(s.down()).containsExactly("h0", "h3", "h4");
    assertThat(s.degradedMembers()).containsExactly("h2");
    assertThat(s.healthy()).isEqualTo(1);
    assertThat(s.degraded()).isEqualTo(1);
    assertThat(s.members()).isEqualTo(5);
  }

  @Test
  void reportsAChangeOnlyWhenTheStateChanges() {
    PoolStateTracker t = new PoolStateTracker(null);
    assertThat(t.update("p", members("HH"), T0)).isEmpty(); // a new pool counts as having been UP
    PoolStateChange down = t.update("p", members("UU"), T0.plusSeconds(1)).orElseThrow();
    assertThat(down.from()).isEqualTo(PoolState.UP);
    assertThat(down.to()).isEqualTo(PoolState.DOWN);
    assertThat(t.update("p", members("?U"), T0.plusSeconds(2))).isEmpty();
    assertThat(t.update("p", members("HU"), T0.plusSeconds(3))).get().extracting(PoolStateChange::to).isEqualTo(PoolState.UP);
  }

  @Test
  void guardFunctionIsAskedPerPoolAndNullMeansHalf() {
    PoolStateTracker t = new PoolStateTracker(pool -> pool.equals("strict") ? CapacityGuard.atLeast(3) : null);
    assertThat(t.guardOf("strict")).isEqualTo(CapacityGuard.atLeast(3));
    assertThat(t.guardOf("other")).isEqualTo(CapacityGuard.fraction(0.5));
    assertThat(t.update("strict", members("HHU"), T0)).get().extracting(PoolStateChange::to).isEqualTo(PoolState.DOWN);
    assertThat(t.update("other", members("HHU"), T0)).isEmpty();
  }

  @Test
  void restoredStateIsTheBaselineAfterARestart() {
    PoolStateTracker t = new PoolStateTracker(null);
    t.restore("p", PoolState.DOWN);
    assertThat(t.update("p", members("UU"), T0)).isEmpty();
    assertThat(t.update("p", members("HH"), T0)).get().extracting(PoolStateChange::from).isEqualTo(PoolState.DOWN);
  }
}

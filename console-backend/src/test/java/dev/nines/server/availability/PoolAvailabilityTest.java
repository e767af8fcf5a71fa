package dev.nines.server.availability;

import dev.nines.server.health.Health;
import static dev.nines.server.availability.Timelines.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nines.protocol.RoutingState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PoolAvailabilityTest {
  private static final double EPS = 1e-12;

  private static AvailabilityFigures pool(List<HostTimeline> members, CapacityGuard guard, Window w, DegradedPolicy p) {
    return Availability.pool(members, List.of(), guard, w, p);
  }

  // a: down [10,40); b: down [30,50); c: always up. Minimum 2 of 3.
  // Up members: [0,10) 3, [10,30) 2, [30,40) 1, [40,50) 2, [50,60) 3 -> pool down only [30,40).
  private static final List<HostTimeline> TWO_OVERLAPPING_FAILURES =
      List.of(
          HostTimeline.of("a", List.of(healthy(0), unhealthy(10), healthy(40))),
          HostTimeline.of("b", List.of(healthy(0), unhealthy(30), healthy(50))),
          HostTimeline.of("c", List.of(healthy(0))));

  @Test
  void poolWithMinActiveTwoOfThreeIsDownOnlyWhileTwoFailuresOverlap() {
    AvailabilityFigures f = pool(TWO_OVERLAPPING_FAILURES, CapacityGuard.atLeast(2), window(0, 60), DegradedPolicy.DOWN);
    assertThat(f.downMs()).isEqualTo(minutes(10));
    assertThat(f.availability().getAsDouble()).isCloseTo(50.0 / 60.0, within(EPS));
    assertThat(f.outages()).containsExactly(new Outage(min(30), min(40), minutes(10), true));
    assertThat(f.mttrMs().getAsDouble()).isEqualTo(minutes(10));
    assertThat(f.longestOutageMs()).isEqualTo(minutes(10));
  }

  @Test
  void minActiveFractionRoundsUp() {
    // ceil(0.5 * 3) = 2: the same as minActive 2.
    AvailabilityFigures f = pool(TWO_OVERLAPPING_FAILURES, CapacityGuard.fraction(0.5), window(0, 60), DegradedPolicy.DOWN);
    assertThat(f.downMs()).isEqualTo(minutes(10));
    // 1 of 3 needed: never down; 3 of 3 needed: down whenever anyone is, [10,50).
    assertThat(pool(TWO_OVERLAPPING_FAILURES, CapacityGuard.atLeast(1), window(0, 60), DegradedPolicy.DOWN).downMs()).isZero();
    assertThat(pool(TWO_OVERLAPPING_FAILURES, CapacityGuard.fraction(1.0), window(0, 60), DegradedPolicy.DOWN).downMs())
        .isEqualTo(minutes(40));
    assertThat(CapacityGuard.fraction(0.3).requiredOf(10)).isEqualTo(3);
    assertThat(CapacityGuard.fraction(0.34).requiredOf(3)).isEqualTo(2);
    assertThat(CapacityGuard.fraction(0.5).requiredOf(1)).isEqualTo(1);
  }

  @Test
  void degradedMembersCountPerPolicy() {
    // a up; b degraded [0,20) then up; c unhealthy all along. Need 2.
    // [0,20): 1 up + 1 degraded -> pool degraded; [20,60): 2 up.
    List<HostTimeline> members =
        List.of(
            HostTimeline.of("a", List.of(healthy(0))),
            HostTimeline.of("b", List.of(degraded(0), healthy(20))),
            HostTimeline.of("c", List.of(unhealthy(0))));
    Window w = window(0, 60);
    assertThat(pool(members, CapacityGuard.atLeast(2), w, DegradedPolicy.UP).availability().getAsDouble()).isEqualTo(1.0);
    assertThat(pool(members, CapacityGuard.atLeast(2), w, DegradedPolicy.DOWN).availability().getAsDouble())
        .isCloseTo(40.0 / 60.0, within(EPS));
    // (40 + 0.3 * 20) / 60
    assertThat(pool(members, CapacityGuard.atLeast(2), w, DegradedPolicy.weighted(0.3)).availability().getAsDouble())
        .isCloseTo(46.0 / 60.0, within(EPS));
  }

  @Test
  void shortfallCoveredByMembersInMaintenanceIsExcluded() {
    // a in maintenance [10,20) (window); b up; c unhealthy. Need 2.
    // [0,10) a+b up; [10,20) only b up, a in maintenance covers the shortfall -> excluded; [20,30) up.
    List<HostTimeline> members =
        List.of(
            new HostTimeline("a", List.of(healthy(0)), List.of(maintenance(10, 20))),
            HostTimeline.of("b", List.of(healthy(0))),
            HostTimeline.of("c", List.of(unhealthy(0))));
    AvailabilityFigures f = pool(members, CapacityGuard.atLeast(2), window(0, 30), DegradedPolicy.DOWN);
    assertThat(f.excludedMs()).isEqualTo(minutes(10));
    assertThat(f.availability().getAsDouble()).isEqualTo(1.0);
    // but when b also fails during a's maintenance, maintenance no longer covers the shortfall.
    List<HostTimeline> worse =
        List.of(members.get(0), HostTimeline.of("b", List.of(healthy(0), unhealthy(12), healthy(15))), members.get(2));
    AvailabilityFigures g = pool(worse, CapacityGuard.atLeast(2), window(0, 30), DegradedPolicy.DOWN);
    assertThat(g.downMs()).isEqualTo(minutes(3));
    assertThat(g.excludedMs()).isEqualTo(minutes(7));
  }

  @Test
  void poolMaintenanceWindowAndTimeBeforeAnyReportAreExcluded() {
    // a reports from 10, b from 20; need 1. Pool maintenance [40,50). a down [45,55).
    // [0,10) excluded (nobody reported); [40,50) excluded; down only [50,55) (b is... unhealthy).
    List<HostTimeline> members =
        List.of(
            HostTimeline.of("a", List.of(healthy(10), unhealthy(45), healthy(55))),
            HostTimeline.of("b", List.of(unhealthy(20))));
    AvailabilityFigures f =
        Availability.pool(members, List.of(maintenance(40, 50)), CapacityGuard.atLeast(1), window(0, 60), DegradedPolicy.DOWN);
    assertThat(f.excludedMs()).isEqualTo(minutes(20));
    assertThat(f.downMs()).isEqualTo(minutes(5));
    assertThat(f.outages()).containsExactly(new Outage(min(50), min(55), minutes(5), true));
  }

  @Test
  void poolWithoutMembersHasNoAvailability() {
    assertThat(pool(List.of(), CapacityGuard.atLeast(1), window(0, 60), DegradedPolicy.DOWN).availability()).isEmpty();
  }

  @Test
  void sweepAgreesWithMinuteByMinuteBruteForceOnRandomTimelines() {
    // Changes on whole minutes, so a per-minute brute force is exact.
    Random random = new Random(42);
    Health[] healths = Health.values();
    RoutingState[] routings = RoutingState.values();
    for (int round = 0; round < 20; round++) {
      int n = 1 + random.nextInt(6);
      List<HostTimeline> members = new ArrayList<>();
      for (int m = 0; m < n; m++) {
        List<StateChange> changes = new ArrayList<>();
        int t = random.nextInt(30);
        while (t < 600) {
          Health h = random.nextInt(3) == 0 ? healths[random.nextInt(4)] : Health.HEALTHY;
          RoutingState r = random.nextInt(6) == 0 ? routings[random.nextInt(4)] : RoutingState.ACTIVE;
          changes.add(routed(t, h, r));
          t += 1 + random.nextInt(40);
        }
        List<MaintenanceWindow> windows = new ArrayList<>();
        if (random.nextBoolean()) {
          int s = random.nextInt(500);
          windows.add(maintenance(s, s + 1 + random.nextInt(60)));
        }
        members.add(new HostTimeline("h" + m, changes, windows));
      }
      List<MaintenanceWindow> poolWindows = random.nextBoolean() ? List.of(maintenance(100, 130)) : List.of();
      CapacityGuard guard = CapacityGuard.atLeast(1 + random.nextInt(n));
      int from = random.nextInt(100);
      int to = from + 1 + random.nextInt(550);
      DegradedPolicy policy = DegradedPolicy.weighted(0.3);
      AvailabilityFigures f = Availability.pool(members, poolWindows, guard, window(from, to), policy);

      long[] brute = bruteForce(members, poolWindows, guard.requiredOf(n), from, to);
      assertThat(new long[] {f.upMs(), f.degradedMs(), f.downMs(), f.excludedMs()})
          .as("round %d", round)
          .containsExactly(brute);
      // A single member with minActive 1 is the host itself.
      AvailabilityFigures single =
          Availability.pool(List.of(members.get(0)), List.of(), CapacityGuard.atLeast(1), window(from, to), policy);
      AvailabilityFigures host = Availability.host(members.get(0), window(from, to), policy);
      assertThat(single).isEqualTo(host);
    }
  }

  /** up, degraded, down, excluded ms by checking every minute. */
  private static long[] bruteForce(List<HostTimeline> members, List<MaintenanceWindow> poolWindows, int need, int from, int to) {
    long[] out = new long[4];
    for (int t = from; t < to; t++) {
      int up = 0;
      int deg = 0;
      int maint = 0;
      int unreported = 0;
      for (HostTimeline h : members) {
        StateChange state = null;
        for (StateChange c : h.changes()) {
          if (!c.at().isAfter(min(t))) {
            state = c;
          }
        }
        boolean inWindow = inAny(h.maintenance(), t);
        if (inWindow || (state != null && state.routing() == RoutingState.MAINTENANCE)) {
          maint++;
        } else if (state == null) {
          unreported++;
        } else if (state.routing() == RoutingState.ACTIVE && state.health() == Health.HEALTHY) {
          up++;
        } else if (state.routing() == RoutingState.ACTIVE && state.health() == Health.DEGRADED) {
          deg++;
        }
      }
      int slot;
      if (inAny(poolWindows, t) || unreported == members.size()) {
        slot = 3;
      } else if (up >= need) {
        slot = 0;
      } else if (up + deg >= need) {
        slot = 1;
      } else if (up + deg + maint >= need) {
        slot = 3;
      } else {
        slot = 2;
      }
      out[slot] += MIN;
    }
    return out;
  }

  private static boolean inAny(List<MaintenanceWindow> windows, int t) {
    for (MaintenanceWindow w : windows) {
      if (!w.from().isAfter(min(t)) && w.to().isAfter(min(t))) {
        return true;
      }
    }
    return false;
  }
}

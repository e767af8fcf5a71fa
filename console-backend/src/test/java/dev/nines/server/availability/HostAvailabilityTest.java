package dev.nines.server.availability;

import dev.nines.server.health.Health;
import static dev.nines.server.availability.Timelines.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nines.protocol.RoutingState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostAvailabilityTest {
  private static final double EPS = 1e-12;

  private static AvailabilityFigures host(HostTimeline h, Window w) {
    return Availability.host(h, w, DegradedPolicy.DOWN);
  }

  // Timeline (minutes after T0): up [0, 60), down [60, 90), up [90, ...).
  private static final HostTimeline OUTAGE_60_TO_90 =
      HostTimeline.of("h1", List.of(healthy(0), unhealthy(60), healthy(90)));

  @Test
  void windowEndingInsideAnOutageCountsItOnceAsStillGoingOn() {
    // [0, 75): up 60, down 15 -> 60/75 = 0.8; one outage 60..75, not ended in the window.
    AvailabilityFigures f = host(OUTAGE_60_TO_90, window(0, 75));
    assertThat(f.countedMs()).isEqualTo(minutes(75));
    assertThat(f.downMs()).isEqualTo(minutes(15));
    assertThat(f.downtimeMs()).isEqualTo(minutes(15));
    assertThat(f.availability().getAsDouble()).isCloseTo(0.8, within(EPS));
    assertThat(f.outages()).containsExactly(new Outage(min(60), min(75), minutes(15), false));
    assertThat(f.mttrMs()).isEmpty(); // no outage ended inside
    assertThat(f.longestOutageMs()).isEqualTo(minutes(15));
    assertThat(f.mtbfMs().getAsDouble()).isEqualTo(minutes(60));
  }

  @Test
  void windowStartingInsideAnOutageCountsTheRestOnceAndSeesItEnd() {
    // [75, 120): down 75..90 (15), up 90..120 (30) -> 30/45; the outage ends inside.
    AvailabilityFigures f = host(OUTAGE_60_TO_90, window(75, 120));
    assertThat(f.availability().getAsDouble()).isCloseTo(30.0 / 45.0, within(EPS));
    assertThat(f.outages()).containsExactly(new Outage(min(75), min(90), minutes(15), true));
    assertThat(f.incidentCount()).isEqualTo(1);
    assertThat(f.mttrMs().getAsDouble()).isEqualTo(minutes(15));
  }

  @Test
  void halfOpenWindowsAtExactTransitionInstants() {
    // [60, 90) is exactly the outage: availability 0; the recovery at 90 is outside the window.
    AvailabilityFigures outage = host(OUTAGE_60_TO_90, window(60, 90));
    assertThat(outage.availability().getAsDouble()).isEqualTo(0.0);
    assertThat(outage.outages()).containsExactly(new Outage(min(60), min(90), minutes(30), false));
    // [30, 60) ends where the outage starts: nothing down.
    AvailabilityFigures before = host(OUTAGE_60_TO_90, window(30, 60));
    assertThat(before.availability().getAsDouble()).isEqualTo(1.0);
    assertThat(before.outages()).isEmpty();
    assertThat(before.mtbfMs()).isEmpty();
    // [90, 120) starts at the recovery: all up.
    assertThat(host(OUTAGE_60_TO_90, window(90, 120)).availability().getAsDouble()).isEqualTo(1.0);
    // One-millisecond windows either side of the 60-minute instant.
    Instant t = min(60);
    assertThat(host(OUTAGE_60_TO_90, new Window(t.minusMillis(1), t)).availability().getAsDouble()).isEqualTo(1.0);
    assertThat(host(OUTAGE_60_TO_90, new Window(t, t.plusMillis(1))).availability().getAsDouble()).isEqualTo(0.0);
  }

  @Test
  void maintenanceWindowOverlappingAnOutageIsExcludedFromBothSides() {
    // up [0,60), down [60,100), up after; maintenance [80,120).
    // Counted: [0,80) and [120,180) = 140; down 60..80 = 20 -> 120/140.
    HostTimeline h =
        new HostTimeline("h1", List.of(healthy(0), unhealthy(60), healthy(100)), List.of(maintenance(80, 120)));
    AvailabilityFigures f = host(h, window(0, 180));
    assertThat(f.countedMs()).isEqualTo(minutes(140));
    assertThat(f.excludedMs()).isEqualTo(minutes(40));
    assertThat(f.downMs()).isEqualTo(minutes(20));
    assertThat(f.availability().getAsDouble()).isCloseTo(120.0 / 140.0, within(EPS));
    // the outage's counted part ends where maintenance starts; up time follows after it.
    assertThat(f.outages()).containsExactly(new Outage(min(60), min(80), minutes(20), true));
  }

  @Test
  void routingMaintenanceIsExcludedLikeAWindow() {
    // up [0,60), down [60,70), MAINTENANCE (unhealthy) [70,90), up [90,120).
    // Counted 100, down 10 -> 0.9.
    HostTimeline h =
        HostTimeline.of(
            "h1",
            List.of(
                healthy(0),
                unhealthy(60),
                routed(70, Health.UNHEALTHY, RoutingState.MAINTENANCE),
                healthy(90)));
    AvailabilityFigures f = host(h, window(0, 120));
    assertThat(f.countedMs()).isEqualTo(minutes(100));
    assertThat(f.availability().getAsDouble()).isCloseTo(0.9, within(EPS));
    assertThat(f.incidentCount()).isEqualTo(1);
  }

  @Test
  void outageThatOutlastsAMaintenanceWindowIsOneOutage() {
    // down [60,90) with maintenance [70,80) inside: one outage 60..90 of 20 counted minutes.
    HostTimeline h = new HostTimeline("h1", List.of(healthy(0), unhealthy(60), healthy(90)), List.of(maintenance(70, 80)));
    AvailabilityFigures f = host(h, window(0, 120));
    assertThat(f.outages()).containsExactly(new Outage(min(60), min(90), minutes(20), true));
    assertThat(f.availability().getAsDouble()).isCloseTo(90.0 / 110.0, within(EPS));
  }

  @Test
  void hostThatNeverReportedHasNoAvailabilityRatherThanZeroOrOne() {
    AvailabilityFigures f = host(HostTimeline.of("silent", List.of()), window(0, 60));
    assertThat(f.availability()).isEmpty();
    assertThat(f.countedMs()).isZero();
    assertThat(f.excludedMs()).isEqualTo(minutes(60));
    assertThat(f.outages()).isEmpty();
    assertThat(f.mttrMs()).isEmpty();
    assertThat(f.mtbfMs()).isEmpty();
  }

  @Test
  void timeBeforeTheFirstReportIsExcluded() {
    // first report at 30 (healthy), down [45,50): counted 30, down 5 -> 25/30.
    HostTimeline h = HostTimeline.of("late", List.of(healthy(30), unhealthy(45), healthy(50)));
    AvailabilityFigures f = host(h, window(0, 60));
    assertThat(f.excludedMs()).isEqualTo(minutes(30));
    assertThat(f.availability().getAsDouble()).isCloseTo(25.0 / 30.0, within(EPS));
    // a window wholly before the first report
    assertThat(host(h, window(0, 30)).availability()).isEmpty();
  }

  // up [0,10), DEGRADED [10,20), up [20,40).
  private static final HostTimeline DEGRADED_10_TO_20 =
      HostTimeline.of("h1", List.of(healthy(0), degraded(10), healthy(20)));

  @Test
  void degradedCountedAsUp() {
    AvailabilityFigures f = Availability.host(DEGRADED_10_TO_20, window(0, 40), DegradedPolicy.UP);
    assertThat(f.availability().getAsDouble()).isEqualTo(1.0);
    assertThat(f.degradedMs()).isEqualTo(minutes(10));
    assertThat(f.downtimeMs()).isZero();
    assertThat(f.outages()).isEmpty();
  }

  @Test
  void degradedCountedAsDown() {
    // 30/40 = 0.75, one outage of 10 minutes.
    AvailabilityFigures f = Availability.host(DEGRADED_10_TO_20, window(0, 40), DegradedPolicy.DOWN);
    assertThat(f.availability().getAsDouble()).isCloseTo(0.75, within(EPS));
    assertThat(f.downtimeMs()).isEqualTo(minutes(10));
    assertThat(f.outages()).containsExactly(new Outage(min(10), min(20), minutes(10), true));
  }

  @Test
  void degradedWeightedAtPointThree() {
    // (30 + 0.3 * 10) / 40 = 0.825; downtime 0.7 * 10 = 7 minutes; still an incident.
    AvailabilityFigures f = Availability.host(DEGRADED_10_TO_20, window(0, 40), DegradedPolicy.weighted(0.3));
    assertThat(f.availability().getAsDouble()).isCloseTo(0.825, within(EPS));
    assertThat(f.downtimeMs()).isEqualTo(minutes(7));
    assertThat(f.incidentCount()).isEqualTo(1);
  }

  @Test
  void mttrMtbfAndLongestOutage() {
    // up [0,10) down [10,12) up [12,30) drained [30,35) up [35,50) unknown [50,53) up [53,60)
    // counted 60, down 2+5+3 = 10 -> 50/60; 3 outages, MTTR 10/3 min, MTBF 50/3 min, longest 5.
    HostTimeline h =
        HostTimeline.of(
            "h1",
            List.of(
                healthy(0),
                unhealthy(10),
                healthy(12),
                routed(30, Health.HEALTHY, RoutingState.DRAINED),
                healthy(35),
                unknown(50),
                healthy(53)));
    AvailabilityFigures f = host(h, window(0, 60));
    assertThat(f.availability().getAsDouble()).isCloseTo(50.0 / 60.0, within(EPS));
    assertThat(f.incidentCount()).isEqualTo(3);
    assertThat(f.mttrMs().getAsDouble()).isCloseTo(minutes(10) / 3.0, within(1e-6));
    assertThat(f.mtbfMs().getAsDouble()).isCloseTo(minutes(50) / 3.0, within(1e-6));
    assertThat(f.longestOutageMs()).isEqualTo(minutes(5));
    // cut at 52: the last outage (50..52) is still going on, so MTTR covers only the first two.
    AvailabilityFigures cut = host(h, window(0, 52));
    assertThat(cut.incidentCount()).isEqualTo(3);
    assertThat(cut.mttrMs().getAsDouble()).isCloseTo(minutes(7) / 2.0, within(1e-6));
  }

  @Test
  void consecutiveDownStatesFormOneOutage() {
    // unhealthy [10,20) then draining [20,30): one outage of 20 minutes.
    HostTimeline h =
        HostTimeline.of(
            "h1",
            List.of(healthy(0), unhealthy(10), routed(20, Health.UNHEALTHY, RoutingState.DRAINING), healthy(30)));
    assertThat(host(h, window(0, 40)).outages()).containsExactly(new Outage(min(10), min(30), minutes(20), true));
  }

  @Test
  void zeroLengthWindowIsRefused() {
    assertThatThrownBy(() -> new Window(min(10), min(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zero length");
  }

  @Test
  void windowEndingBeforeItStartsIsRefused() {
    assertThatThrownBy(() -> new Window(min(10), min(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("to");
  }

  @Test
  void changesOutOfOrderAreRefusedAndSameMillisecondChangesCollapseToTheLast() {
    assertThatThrownBy(() -> HostTimeline.of("h1", List.of(healthy(10), unhealthy(5))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("changes[1]");
    HostTimeline h = HostTimeline.of("h1", List.of(healthy(0), unhealthy(10), healthy(10), healthy(20)));
    assertThat(h.changes()).containsExactly(healthy(0));
    assertThat(host(h, window(0, 30)).availability().getAsDouble()).isEqualTo(1.0);
  }

  @Test
  void overlappingMaintenanceWindowsMerge() {
    HostTimeline h =
        new HostTimeline("h1", List.of(healthy(0)), List.of(maintenance(30, 40), maintenance(10, 20), maintenance(15, 30)));
    assertThat(h.maintenance()).containsExactly(maintenance(10, 40));
    assertThat(host(h, window(0, 60)).excludedMs()).isEqualTo(minutes(30));
  }
}

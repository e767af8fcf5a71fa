package dev.nines.server.availability;

import static dev.nines.server.availability.Timelines.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SloTest {
  private static final Slo SLO = new Slo(0.999, Duration.ofDays(30));
  // "now" is 40 days after T0; the host has reported since T0.
  private static final double NOW_MIN = 40 * 24 * 60;
  private static final Instant NOW = min(NOW_MIN);

  private static Function<Window, OptionalDouble> hostOver(HostTimeline h) {
    return w -> Availability.host(h, w, DegradedPolicy.DOWN).availability();
  }

  private static SloStatus statusWithOutage(double minutesBeforeNowStart, double minutesBeforeNowEnd) {
    HostTimeline h =
        HostTimeline.of(
            "h1",
            List.of(healthy(0), unhealthy(NOW_MIN - minutesBeforeNowStart), healthy(NOW_MIN - minutesBeforeNowEnd)));
    return Availability.slo(SLO, NOW, hostOver(h));
  }

  @Test
  void ongoingFourMinuteOutageFiresBothPagesButNotTheTicket() {
    // down [now-4m, now). Burn = unavailability / 0.001:
    // 5m: 4/5 -> 800; 30m: 4/30 -> 133.3; 1h: 4/60 -> 66.7; 6h: 4/360 -> 11.1; 3d: 4/4320 -> 0.926.
    SloStatus s = statusWithOutage(4, -1);
    assertThat(s.burnRate(BurnWindow.M5).getAsDouble()).isCloseTo(800.0, within(1e-6));
    assertThat(s.burnRate(BurnWindow.H1).getAsDouble()).isCloseTo(4000.0 / 60.0, within(1e-6));
    assertThat(s.burnRate(BurnWindow.D3).getAsDouble()).isCloseTo(4000.0 / 4320.0, within(1e-6));
    assertThat(s.check(BurnCondition.PAGE_FAST).firing()).isTrue();
    assertThat(s.check(BurnCondition.PAGE_SLOW).firing()).isTrue();
    assertThat(s.check(BurnCondition.TICKET).firing()).isFalse();
    assertThat(s.firing()).extracting(BurnCheck::condition).containsExactly(BurnCondition.PAGE_FAST, BurnCondition.PAGE_SLOW);
  }

  @Test
  void recoveredOutageStopsThePagesButKeepsTheTicket() {
    // down [now-60m, now-50m): 5m and 30m clean (0); 1h: 10/60 -> 166.7; 6h: 10/360 -> 27.8; 3d: 10/4320 -> 2.31.
    SloStatus s = statusWithOutage(60, 50);
    assertThat(s.burnRate(BurnWindow.M5).getAsDouble()).isZero();
    assertThat(s.burnRate(BurnWindow.H1).getAsDouble()).isCloseTo(10000.0 / 60.0, within(1e-6));
    assertThat(s.check(BurnCondition.PAGE_FAST).firing()).isFalse();
    assertThat(s.check(BurnCondition.PAGE_SLOW).firing()).isFalse();
    assertThat(s.check(BurnCondition.TICKET).firing()).isTrue();
    // budget over 30 days: 10 min of 43,200 -> consumed 10/43.2 = 0.2315, remaining 0.7685.
    assertThat(s.errorBudget()).isCloseTo(0.001, within(1e-15));
    assertThat(s.budgetConsumed().getAsDouble()).isCloseTo(10.0 / 43.2, within(1e-9));
    assertThat(s.budgetRemaining().getAsDouble()).isCloseTo(1 - 10.0 / 43.2, within(1e-9));
  }

  @Test
  void fastPageNeedsTheOneHourRateAboveFourteenPointFour() {
    // 50.4 s down ending at now: 1h burn = 50.4/3600/0.001 = 14.0 -> not firing (5m is 168).
    SloStatus below = statusWithOutage(50.4 / 60, -1);
    assertThat(below.burnRate(BurnWindow.H1).getAsDouble()).isCloseTo(14.0, within(1e-9));
    assertThat(below.check(BurnCondition.PAGE_FAST).firing()).isFalse();
    // 52 s: 1h burn = 14.44 -> firing.
    SloStatus above = statusWithOutage(52.0 / 60, -1);
    assertThat(above.burnRate(BurnWindow.H1).getAsDouble()).isCloseTo(14.444, within(1e-3));
    assertThat(above.check(BurnCondition.PAGE_FAST).firing()).isTrue();
  }

  @Test
  void noDataMeansNoRatesAndNothingFiring() {
    SloStatus s = Availability.slo(SLO, NOW, hostOver(HostTimeline.of("silent", List.of())));
    assertThat(s.periodAvailability()).isEmpty();
    assertThat(s.budgetRemaining()).isEmpty();
    assertThat(s.burnRates()).allSatisfy(r -> assertThat(r.rate()).isEmpty());
    assertThat(s.firing()).isEmpty();
  }

  @Test
  void requestBasedSlo() {
    // one bucket per minute for the last 3 days; the last 5 minutes serve 50 % errors.
    List<RequestCount> counts = new java.util.ArrayList<>();
    for (int m = 1; m <= 3 * 24 * 60; m++) {
      counts.add(new RequestCount(min(NOW_MIN - m), m <= 5 ? 50 : 100, 100));
    }
    SloStatus s = Availability.slo(SLO, NOW, w -> Availability.requests(counts, w).ratio());
    // 5m: 250 bad of 500 -> 0.5 -> burn 500; 1h: 250 of 6000 -> 41.7.
    assertThat(s.burnRate(BurnWindow.M5).getAsDouble()).isCloseTo(500.0, within(1e-6));
    assertThat(s.burnRate(BurnWindow.H1).getAsDouble()).isCloseTo(250.0 / 6000 / 0.001, within(1e-6));
    assertThat(s.check(BurnCondition.PAGE_FAST).firing()).isTrue();
  }

  @Test
  void conditionsHaveTheWorkbookNames() {
    assertThat(BurnCondition.PAGE_FAST.description()).isEqualTo("page: 14.4x over 1h and 5m");
    assertThat(BurnCondition.PAGE_SLOW.description()).isEqualTo("page: 6x over 6h and 30m");
    assertThat(BurnCondition.TICKET.description()).isEqualTo("ticket: 1x over 3d and 6h");
    assertThat(BurnCondition.PAGE_FAST.conditionName()).isEqualTo("page-14.4x-1h-5m");
  }
}

package dev.nines.server.pools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.server.MovableClock;
import dev.nines.server.audit.Actor;
import dev.nines.server.audit.Audit;
import dev.nines.server.availability.AvailabilityFigures;
import dev.nines.server.availability.Window;
import dev.nines.server.config.ServerConfig;
import dev.nines.server.maintenance.MaintenanceCalendar;
import dev.nines.server.maintenance.MaintenanceSpec;
import dev.nines.server.maintenance.Schedule;
import dev.nines.server.store.HealthInterval;
import dev.nines.server.store.ReportRecord;
import dev.nines.server.store.Store;
import dev.nines.server.store.Stores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maintenance windows from the calendar are excluded from availability in every figure PoolService
 * gives (host, pool, report, status), figures checked by hand.
 */
class PoolServiceMaintenanceTest {
  static final Instant T = Instant.parse("2026-06-01T10:00:00Z");
  static final long MIN = 60_000L;
  static final Actor OPS = Actor.token("tok", "ops");

  @TempDir Path dir;
  MovableClock clock = new MovableClock(T);
  Store store;
  MaintenanceCalendar calendar;
  PoolService pools;

  @BeforeEach
  void open() {
    store = Stores.open(dir.resolve("p.db").toString(), clock);
    calendar = new MaintenanceCalendar(store, new Audit(store, clock), null, clock);
    pools =
        new PoolService(
            store, () -> ServerConfig.parse(""), (host, from, to) -> List.of(), Duration.ZERO, calendar);
    // host a (pool llama) from 10:00: HEALTHY, down (UNHEALTHY) 10:20-10:30, then HEALTHY again
    long t = T.toEpochMilli();
    store.writeReports(List.of(new ReportRecord("a", 1, t, t, "llama", "{}", "{}")));
    health("a", "HEALTHY", t);
    health("a", "UNHEALTHY", t + 20 * MIN);
    health("a", "HEALTHY", t + 30 * MIN);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void health(String id, String state, long atMs) {
    store.recordHealthChange(new HealthInterval(id, state, atMs, null, "[]", state, "{}"));
  }

  static Window hour() {
    return new Window(T, T.plus(Duration.ofHours(1)));
  }

  static Instant at(long minutes) {
    return T.plus(Duration.ofMinutes(minutes));
  }

  @Test
  void withoutWindowsTheOutageCounts() {
    AvailabilityFigures f = pools.hostAvailability("a", hour()).orElseThrow().time();
    assertThat(f.downMs()).isEqualTo(10 * MIN);
    assertThat(f.availability().getAsDouble()).isEqualTo(50.0 / 60.0);
  }

  @Test
  void aWindowExactlyOverTheOutageMakesTheHourFullyAvailableWithTenMaintenanceMinutes() {
    calendar.create(new MaintenanceSpec(null, List.of("a"), new Schedule.OneOff(at(20), at(30)), "PSU swap"), OPS);
    PoolReport report = pools.report("llama", hour()).orElseThrow();
    for (AvailabilityFigures f :
        List.of(report.hosts().get(0).time(), report.availability().time(),
            pools.hostAvailability("a", hour()).orElseThrow().time(),
            pools.poolAvailability("llama", hour()).orElseThrow().time())) {
      assertThat(f.availability().getAsDouble()).isEqualTo(1.0);
      assertThat(f.excludedMs()).isEqualTo(10 * MIN);
      assertThat(f.downMs()).isZero();
      assertThat(f.countedMs()).isEqualTo(50 * MIN);
      assertThat(f.incidentCount()).isZero();
    }
  }

  @Test
  void aRecurringPoolWindowOverPartOfTheOutageExcludesExactlyThatPart() {
    // daily 10:25-10:45 UTC: covers the outage's last 5 minutes and 15 healthy ones
    calendar.create(
        new MaintenanceSpec(
            "llama", List.of(),
            new Schedule.Recurring(
                Schedule.Every.DAILY, Set.of(), LocalTime.of(10, 25), Duration.ofMinutes(20), ZoneOffset.UTC, null, null),
            "daily restart"),
        OPS);
    // window 10:00-11:00; maintenance 10:25-10:45; down 10:20-10:30 of which 10:25-10:30 excluded.
    // counted 40 min, down 5 min, up 35 min.
    PoolReport report = pools.report("llama", hour()).orElseThrow();
    for (AvailabilityFigures f : List.of(report.hosts().get(0).time(), report.availability().time())) {
      assertThat(f.countedMs()).isEqualTo(40 * MIN);
      assertThat(f.excludedMs()).isEqualTo(20 * MIN);
      assertThat(f.downMs()).isEqualTo(5 * MIN);
      assertThat(f.upMs()).isEqualTo(35 * MIN);
      assertThat(f.availability().getAsDouble()).isEqualTo(35.0 / 40.0);
      assertThat(f.incidentCount()).isEqualTo(1);
      assertThat(f.longestOutageMs()).isEqualTo(5 * MIN);
    }
    // the next day's occurrence: the same 20 minutes excluded over a day ending at 11:00 the next day
    Window day = new Window(T, T.plus(Duration.ofDays(1)).plus(Duration.ofHours(1)));
    AvailabilityFigures f = pools.poolAvailability("llama", day).orElseThrow().time();
    assertThat(f.excludedMs()).isEqualTo(40 * MIN);
    assertThat(f.downMs()).isEqualTo(5 * MIN);
  }

  @Test
  void theDailyFiguresOfTheUptimeReportCountPoolWindowsAsPoolAvailabilityDoes() {
    calendar.create(
        new MaintenanceSpec(
            "llama", List.of(),
            new Schedule.Recurring(
                Schedule.Every.DAILY, Set.of(), LocalTime.of(10, 25), Duration.ofMinutes(20), ZoneOffset.UTC, null, null),
            "daily restart"),
        OPS);
    clock.advance(Duration.ofDays(2));
    List<Window> days =
        List.of(new Window(T, T.plus(Duration.ofDays(1))), new Window(T.plus(Duration.ofDays(1)), T.plus(Duration.ofDays(2))));
    Window period = new Window(T, T.plus(Duration.ofDays(2)));
    List<AvailabilityFigures> byDay = pools.poolFigures("llama", days).orElseThrow();
    List<AvailabilityFigures> uptimeDays =
        pools.uptime("llama", period, days, store.hosts()).orElseThrow().daily();
    for (int i = 0; i < days.size(); i++) {
      AvailabilityFigures expected = pools.poolAvailability("llama", days.get(i)).orElseThrow().time();
      assertThat(byDay.get(i)).as("poolFigures, day %d", i).isEqualTo(expected);
      assertThat(uptimeDays.get(i)).as("uptime daily, day %d", i).isEqualTo(expected);
      assertThat(expected.excludedMs()).isEqualTo(20 * MIN);
    }
  }

  @Test
  void aCancelledWindowStopsCountingAtTheCancelButItsPastStays() {
    var m =
        calendar.create(new MaintenanceSpec("llama", List.of(), new Schedule.OneOff(at(15), at(45)), "rack move"), OPS);
    clock.setMillis(at(25).toEpochMilli());
    calendar.cancel(m.id(), OPS);
    // maintenance 10:15-10:25 only; down 10:25-10:30 counts
    AvailabilityFigures f = pools.hostAvailability("a", hour()).orElseThrow().time();
    assertThat(f.excludedMs()).isEqualTo(10 * MIN);
    assertThat(f.downMs()).isEqualTo(5 * MIN);
  }

  @Test
  void thePoolStateIsMaintenanceDuringAPoolWindowAndOtherPoolsAreUntouched() {
    long t = T.toEpochMilli();
    store.writeReports(List.of(new ReportRecord("b", 1, t, t, "other", "{}", "{}")));
    health("b", "UNHEALTHY", t);
    calendar.create(new MaintenanceSpec("llama", List.of(), new Schedule.OneOff(at(0), at(90)), "all of it"), OPS);
    assertThat(pools.pool("llama", at(40)).orElseThrow().state()).isEqualTo(PoolState.MAINTENANCE);
    assertThat(pools.pool("other", at(40)).orElseThrow().state()).isEqualTo(PoolState.DOWN);
    assertThat(pools.hostAvailability("b", hour()).orElseThrow().time().downMs()).isEqualTo(60 * MIN);
  }
}

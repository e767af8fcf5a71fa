package dev.nines.server.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure expansion of one-off and recurring windows into occurrences. */
class ScheduleTest {
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  static Instant at(String iso) {
    return Instant.parse(iso);
  }

  static Occurrence occ(String start, String end) {
    return new Occurrence(at(start), at(end));
  }

  static Schedule.Recurring weekly(Set<DayOfWeek> days, String time, Duration d, ZoneId zone, Instant from, Instant until) {
    return new Schedule.Recurring(Schedule.Every.WEEKLY, days, LocalTime.parse(time), d, zone, from, until);
  }

  static Schedule.Recurring daily(String time, Duration d, ZoneId zone, Instant from, Instant until) {
    return new Schedule.Recurring(Schedule.Every.DAILY, Set.of(), LocalTime.parse(time), d, zone, from, until);
  }

  @Test
  void weeklyInBerlinKeepsItsLocalTimeAcrossBothDaylightSavingChanges() {
    // Sundays 01:00 local for 2 h; summer time starts 2026-03-29 and ends 2026-10-25.
    Schedule s = weekly(Set.of(DayOfWeek.SUNDAY), "01:00", Duration.ofHours(2), BERLIN, null, null);
    assertThat(s.occurrences(at("2026-03-21T00:00:00Z"), at("2026-04-06T00:00:00Z")))
        .containsExactly(
            occ("2026-03-22T00:00:00Z", "2026-03-22T02:00:00Z"), // CET, UTC+1
            occ("2026-03-29T00:00:00Z", "2026-03-29T02:00:00Z"), // still CET at 01:00; 2 h of real time
            occ("2026-04-04T23:00:00Z", "2026-04-05T01:00:00Z")); // CEST, UTC+2
    assertThat(s.occurrences(at("2026-10-17T00:00:00Z"), at("2026-11-02T00:00:00Z")))
        .containsExactly(
            occ("2026-10-17T23:00:00Z", "2026-10-18T01:00:00Z"), // CEST
            occ("2026-10-24T23:00:00Z", "2026-10-25T01:00:00Z"), // 01:00 CEST, the clocks go back at 03:00
            occ("2026-11-01T00:00:00Z", "2026-11-01T02:00:00Z")); // CET
  }

  @Test
  void aStartTimeThatDoesNotExistMovesForwardByTheGapAndAnAmbiguousOneTakesSummerTime() {
    Schedule s = weekly(Set.of(DayOfWeek.SUNDAY), "02:30", Duration.ofMinutes(60), BERLIN, null, null);
    // 2026-03-29 02:30 does not exist in Berlin (02:00 -> 03:00): it becomes 03:30 CEST = 01:30Z
    assertThat(s.occurrences(at("2026-03-28T00:00:00Z"), at("2026-03-30T00:00:00Z")))
        .containsExactly(occ("2026-03-29T01:30:00Z", "2026-03-29T02:30:00Z"));
    // 2026-10-25 02:30 exists twice (03:00 CEST -> 02:00 CET): the earlier, 02:30 CEST = 00:30Z
    assertThat(s.occurrences(at("2026-10-24T00:00:00Z"), at("2026-10-26T00:00:00Z")))
        .containsExactly(occ("2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"));
  }

  @Test
  void weeklyOnSeveralDaysListsThemInTimeOrder() {
    Schedule s =
        weekly(Set.of(DayOfWeek.SATURDAY, DayOfWeek.TUESDAY), "22:00", Duration.ofHours(3), ZoneOffset.UTC, null, null);
    // 2026-06-01 is a Monday
    assertThat(s.occurrences(at("2026-06-01T00:00:00Z"), at("2026-06-10T00:00:00Z")))
        .containsExactly(
            occ("2026-06-02T22:00:00Z", "2026-06-03T01:00:00Z"),
            occ("2026-06-06T22:00:00Z", "2026-06-07T01:00:00Z"),
            occ("2026-06-09T22:00:00Z", "2026-06-10T01:00:00Z"));
  }

  @Test
  void dailyComesBackEveryDayAndOccurrencesCrossingTheQueryEdgesAreReturnedWhole() {
    Schedule s = daily("23:00", Duration.ofHours(2), ZoneOffset.UTC, null, null);
    // the query starts inside the 23:00 occurrence of the day before and ends inside the last one
    assertThat(s.occurrences(at("2026-06-02T00:30:00Z"), at("2026-06-04T23:30:00Z")))
        .containsExactly(
            occ("2026-06-01T23:00:00Z", "2026-06-02T01:00:00Z"),
            occ("2026-06-02T23:00:00Z", "2026-06-03T01:00:00Z"),
            occ("2026-06-03T23:00:00Z", "2026-06-04T01:00:00Z"),
            occ("2026-06-04T23:00:00Z", "2026-06-05T01:00:00Z"));
    // an occurrence that ends exactly at the query's start is outside ([start, end) windows)
    assertThat(s.occurrences(at("2026-06-02T01:00:00Z"), at("2026-06-02T23:00:00Z"))).isEmpty();
  }

  @Test
  void boundsKeepOnlyTheOccurrencesThatStartInsideThem() {
    Schedule s = daily("12:00", Duration.ofHours(1), ZoneOffset.UTC, at("2026-06-02T12:00:00Z"), at("2026-06-04T12:00:00Z"));
    assertThat(s.occurrences(at("2026-05-01T00:00:00Z"), at("2026-07-01T00:00:00Z")))
        .containsExactly(
            occ("2026-06-02T12:00:00Z", "2026-06-02T13:00:00Z"),
            occ("2026-06-03T12:00:00Z", "2026-06-03T13:00:00Z")); // until is exclusive
  }

  @Test
  void aOneOffWindowIsOneOccurrenceWhenItOverlapsTheQuery() {
    Schedule s = new Schedule.OneOff(at("2026-06-01T10:00:00Z"), at("2026-06-01T12:00:00Z"));
    assertThat(s.occurrences(at("2026-06-01T11:00:00Z"), at("2026-06-02T00:00:00Z")))
        .containsExactly(occ("2026-06-01T10:00:00Z", "2026-06-01T12:00:00Z"));
    assertThat(s.occurrences(at("2026-06-01T12:00:00Z"), at("2026-06-02T00:00:00Z"))).isEmpty();
    assertThat(s.occurrences(at("2026-05-31T00:00:00Z"), at("2026-06-01T10:00:00Z"))).isEmpty();
  }

  @Test
  void aCancelledWindowKeepsItsPastOccurrencesEndsTheCurrentOneAtTheCancelAndHasNoLaterOnes() {
    MaintenanceSpec spec =
        new MaintenanceSpec("p", List.of(), daily("10:00", Duration.ofHours(4), ZoneOffset.UTC, null, null), "patching");
    Maintenance m =
        new Maintenance("mw_1", spec, "ops", at("2026-06-01T00:00:00Z"), at("2026-06-03T11:00:00Z"), "ops");
    assertThat(m.occurrences(at("2026-06-01T00:00:00Z"), at("2026-06-10T00:00:00Z")))
        .containsExactly(
            occ("2026-06-01T10:00:00Z", "2026-06-01T14:00:00Z"),
            occ("2026-06-02T10:00:00Z", "2026-06-02T14:00:00Z"),
            occ("2026-06-03T10:00:00Z", "2026-06-03T11:00:00Z"));
    assertThat(m.current(at("2026-06-03T10:59:59Z"))).isEqualTo(occ("2026-06-03T10:00:00Z", "2026-06-03T11:00:00Z"));
    assertThat(m.current(at("2026-06-03T11:00:00Z"))).isNull();
    assertThat(m.next(at("2026-06-03T12:00:00Z"))).isNull();
    assertThat(m.activeAt(at("2026-06-02T12:00:00Z"))).isFalse();
  }

  @Test
  void currentAndNextFollowTheSchedule() {
    MaintenanceSpec spec =
        new MaintenanceSpec(
            null, List.of("h1"), weekly(Set.of(DayOfWeek.WEDNESDAY), "02:00", Duration.ofHours(1), BERLIN, null, null),
            "kernel updates");
    Maintenance m = new Maintenance("mw_2", spec, "ops", at("2026-06-01T00:00:00Z"), null, null);
    // 2026-06-03 is a Wednesday; 02:00 CEST = 00:00Z
    assertThat(m.current(at("2026-06-03T00:30:00Z"))).isEqualTo(occ("2026-06-03T00:00:00Z", "2026-06-03T01:00:00Z"));
    assertThat(m.next(at("2026-06-03T00:30:00Z"))).isEqualTo(occ("2026-06-10T00:00:00Z", "2026-06-10T01:00:00Z"));
    assertThat(m.current(at("2026-06-03T01:00:00Z"))).isNull();
    assertThat(m.activeAt(at("2026-06-03T01:00:00Z"))).isTrue();
  }

  @Test
  void aRecurringWindowThatStartsMonthsAheadHasItsFirstOccurrenceAsNext() {
    MaintenanceSpec spec =
        new MaintenanceSpec(
            "p", List.of(), daily("03:00", Duration.ofHours(1), ZoneOffset.UTC, at("2026-09-01T00:00:00Z"), null), "later");
    Maintenance m = new Maintenance("mw_3", spec, "ops", at("2026-06-01T00:00:00Z"), null, null);
    assertThat(m.next(at("2026-06-01T00:00:00Z"))).isEqualTo(occ("2026-09-01T03:00:00Z", "2026-09-01T04:00:00Z"));
  }
}

package dev.nines.console.widgets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeTicksTest {
  private static List<String> labels(List<TimeTicks.Tick> ticks) {
    return ticks.stream().map(TimeTicks.Tick::label).toList();
  }

  @Test
  void fifteenMinutesTickEveryTwoMinutesOnRoundMinutes() {
    Instant from = Instant.parse("2025-03-03T10:03:00Z");
    List<TimeTicks.Tick> ticks =
        TimeTicks.compute(from, from.plus(Duration.ofMinutes(15)), ZoneOffset.UTC, 8);
    assertThat(labels(ticks))
        .containsExactly("10:04", "10:06", "10:08", "10:10", "10:12", "10:14", "10:16");
    assertThat(ticks.get(0).at()).isEqualTo(Instant.parse("2025-03-03T10:04:00Z"));
  }

  @Test
  void fifteenMinutesWithFewerTicksStepsFiveMinutes() {
    Instant from = Instant.parse("2025-03-03T10:03:00Z");
    assertThat(labels(TimeTicks.compute(from, from.plusSeconds(900), ZoneOffset.UTC, 4)))
        .containsExactly("10:05", "10:10", "10:15");
  }

  @Test
  void sixHoursTickHourlyAndNameTheDateAtMidnight() {
    Instant from = Instant.parse("2025-03-03T21:30:00Z");
    assertThat(labels(TimeTicks.compute(from, from.plus(Duration.ofHours(6)), ZoneOffset.UTC, 8)))
        .containsExactly("22:00", "23:00", "Mar 4", "01:00", "02:00", "03:00");
  }

  @Test
  void sevenDaysTickEveryMidnightWithDates() {
    Instant from = Instant.parse("2025-03-03T12:00:00Z");
    List<TimeTicks.Tick> ticks =
        TimeTicks.compute(from, from.plus(Duration.ofDays(7)), ZoneOffset.UTC, 8);
    assertThat(labels(ticks))
        .containsExactly("Mar 4", "Mar 5", "Mar 6", "Mar 7", "Mar 8", "Mar 9", "Mar 10");
    assertThat(ticks.get(0).at()).isEqualTo(Instant.parse("2025-03-04T00:00:00Z"));
  }

  @Test
  void thirtyDaysTickOnMondays() {
    Instant from = Instant.parse("2025-03-01T00:00:00Z");
    List<TimeTicks.Tick> ticks =
        TimeTicks.compute(from, from.plus(Duration.ofDays(30)), ZoneOffset.UTC, 8);
    assertThat(labels(ticks)).containsExactly("Mar 3", "Mar 10", "Mar 17", "Mar 24");
  }

  @Test
  void localZoneTicksFallOnLocalMidnight() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    Instant from = Instant.parse("2025-03-03T12:00:00Z");
    List<TimeTicks.Tick> ticks = TimeTicks.compute(from, from.plus(Duration.ofDays(7)), berlin, 8);
    assertThat(ticks.get(0).at()).isEqualTo(Instant.parse("2025-03-03T23:00:00Z"));
    assertThat(ticks.get(0).label()).isEqualTo("Mar 4");
  }

  @Test
  void springForwardSkipsTheMissingHourWithoutDuplicates() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    Instant from = Instant.parse("2025-03-29T22:00:00Z"); // 23:00 local, DST starts at 02:00
    List<TimeTicks.Tick> ticks =
        TimeTicks.compute(from, from.plus(Duration.ofHours(6)), berlin, 8);
    assertThat(labels(ticks)).containsExactly("23:00", "Mar 30", "01:00", "03:00", "04:00", "05:00");
    assertThat(ticks.stream().map(TimeTicks.Tick::at).distinct()).hasSize(ticks.size());
  }

  @Test
  void stepGrowsWithTheRange() {
    assertThat(TimeTicks.step(Duration.ofMinutes(15), 8)).isEqualTo(Duration.ofMinutes(2));
    assertThat(TimeTicks.step(Duration.ofHours(6), 8)).isEqualTo(Duration.ofHours(1));
    assertThat(TimeTicks.step(Duration.ofDays(7), 8)).isEqualTo(Duration.ofDays(1));
    assertThat(TimeTicks.step(Duration.ofDays(30), 8)).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void refusesAnEmptyRange() {
    Instant t = Instant.parse("2025-03-03T10:00:00Z");
    assertThatThrownBy(() -> TimeTicks.compute(t, t, ZoneOffset.UTC, 8))
        .hasMessageContaining("to must be after from");
  }
}

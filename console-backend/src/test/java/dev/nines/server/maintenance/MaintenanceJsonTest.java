package dev.nines.server.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.server.api.Json;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing a window's JSON: what is accepted, and a refusal naming the field for the rest. */
class MaintenanceJsonTest {
  static final ObjectMapper JSON = Json.api();

  static JsonNode tree(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  void readsAOneOffWindowWithIsoAndEpochTimes() throws Exception {
    MaintenanceSpec s =
        MaintenanceJson.parse(
            tree("{'pool': 'llama', 'startsAt': '2026-06-01T10:00:00Z', 'endsAt': 1780315200000, 'comment': 'swap PSU'}"));
    assertThat(s.pool()).isEqualTo("llama");
    assertThat(s.hosts()).isEmpty();
    assertThat(s.schedule())
        .isEqualTo(new Schedule.OneOff(Instant.parse("2026-06-01T10:00:00Z"), Instant.ofEpochMilli(1780315200000L)));
  }

  @Test
  void readsAWeeklyWindowAndWritesItBackToAnEqualOne() throws Exception {
    MaintenanceSpec s =
        MaintenanceJson.parse(
            tree(
                "{'hosts': ['h1', 'h2', 'h1'], 'every': 'weekly', 'days': ['sun', 'WED', 'Monday'], 'at': '02:30',"
                    + " 'duration': '90m', 'zone': 'Europe/Berlin', 'until': '2027-01-01T00:00:00Z', 'comment': 'kernel'}"));
    assertThat(s.hosts()).containsExactly("h1", "h2");
    assertThat(s.schedule())
        .isEqualTo(
            new Schedule.Recurring(
                Schedule.Every.WEEKLY, Set.of(DayOfWeek.SUNDAY, DayOfWeek.WEDNESDAY, DayOfWeek.MONDAY),
                LocalTime.of(2, 30), Duration.ofMinutes(90), ZoneId.of("Europe/Berlin"), null,
                Instant.parse("2027-01-01T00:00:00Z")));
    assertThat(MaintenanceJson.parse(MaintenanceJson.write(JSON, s))).isEqualTo(s);
    assertThat(MaintenanceJson.write(JSON, s).get("days").toString()).isEqualTo("[\"MON\",\"WED\",\"SUN\"]");
  }

  @Test
  void theZoneDefaultsToUtc() throws Exception {
    MaintenanceSpec s =
        MaintenanceJson.parse(tree("{'pool': 'p', 'every': 'daily', 'at': '23:00', 'duration': '1h', 'comment': 'c'}"));
    assertThat(((Schedule.Recurring) s.schedule()).zone().getId()).isEqualTo("Z");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no scope | {'startsAt': '2026-06-01T10:00:00Z', 'endsAt': '2026-06-01T11:00:00Z', 'comment': 'c'} | pool or hosts",
        "empty hosts | {'hosts': [], 'startsAt': '2026-06-01T10:00:00Z', 'endsAt': '2026-06-01T11:00:00Z', 'comment': 'c'} | pool or hosts",
        "end before start | {'pool': 'p', 'startsAt': '2026-06-01T10:00:00Z', 'endsAt': '2026-06-01T09:00:00Z', 'comment': 'c'} | endsAt",
        "end equal start | {'pool': 'p', 'startsAt': '2026-06-01T10:00:00Z', 'endsAt': '2026-06-01T10:00:00Z', 'comment': 'c'} | endsAt",
        "no end | {'pool': 'p', 'startsAt': '2026-06-01T10:00:00Z', 'comment': 'c'} | endsAt",
        "bad instant | {'pool': 'p', 'startsAt': 'tomorrow', 'endsAt': '2026-06-01T10:00:00Z', 'comment': 'c'} | startsAt",
        "one-off over 30 days | {'pool': 'p', 'startsAt': '2026-06-01T00:00:00Z', 'endsAt': '2026-07-01T00:00:01Z', 'comment': 'c'} | endsAt",
        "zero duration | {'pool': 'p', 'every': 'daily', 'at': '02:00', 'duration': '0m', 'comment': 'c'} | duration",
        "negative duration | {'pool': 'p', 'every': 'daily', 'at': '02:00', 'duration': -5, 'comment': 'c'} | duration",
        "duration over 7 days | {'pool': 'p', 'every': 'weekly', 'days': ['MON'], 'at': '02:00', 'duration': '169h', 'comment': 'c'} | duration",
        "bad duration | {'pool': 'p', 'every': 'daily', 'at': '02:00', 'duration': 'long', 'comment': 'c'} | duration",
        "unknown day | {'pool': 'p', 'every': 'weekly', 'days': ['FUNDAY'], 'at': '02:00', 'duration': '1h', 'comment': 'c'} | days",
        "weekly without days | {'pool': 'p', 'every': 'weekly', 'at': '02:00', 'duration': '1h', 'comment': 'c'} | days",
        "days on daily | {'pool': 'p', 'every': 'daily', 'days': ['MON'], 'at': '02:00', 'duration': '1h', 'comment': 'c'} | days",
        "bad zone | {'pool': 'p', 'every': 'daily', 'at': '02:00', 'duration': '1h', 'zone': 'Mars/Olympus', 'comment': 'c'} | zone",
        "bad time | {'pool': 'p', 'every': 'daily', 'at': '25:00', 'duration': '1h', 'comment': 'c'} | at",
        "time with seconds | {'pool': 'p', 'every': 'daily', 'at': '02:00:30', 'duration': '1h', 'comment': 'c'} | at",
        "bad every | {'pool': 'p', 'every': 'hourly', 'at': '02:00', 'duration': '1h', 'comment': 'c'} | every",
        "empty comment | {'pool': 'p', 'startsAt': '2026-06-01T10:00:00Z', 'endsAt': '2026-06-01T11:00:00Z', 'comment': '  '} | comment",
        "no comment | {'pool': 'p', 'startsAt': '2026-06-01T10:00:00Z', 'endsAt': '2026-06-01T11:00:00Z'} | comment",
        "unknown field | {'pool': 'p', 'startsAt': '2026-06-01T10:00:00Z', 'endsAt': '2026-06-01T11:00:00Z', 'comment': 'c', 'colour': 1} | colour",
        "mixed kinds | {'pool': 'p', 'every': 'daily', 'at': '02:00', 'duration': '1h', 'startsAt': '2026-06-01T10:00:00Z', 'comment': 'c'} | startsAt",
        "recurring field on one-off | {'pool': 'p', 'startsAt': '2026-06-01T10:00:00Z', 'endsAt': '2026-06-01T11:00:00Z', 'zone': 'UTC', 'comment': 'c'} | zone",
        "bounds reversed | {'pool': 'p', 'every': 'daily', 'at': '02:00', 'duration': '1h', 'from': '2026-07-01T00:00:00Z', 'until': '2026-06-01T00:00:00Z', 'comment': 'c'} | until",
      })
  void refusesNamingTheField(String name, String body, String field) throws Exception {
    JsonNode tree = tree(body);
    assertThatThrownBy(() -> MaintenanceJson.parse(tree))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(field);
  }

  @Test
  void aThirtyDayOneOffWindowAndASevenDayOccurrenceAreAllowed() throws Exception {
    MaintenanceJson.parse(
        tree("{'pool': 'p', 'startsAt': '2026-06-01T00:00:00Z', 'endsAt': '2026-07-01T00:00:00Z', 'comment': 'c'}"));
    MaintenanceJson.parse(
        tree("{'pool': 'p', 'every': 'weekly', 'days': ['MON'], 'at': '00:00', 'duration': '7d', 'comment': 'c'}"));
  }
}

package dev.nines.server.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.server.MovableClock;
import dev.nines.server.audit.Actor;
import dev.nines.server.audit.Audit;
import dev.nines.server.availability.MaintenanceWindow;
import dev.nines.server.store.AuditQuery;
import dev.nines.server.store.AuditRecord;
import dev.nines.server.store.Store;
import dev.nines.server.store.Stores;
import java.nio.file.Path;
import java.time.DayOfWeek;
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

/** The calendar over a real SQLite store: what it covers, what availability gets, what survives a restart. */
class MaintenanceCalendarTest {
  static final Instant T = Instant.parse("2026-06-01T10:00:00Z"); // a Monday
  static final Actor OPS = Actor.token("tok1", "alice");

  @TempDir Path dir;
  MovableClock clock = new MovableClock(T);
  Store store;
  Audit audit;
  MaintenanceCalendar calendar;

  @BeforeEach
  void open() {
    store = Stores.open(dir.resolve("m.db").toString(), clock);
    audit = new Audit(store, clock);
    calendar = new MaintenanceCalendar(store, audit, null, clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  static MaintenanceSpec oneOff(String pool, List<String> hosts, Instant from, Instant to) {
    return new MaintenanceSpec(pool, hosts, new Schedule.OneOff(from, to), "planned work");
  }

  @Test
  void aHostWindowCoversThatHostOnlyAndAPoolWindowCoversEveryMemberAndThePool() {
    calendar.create(oneOff(null, List.of("h1"), T.plusSeconds(600), T.plusSeconds(1200)), OPS);
    calendar.create(oneOff("llama", List.of(), T.plusSeconds(3600), T.plusSeconds(7200)), OPS);
    Instant inHostWindow = T.plusSeconds(700);
    assertThat(calendar.covers("llama", "h1", inHostWindow)).isTrue();
    assertThat(calendar.covers(null, "h1", inHostWindow)).isTrue();
    assertThat(calendar.covers("llama", "h2", inHostWindow)).isFalse();
    assertThat(calendar.covers("llama", null, inHostWindow)).as("a host window does not silence the pool").isFalse();
    assertThat(calendar.covers("llama", "h1", T.plusSeconds(1200))).as("end is exclusive").isFalse();
    Instant inPoolWindow = T.plusSeconds(3600);
    assertThat(calendar.covers("llama", "h2", inPoolWindow)).isTrue();
    assertThat(calendar.covers("llama", null, inPoolWindow)).isTrue();
    assertThat(calendar.covers("other", "h3", inPoolWindow)).isFalse();
    assertThat(calendar.covers(null, "h2", inPoolWindow)).as("without its pool a host is not known to be in it").isFalse();
  }

  @Test
  void windowsForAHostAreClippedToTheQueryAndIncludeItsPoolsWindows() {
    calendar.create(oneOff(null, List.of("h1"), T.minusSeconds(600), T.plusSeconds(600)), OPS);
    calendar.create(
        new MaintenanceSpec(
            "llama", List.of(),
            new Schedule.Recurring(
                Schedule.Every.WEEKLY, Set.of(DayOfWeek.MONDAY), LocalTime.of(11, 0), Duration.ofMinutes(30),
                ZoneOffset.UTC, null, null),
            "weekly restart"),
        OPS);
    long from = T.toEpochMilli();
    long to = T.plus(Duration.ofDays(8)).toEpochMilli();
    assertThat(calendar.windowsFor("h1", "llama", from, to))
        .containsExactlyInAnyOrder(
            new MaintenanceWindow(T, T.plusSeconds(600)),
            new MaintenanceWindow(Instant.parse("2026-06-01T11:00:00Z"), Instant.parse("2026-06-01T11:30:00Z")),
            new MaintenanceWindow(Instant.parse("2026-06-08T11:00:00Z"), Instant.parse("2026-06-08T11:30:00Z")));
    assertThat(calendar.windowsFor("h2", "other", from, to)).isEmpty();
    assertThat(calendar.poolWindows("llama", from, to)).hasSize(2);
    assertThat(calendar.poolWindows("other", from, to)).isEmpty();
  }

  @Test
  void cancellingEndsTheCurrentOccurrenceNowKeepsThePastAndIsAudited() {
    Maintenance m = calendar.create(oneOff("llama", List.of(), T, T.plusSeconds(3600)), OPS);
    clock.advance(Duration.ofMinutes(20));
    Maintenance cancelled = calendar.cancel(m.id(), Actor.token("tok2", "bob")).orElseThrow();
    assertThat(cancelled.cancelledAt()).isEqualTo(T.plusSeconds(1200));
    assertThat(cancelled.cancelledBy()).isEqualTo("bob");
    assertThat(calendar.covers("llama", "h1", T.plusSeconds(1199))).isTrue();
    assertThat(calendar.covers("llama", "h1", T.plusSeconds(1200))).isFalse();
    assertThat(calendar.windowsFor("h1", "llama", T.minusSeconds(60).toEpochMilli(), T.plusSeconds(7200).toEpochMilli()))
        .containsExactly(new MaintenanceWindow(T, T.plusSeconds(1200)));
    // a second cancel changes nothing and is not audited again
    clock.advance(Duration.ofMinutes(5));
    assertThat(calendar.cancel(m.id(), OPS).orElseThrow().cancelledAt()).isEqualTo(T.plusSeconds(1200));
    assertThat(calendar.cancel("mw_nope", OPS)).isEmpty();
    List<AuditRecord> lines = audit.list(new AuditQuery(null, null, null, null, null, 100));
    assertThat(lines).extracting(AuditRecord::action).containsExactly("maintenance.cancel", "maintenance.create");
    assertThat(lines).extracting(AuditRecord::target).containsOnly(m.id());
  }

  @Test
  void windowsSurviveARestartAsTheyWere() {
    Maintenance a = calendar.create(oneOff("llama", List.of("h9"), T, T.plusSeconds(3600)), OPS);
    Maintenance b =
        calendar.create(
            new MaintenanceSpec(
                null, List.of("h1", "h2"),
                new Schedule.Recurring(
                    Schedule.Every.WEEKLY, Set.of(DayOfWeek.SUNDAY, DayOfWeek.SATURDAY), LocalTime.of(2, 30),
                    Duration.ofHours(2), java.time.ZoneId.of("Europe/Berlin"), T, T.plus(Duration.ofDays(90))),
                "firmware"),
            OPS);
    calendar.cancel(a.id(), OPS);
    MaintenanceCalendar reopened = new MaintenanceCalendar(store, audit, null, clock);
    assertThat(reopened.all()).containsExactlyInAnyOrderElementsOf(calendar.all());
    assertThat(reopened.get(b.id())).contains(b);
    assertThat(b.author()).isEqualTo("alice");
  }
}

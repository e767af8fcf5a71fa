package dev.nines.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthStoreTest extends OnBothBackends {
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

  private static HealthInterval open(String host, String state, long from) {
    return new HealthInterval(host, state, from, null, "[]", state + " reason", "{}");
  }

  @Test
  void aChangeClosesTheOpenIntervalAtItsTimeAndBecomesTheCurrentHealth() {
    try (Store store = open("h.db", CLOCK)) {
      store.recordHealthChange(open("a", "HEALTHY", 1_000));
      store.recordHealthChange(
          new HealthInterval("a", "UNHEALTHY", 5_000, null, "[\"generation-failures\"]", "hung", "{\"x\":1}"));
      store.recordHealthChange(open("b", "DEGRADED", 2_000));

      assertThat(store.healthIntervals("a", 0, 10_000))
          .containsExactly(
              new HealthInterval("a", "HEALTHY", 1_000, 5_000L, "[]", "HEALTHY reason", "{}"),
              new HealthInterval("a", "UNHEALTHY", 5_000, null, "[\"generation-failures\"]", "hung", "{\"x\":1}"));
      assertThat(store.currentHealth("a"))
          .contains(new HealthRecord("a", "UNHEALTHY", 5_000, "hung", "[\"generation-failures\"]"));
      assertThat(store.currentHealth()).containsOnlyKeys("a", "b");
      assertThat(store.currentHealth("nobody")).isEmpty();
    }
  }

  @Test
  void intervalsAreThoseOverlappingTheHalfOpenWindow() {
    try (Store store = open("h.db", CLOCK)) {
      store.recordHealthChange(open("a", "HEALTHY", 1_000));
      store.recordHealthChange(open("a", "DEGRADED", 2_000));
      store.recordHealthChange(open("a", "HEALTHY", 3_000));

      assertThat(store.healthIntervals("a", 2_000, 3_000)).extracting(HealthInterval::state).containsExactly("DEGRADED");
      assertThat(store.healthIntervals("a", 1_999, 3_001)).extracting(HealthInterval::fromMs)
          .containsExactly(1_000L, 2_000L, 3_000L);
      assertThat(store.healthIntervals("a", 0, 1_000)).isEmpty();
      assertThat(store.healthIntervals("a", 50_000, 60_000)).extracting(HealthInterval::toMs).containsExactly((Long) null);
    }
  }

  @Test
  void aChangeBeforeTheOpenIntervalIsRefusedAndChangesNothing() {
    try (Store store = open("h.db", CLOCK)) {
      store.recordHealthChange(open("a", "HEALTHY", 5_000));
      assertThatThrownBy(() -> store.recordHealthChange(open("a", "UNHEALTHY", 4_000)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("change.fromMs");
      assertThat(store.healthIntervals("a", 0, 10_000)).hasSize(1);
      assertThat(store.currentHealth("a").orElseThrow().state()).isEqualTo("HEALTHY");
    }
  }

  @Test
  void healthSurvivesReopening() {
    try (Store store = open("h.db", CLOCK)) {
      store.recordHealthChange(open("a", "UNKNOWN", 7_000));
    }
    try (Store store = open("h.db", CLOCK)) {
      assertThat(store.currentHealth("a").orElseThrow().sinceMs()).isEqualTo(7_000);
    }
  }
}

package dev.nines.server.pools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.protocol.RoutingState;
import dev.nines.server.availability.HostTimeline;
import dev.nines.server.availability.StateChange;
import dev.nines.server.health.Health;
import dev.nines.server.store.HealthInterval;
import dev.nines.server.store.RoutingInterval;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelinesTest {
  private static HealthInterval h(String state, long from, Long to) {
    return new HealthInterval("a", state, from, to, "[]", "", "{}");
  }

  private static RoutingInterval r(String state, long from, Long to) {
    return new RoutingInterval("a", state, null, "x", from, to);
  }

  private static StateChange c(long at, Health h, RoutingState r) {
    return new StateChange(Instant.ofEpochMilli(at), h, r);
  }

  @Test
  void healthAndRoutingMergeIntoOneTimelineStartingAtTheFirstHealth() {
    HostTimeline t =
        Timelines.of(
            "a",
            List.of(h("HEALTHY", 1_000, 5_000L), h("UNHEALTHY", 5_000, 9_000L), h("HEALTHY", 9_000, null)),
            List.of(r("ACTIVE", 500, 7_000L), r("MAINTENANCE", 7_000, 9_000L), r("ACTIVE", 9_000, null)));
    assertThat(t.changes())
        .containsExactly(
            c(1_000, Health.HEALTHY, RoutingState.ACTIVE),
            c(5_000, Health.UNHEALTHY, RoutingState.ACTIVE),
            c(7_000, Health.UNHEALTHY, RoutingState.MAINTENANCE),
            c(9_000, Health.HEALTHY, RoutingState.ACTIVE));
  }

  @Test
  void withoutRoutingIntervalsAHostIsActiveAndWithoutHealthItHasNoTimeline() {
    assertThat(Timelines.of("a", List.of(h("DEGRADED", 1_000, null)), List.of()).changes())
        .containsExactly(c(1_000, Health.DEGRADED, RoutingState.ACTIVE));
    assertThat(Timelines.of("a", List.of(), List.of(r("DRAINED", 1_000, null))).changes()).isEmpty();
  }
}

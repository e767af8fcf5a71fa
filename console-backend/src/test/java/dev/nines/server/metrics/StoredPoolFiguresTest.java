package dev.nines.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.protocol.RoutingState;
import dev.nines.server.availability.StateChange;
import dev.nines.server.health.Health;
import dev.nines.server.store.HealthInterval;
import dev.nines.server.store.HostRecord;
import dev.nines.server.store.RoutingRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredPoolFiguresTest {
  static HostRecord host(String id, RoutingState routing, long changedAtMs) {
    return new HostRecord(id, "p", "{}", 0, 0, 1, 0, "{}", new RoutingRecord(routing, null, changedAtMs, "op"));
  }

  static HealthInterval interval(String state, long from, Long to) {
    return new HealthInterval("h1", state, from, to, "[]", "", "{}");
  }

  @Test
  void aRoutingChangeBetweenHealthChangesSplitsTheTimeline() {
    HostRecord h = host("h1", RoutingState.MAINTENANCE, 2_000);
    List<HealthInterval> intervals =
        List.of(interval("HEALTHY", 1_000, 3_000L), interval("UNHEALTHY", 3_000, null));

    assertThat(StoredPoolFigures.timeline(h, intervals).changes())
        .containsExactly(
            new StateChange(Instant.ofEpochMilli(1_000), Health.HEALTHY, RoutingState.ACTIVE),
            new StateChange(Instant.ofEpochMilli(2_000), Health.HEALTHY, RoutingState.MAINTENANCE),
            new StateChange(Instant.ofEpochMilli(3_000), Health.UNHEALTHY, RoutingState.MAINTENANCE));
  }

  @Test
  void aRoutingChangeAfterTheLastHealthChangeIsKept() {
    HostRecord h = host("h1", RoutingState.DRAINED, 5_000);

    assertThat(StoredPoolFigures.timeline(h, List.of(interval("HEALTHY", 1_000, null))).changes())
        .containsExactly(
            new StateChange(Instant.ofEpochMilli(1_000), Health.HEALTHY, RoutingState.ACTIVE),
            new StateChange(Instant.ofEpochMilli(5_000), Health.HEALTHY, RoutingState.DRAINED));
  }
}

package dev.nines.server.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.protocol.RoutingState;
import dev.nines.server.availability.CapacityGuard;
import dev.nines.server.health.Health;
import dev.nines.server.health.HealthChange;
import dev.nines.server.health.RuleFinding;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IncidentTrackerTest {
  static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_000L);

  static HealthChange change(String host, Health from, Health to, long atSec) {
    List<RuleFinding> findings =
        to == Health.HEALTHY
            ? List.of()
            : List.of(new RuleFinding("generation-probe", to, false, "3 generation probes failed", Map.of("failures", 3.0)));
    return new HealthChange(host, from, to, T0.plusSeconds(atSec), from + " to " + to, findings);
  }

  @Test
  void hostLeavingHealthyOpensAnIncidentWithItsRuleReasonAndFigures() {
    IncidentTracker t = new IncidentTracker();
    IncidentChange c = t.onHealthChange(change("h1", Health.HEALTHY, Health.UNHEALTHY, 10)).orElseThrow();

    assertThat(c).isInstanceOf(IncidentChange.Opened.class);
    IncidentChange.Opened o = (IncidentChange.Opened) c;
    assertThat(o.key()).isEqualTo(IncidentKey.host("h1"));
    assertThat(o.at()).isEqualTo(T0.plusSeconds(10));
    assertThat(o.severity()).isEqualTo("UNHEALTHY");
    assertThat(o.cause())
        .containsEntry("state", "UNHEALTHY")
        .containsEntry("from", "HEALTHY")
        .containsEntry("rules", List.of("generation-probe"))
        .containsEntry("reason", "HEALTHY to UNHEALTHY")
        .containsEntry("figures", Map.of("generation-probe", Map.of("failures", 3.0)));
    assertThat(o.entry().type()).isEqualTo(TimelineEntry.OPENED);
    assertThat(t.open(IncidentKey.host("h1"))).isPresent();
  }

  @Test
  void severityEscalatesToTheWorstStateAndNeverFalls() {
    IncidentTracker t = new IncidentTracker();
    t.onHealthChange(change("h1", Health.HEALTHY, Health.DEGRADED, 10));
    IncidentChange.Updated up = (IncidentChange.Updated) t.onHealthChange(change("h1", Health.DEGRADED, Health.UNHEALTHY, 20)).orElseThrow();
    assertThat(up.severity()).isEqualTo("UNHEALTHY");
    assertThat(up.escalated()).isTrue();
    assertThat(up.entry().type()).isEqualTo(TimelineEntry.CHANGED);

    IncidentChange.Updated down = (IncidentChange.Updated) t.onHealthChange(change("h1", Health.UNHEALTHY, Health.DEGRADED, 30)).orElseThrow();
    assertThat(down.severity()).isEqualTo("UNHEALTHY");
    assertThat(down.state()).isEqualTo("DEGRADED");
    assertThat(down.escalated()).isFalse();
  }

  @Test
  void hostHealthyAgainClosesTheIncidentWithItsDuration() {
    IncidentTracker t = new IncidentTracker();
    t.onHealthChange(change("h1", Health.HEALTHY, Health.UNKNOWN, 10));
    IncidentChange.Closed c = (IncidentChange.Closed) t.onHealthChange(change("h1", Health.UNKNOWN, Health.HEALTHY, 100)).orElseThrow();
    assertThat(c.duration()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.severity()).isEqualTo("UNKNOWN");
    assertThat(c.entry().detail()).containsEntry("durationMs", 90_000L);
    assertThat(t.open(IncidentKey.host("h1"))).isEmpty();
  }

  @Test
  void aNewHostTurningHealthyOpensNothing() {
    IncidentTracker t = new IncidentTracker();
    assertThat(t.onHealthChange(change("h1", Health.UNKNOWN, Health.HEALTHY, 1))).isEmpty();
  }

  @Test
  void aNewHostWhoseFirstJudgementIsBadGetsAnIncident() {
    IncidentTracker t = new IncidentTracker();
    assertThat(t.onHealthChange(change("h1", Health.UNKNOWN, Health.DEGRADED, 1))).get().isInstanceOf(IncidentChange.Opened.class);
  }

  @Test
  void flappingMakesOneIncidentPerStayAwayFromHealthy() {
    IncidentTracker t = new IncidentTracker();
    List<Class<?>> kinds = new ArrayList<>();
    Health[] path = {Health.DEGRADED, Health.HEALTHY, Health.DEGRADED, Health.UNHEALTHY, Health.HEALTHY, Health.UNKNOWN, Health.HEALTHY};
    Health from = Health.HEALTHY;
    long s = 0;
    for (Health to : path) {
      t.onHealthChange(change("h1", from, to, s += 5)).ifPresent(c -> kinds.add(c.getClass()));
      from = to;
    }
    assertThat(kinds)
        .containsExactly(
            IncidentChange.Opened.class, IncidentChange.Closed.class,
            IncidentChange.Opened.class, IncidentChange.Updated.class, IncidentChange.Closed.class,
            IncidentChange.Opened.class, IncidentChange.Closed.class);
  }

  @Test
  void hostsHaveIndependentIncidents() {
    IncidentTracker t = new IncidentTracker();
    t.onHealthChange(change("h1", Health.HEALTHY, Health.UNHEALTHY, 1));
    t.onHealthChange(change("h2", Health.HEALTHY, Health.DEGRADED, 2));
    t.onHealthChange(change("h1", Health.UNHEALTHY, Health.HEALTHY, 3));
    assertThat(t.openIncidents()).extracting(OpenIncident::key).containsExactly(IncidentKey.host("h2"));
  }

  @Test
  void aRestartContinuesTheReloadedIncidentInsteadOfOpeningASecond() {
    OpenIncident reloaded = new OpenIncident(IncidentKey.host("h1"), T0, "DEGRADED", "DEGRADED");
    IncidentTracker t = new IncidentTracker(List.of(reloaded));
    IncidentChange c = t.onHealthChange(change("h1", Health.DEGRADED, Health.UNHEALTHY, 60)).orElseThrow();
    assertThat(c).isInstanceOf(IncidentChange.Updated.class);
    assertThat(c.severity()).isEqualTo("UNHEALTHY");
    IncidentChange.Closed closed = (IncidentChange.Closed) t.onHealthChange(change("h1", Health.UNHEALTHY, Health.HEALTHY, 120)).orElseThrow();
    assertThat(closed.openedAt()).isEqualTo(T0);
    assertThat(closed.duration()).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void actionsAreRecordedOnlyOnAnOpenIncident() {
    IncidentTracker t = new IncidentTracker();
    assertThat(t.addAction(IncidentKey.host("h3"), "drained h3 by policy", T0)).isEmpty();
    t.onHealthChange(change("h3", Health.HEALTHY, Health.UNHEALTHY, 1));
    IncidentChange a = t.addAction(IncidentKey.host("h3"), "drained h3 by policy gray-failure", T0.plusSeconds(2)).orElseThrow();
    assertThat(a.entry().type()).isEqualTo(TimelineEntry.ACTION);
    assertThat(a.entry().text()).isEqualTo("drained h3 by policy gray-failure");
    assertThat(a.severity()).isEqualTo("UNHEALTHY");
  }

  static PoolStateChange poolChange(PoolState from, PoolState to, long atSec, List<String> down) {
    PoolStatus s = new PoolStatus("llama", to, 4, 2, 4 - down.size(), 0, down, List.of());
    return new PoolStateChange("llama", from, to, T0.plusSeconds(atSec), s);
  }

  @Test
  void poolIncidentNamesTheMembersThatAreDownAndClosesWhenUp() {
    IncidentTracker t = new IncidentTracker();
    IncidentChange.Opened o = (IncidentChange.Opened) t.onPoolStateChange(poolChange(PoolState.UP, PoolState.DOWN, 5, List.of("h1", "h2", "h3"))).orElseThrow();
    assertThat(o.key()).isEqualTo(IncidentKey.pool("llama"));
    assertThat(o.cause()).containsEntry("membersDown", List.of("h1", "h2", "h3")).containsEntry("required", 2);
    assertThat(o.entry().text()).contains("down: h1, h2, h3");
    IncidentChange.Closed c = (IncidentChange.Closed) t.onPoolStateChange(poolChange(PoolState.DOWN, PoolState.UP, 65, List.of())).orElseThrow();
    assertThat(c.duration()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.severity()).isEqualTo("DOWN");
  }

  @Test
  void plannedMaintenanceOpensNoPoolIncidentAndEndsAnOpenOne() {
    IncidentTracker t = new IncidentTracker();
    assertThat(t.onPoolStateChange(poolChange(PoolState.UP, PoolState.MAINTENANCE, 5, List.of("h1")))).isEmpty();
    t.onPoolStateChange(poolChange(PoolState.MAINTENANCE, PoolState.DOWN, 10, List.of("h1", "h2"))).orElseThrow();
    IncidentChange.Closed c =
        (IncidentChange.Closed) t.onPoolStateChange(poolChange(PoolState.DOWN, PoolState.MAINTENANCE, 70, List.of("h1"))).orElseThrow();
    assertThat(c.duration()).isEqualTo(Duration.ofMinutes(1));
  }

  /**
   * Random health walks over a few hosts, seeded: at most one incident per host is open, it is
   * open exactly while the host is not HEALTHY, opens and closes alternate, severity never falls
   * and is the worst state since the opening.
   */
  @Test
  void randomHealthWalksKeepTheIncidentInvariants() {
    long seed = 20240611L;
    Random random = new Random(seed);
    Health[] states = Health.values();
    for (int run = 0; run < 200; run++) {
      IncidentTracker t = new IncidentTracker();
      Map<String, Health> current = new HashMap<>();
      Map<String, Health> worstSinceOpen = new HashMap<>();
      Map<String, Integer> opens = new HashMap<>();
      Map<String, Integer> closes = new HashMap<>();
      for (int step = 0; step < 100; step++) {
        String host = "h" + random.nextInt(3);
        Health from = current.getOrDefault(host, Health.UNKNOWN);
        Health to = states[random.nextInt(states.length)];
        if (to == from) {
          continue;
        }
        String where = "seed " + seed + " run " + run + " step " + step;
        Optional<IncidentChange> c = t.onHealthChange(change(host, from, to, step));
        current.put(host, to);
        if (to == Health.HEALTHY) {
          worstSinceOpen.remove(host);
        } else {
          worstSinceOpen.merge(host, to, Health::worst);
        }
        c.ifPresent(
            ch -> {
              if (ch instanceof IncidentChange.Opened) {
                opens.merge(host, 1, Integer::sum);
              } else if (ch instanceof IncidentChange.Closed) {
                closes.merge(host, 1, Integer::sum);
              }
            });
        assertThat(t.open(IncidentKey.host(host)).isPresent()).as(where).isEqualTo(to != Health.HEALTHY);
        int o = opens.getOrDefault(host, 0);
        int cl = closes.getOrDefault(host, 0);
        assertThat(o - cl).as(where).isEqualTo(to == Health.HEALTHY ? 0 : 1);
        if (to != Health.HEALTHY) {
          assertThat(t.open(IncidentKey.host(host)).orElseThrow().severity()).as(where).isEqualTo(worstSinceOpen.get(host).name());
        } else {
          assertThat(c).as(where).satisfiesAnyOf(x -> assertThat(x).isEmpty(), x -> assertThat(x.get()).isInstanceOf(IncidentChange.Closed.class));
        }
      }
      assertThat(t.openIncidents()).hasSizeLessThanOrEqualTo(3);
    }
  }

  @Test
  void poolStateAndIncidentFollowMembersThroughATable() {
    PoolStateTracker pools = new PoolStateTracker(pool -> CapacityGuard.atLeast(2));
    IncidentTracker t = new IncidentTracker();
    List<String> seen = new ArrayList<>();
    Health[][] steps = {
      {Health.HEALTHY, Health.HEALTHY, Health.HEALTHY},
      {Health.UNHEALTHY, Health.HEALTHY, Health.HEALTHY}, // 2 healthy >= 2: still UP, no pool incident
      {Health.UNHEALTHY, Health.DEGRADED, Health.HEALTHY}, // guard met only with the degraded one
      {Health.UNHEALTHY, Health.UNKNOWN, Health.HEALTHY}, // DOWN: escalates
      {Health.HEALTHY, Health.UNKNOWN, Health.HEALTHY}, // UP: closes
    };
    long s = 0;
    for (Health[] step : steps) {
      List<PoolMember> members = new ArrayList<>();
      for (int i = 0; i < step.length; i++) {
        members.add(new PoolMember("h" + (i + 1), step[i], RoutingState.ACTIVE));
      }
      Optional<PoolStateChange> c = pools.update("llama", members, T0.plusSeconds(s += 10));
      c.flatMap(t::onPoolStateChange)
          .ifPresent(ch -> seen.add(ch.getClass().getSimpleName() + " " + ch.severity() + " " + ch.entry().state()));
    }
    assertThat(seen).containsExactly("Opened DEGRADED DEGRADED", "Updated DOWN DOWN", "Closed DOWN UP");
  }
}

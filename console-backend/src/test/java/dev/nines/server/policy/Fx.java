package dev.nines.server.policy;

import dev.nines.protocol.RoutingState;
import dev.nines.server.availability.CapacityGuard;
import dev.nines.server.health.Health;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Members, pools and times for the policy tests. The backend has been up for a day unless a test says otherwise. */
final class Fx {
  static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  static final Instant LONG_AGO = NOW.minus(Duration.ofDays(1));
  static final Instant BACKEND_UP = LONG_AGO;

  private Fx() {}

  static Instant ago(Duration d) {
    return NOW.minus(d);
  }

  static Instant secondsAgo(long s) {
    return NOW.minusSeconds(s);
  }

  static Member healthy(String id) {
    return new Member(id, null, Health.HEALTHY, LONG_AGO, Set.of(), RoutingState.ACTIVE, Actors.SYSTEM, LONG_AGO);
  }

  static Member member(String id, Health health, Instant since, String... rules) {
    return new Member(id, null, health, since, Set.of(rules), RoutingState.ACTIVE, Actors.SYSTEM, LONG_AGO);
  }

  static Member sick(String id, Instant since, String... rules) {
    return member(id, Health.UNHEALTHY, since, rules);
  }

  static Member routed(Member m, RoutingState routing, String by) {
    return m.withRouting(routing, by, LONG_AGO);
  }

  static Member onSide(Member m, String side) {
    return new Member(m.hostId(), side, m.health(), m.healthSince(), m.firingRules(), m.routing(), m.routingBy(),
        m.routingSince());
  }

  static PolicySettings settings() {
    return PolicySettings.defaults();
  }

  static PolicySettings guard(int minActive) {
    return PolicySettings.defaults().withGuard(CapacityGuard.atLeast(minActive));
  }

  static PoolSnapshot pool(PolicySettings s, Member... members) {
    return new PoolSnapshot("llama", s, List.of(members), null, null);
  }

  static PoolSnapshot sided(PolicySettings s, String active, String standby, Member... members) {
    return new PoolSnapshot("llama", s, List.of(members), active, standby);
  }

  static Evaluation evaluate(PoolSnapshot pool) {
    return Policy.evaluate(pool, PolicyMemory.empty(), NOW, BACKEND_UP);
  }

  static Evaluation evaluate(PoolSnapshot pool, PolicyMemory memory, Instant now) {
    return Policy.evaluate(pool, memory, now, BACKEND_UP);
  }

  static List<PolicyEvent> refusals(Evaluation e) {
    return e.events().stream().filter(x -> x.kind().equals(PolicyEvent.REFUSED)).toList();
  }

  static List<PolicyEvent> decisionEvents(Evaluation e) {
    return e.events().stream().filter(x -> x.kind().equals(PolicyEvent.DECISION)).toList();
  }
}

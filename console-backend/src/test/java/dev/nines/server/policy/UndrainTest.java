package dev.nines.server.policy;

import static dev.nines.server.policy.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.protocol.RoutingState;
import dev.nines.server.health.Health;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UndrainTest {
  private static Member drainedBy(String id, RoutingState routing, String by, Duration healthyFor) {
    return member(id, Health.HEALTHY, ago(healthyFor)).withRouting(routing, by, ago(Duration.ofHours(1)));
  }

  @Test
  void undrainsAHostThePolicyDrainedOnceItStaysHealthyForTheRecoveryTime() {
    PoolSnapshot notYet = pool(settings(), healthy("h1"), healthy("h2"),
        drainedBy("h3", RoutingState.DRAINED, Actors.POLICY, Duration.ofMinutes(10).minusSeconds(1)));
    PoolSnapshot recovered = pool(settings(), healthy("h1"), healthy("h2"),
        drainedBy("h3", RoutingState.DRAINED, Actors.POLICY, Duration.ofMinutes(10)));

    assertThat(evaluate(notYet).decisions()).isEmpty();
    Evaluation e = evaluate(recovered);
    assertThat(e.decisions()).singleElement().satisfies(d -> {
      assertThat(d.kind()).isEqualTo(Decision.Kind.UNDRAIN);
      assertThat(d.hostId()).isEqualTo("h3");
      assertThat(d.target()).isEqualTo(RoutingState.ACTIVE);
      assertThat(d.rule()).isEqualTo("auto-undrain");
      assertThat(d.routingBy()).isEqualTo("policy");
    });
    assertThat(decisionEvents(e)).singleElement().satisfies(ev -> assertThat(ev.action()).isEqualTo("undrain"));
  }

  @Test
  void undrainsAHostStillDraining() {
    PoolSnapshot p = pool(settings(), healthy("h1"),
        drainedBy("h2", RoutingState.DRAINING, Actors.POLICY, Duration.ofHours(1)));

    assertThat(evaluate(p).decisions()).extracting(Decision::kind).containsExactly(Decision.Kind.UNDRAIN);
  }

  @Test
  void neverUndrainsAHostAnOperatorDrainedOrPutInMaintenance() {
    PoolSnapshot p = pool(settings(), healthy("h1"),
        drainedBy("h2", RoutingState.DRAINED, "operator:alice", Duration.ofDays(3)),
        drainedBy("h3", RoutingState.DRAINING, "operator:alice", Duration.ofDays(3)),
        drainedBy("h4", RoutingState.MAINTENANCE, "operator:bob", Duration.ofDays(3)),
        drainedBy("h5", RoutingState.DRAINED, Actors.SYSTEM, Duration.ofDays(3)));

    Evaluation e = evaluate(p);

    assertThat(e.decisions()).isEmpty();
  }

  @Test
  void undrainsWithinTheCooldownOfADrain() {
    PoolSnapshot p = pool(settings(), healthy("h1"), healthy("h2"),
        drainedBy("h3", RoutingState.DRAINED, Actors.POLICY, Duration.ofHours(1)));

    Evaluation e = evaluate(p, new PolicyMemory(NOW.minusSeconds(5), null, null, null), NOW);

    assertThat(e.decisions()).extracting(Decision::hostId).containsExactly("h3");
  }

  @Test
  void leavesAnUnhealthyOrDegradedDrainedHostOut() {
    PoolSnapshot p = pool(settings(), healthy("h1"),
        sick("h2", LONG_AGO).withRouting(RoutingState.DRAINED, Actors.POLICY, LONG_AGO),
        member("h3", Health.DEGRADED, LONG_AGO).withRouting(RoutingState.DRAINED, Actors.POLICY, LONG_AGO));

    assertThat(evaluate(p).decisions()).isEmpty();
  }

  @Test
  void leavesTheStandbySideDrained() {
    PoolSnapshot p = sided(settings(), "blue", "green", onSide(healthy("b1"), "blue"), onSide(healthy("b2"), "blue"),
        onSide(drainedBy("g1", RoutingState.DRAINED, Actors.POLICY, Duration.ofDays(1)), "green"));

    assertThat(evaluate(p).decisions()).isEmpty();
  }
}

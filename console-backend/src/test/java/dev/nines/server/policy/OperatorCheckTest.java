package dev.nines.server.policy;

import static dev.nines.server.policy.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.protocol.RoutingState;
import dev.nines.server.health.Health;
import org.junit.jupiter.api.Test;

class OperatorCheckTest {
  private final PoolSnapshot three = pool(guard(2), healthy("h1"), healthy("h2"), sick("h3", LONG_AGO));

  @Test
  void allowsADrainThatKeepsTheGuard() {
    GuardVerdict v = OperatorCheck.drain(three, "h3");

    assertThat(v).extracting(GuardVerdict::allowed, GuardVerdict::activeNow, GuardVerdict::activeAfter,
        GuardVerdict::required).containsExactly(true, 3, 2, 2);
    assertThat(v.reason()).contains("leaves 2", "requires 2");
  }

  @Test
  void refusesADrainBelowTheGuard() {
    PoolSnapshot two = pool(guard(2), healthy("h1"), healthy("h2"));

    GuardVerdict v = OperatorCheck.drain(two, "h1");

    assertThat(v).extracting(GuardVerdict::allowed, GuardVerdict::activeNow, GuardVerdict::activeAfter)
        .containsExactly(false, 2, 1);
    assertThat(v.reason()).contains("below the guard's 2");
  }

  @Test
  void aHostOutOfRotationOrOnTheStandbySideTakesNoCapacity() {
    PoolSnapshot p = pool(guard(1), healthy("h1"),
        healthy("h2").withRouting(RoutingState.DRAINED, "operator:a", LONG_AGO));
    PoolSnapshot s = sided(guard(1), "blue", "green", onSide(healthy("b1"), "blue"), onSide(healthy("g1"), "green"));

    assertThat(OperatorCheck.drain(p, "h2")).extracting(GuardVerdict::allowed, GuardVerdict::activeAfter)
        .containsExactly(true, 1);
    assertThat(OperatorCheck.drain(s, "g1")).extracting(GuardVerdict::allowed, GuardVerdict::activeNow,
        GuardVerdict::activeAfter).containsExactly(true, 1, 1);
    assertThat(OperatorCheck.drain(s, "b1").allowed()).isFalse();
  }

  @Test
  void rejectsAHostThatIsNoMember() {
    assertThatThrownBy(() -> OperatorCheck.drain(three, "nope"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope").hasMessageContaining("llama");
  }

  @Test
  void plansAFailoverThatBringsUpTheStandbyMembersThatCanServe() {
    PoolSnapshot p = sided(guard(1), "blue", "green", onSide(healthy("b1"), "blue"),
        onSide(healthy("b2").withRouting(RoutingState.DRAINED, "operator:a", LONG_AGO), "blue"),
        onSide(healthy("g1").withRouting(RoutingState.DRAINED, Actors.SYSTEM, LONG_AGO), "green"),
        onSide(member("g2", Health.DEGRADED, LONG_AGO).withRouting(RoutingState.DRAINED, "operator:a", LONG_AGO), "green"),
        onSide(healthy("g3").withRouting(RoutingState.MAINTENANCE, "operator:a", LONG_AGO), "green"),
        onSide(sick("g4", LONG_AGO).withRouting(RoutingState.DRAINED, Actors.SYSTEM, LONG_AGO), "green"));

    FailoverPlan plan = OperatorCheck.failover(p);

    assertThat(plan.possible()).isTrue();
    assertThat(plan.fromSide()).isEqualTo("blue");
    assertThat(plan.toSide()).isEqualTo("green");
    assertThat(plan.activate()).containsExactly("g1", "g2");
    assertThat(plan.drain()).containsExactly("b1");
  }

  @Test
  void noFailoverWithoutSidesOrWithoutAStandbyThatCanServe() {
    PoolSnapshot dead = sided(guard(1), "blue", "green", onSide(healthy("b1"), "blue"),
        onSide(sick("g1", LONG_AGO), "green"), onSide(member("g2", Health.UNKNOWN, LONG_AGO), "green"));

    assertThat(OperatorCheck.failover(three)).satisfies(p -> {
      assertThat(p.possible()).isFalse();
      assertThat(p.reason()).contains("no sides");
    });
    assertThat(OperatorCheck.failover(dead)).satisfies(p -> {
      assertThat(p.possible()).isFalse();
      assertThat(p.activate()).isEmpty();
      assertThat(p.reason()).contains("green");
    });
  }
}

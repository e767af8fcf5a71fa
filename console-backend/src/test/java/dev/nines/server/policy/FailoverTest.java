package dev.nines.server.policy;

import static dev.nines.server.policy.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.protocol.RoutingState;
import dev.nines.server.health.Health;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FailoverTest {
  private static Member blue(Member m) {
    return onSide(m, "blue");
  }

  private static Member green(Member m) {
    return onSide(m.withRouting(RoutingState.DRAINED, Actors.SYSTEM, LONG_AGO), "green");
  }

  /** Guard 2: blue serves only b1; green stands by, healthy. */
  private static PoolSnapshot blueFailing(PolicySettings s, Member b2, Member g1, Member g2) {
    return sided(s, "blue", "green", blue(healthy("b1")), blue(b2), green(g1), green(g2));
  }

  @Test
  void failsOverWhenTheActiveSideFallsBelowItsGuardAndTheStandbyIsHealthy() {
    Evaluation e = evaluate(blueFailing(guard(2), sick("b2", LONG_AGO), healthy("g1"), healthy("g2")));

    assertThat(e.decisions()).singleElement().satisfies(d -> {
      assertThat(d.kind()).isEqualTo(Decision.Kind.FAILOVER);
      assertThat(d.hostId()).isNull();
      assertThat(d.fromSide()).isEqualTo("blue");
      assertThat(d.toSide()).isEqualTo("green");
      assertThat(d.rule()).isEqualTo("auto-failover");
      assertThat(d.plan().activate()).containsExactly("g1", "g2");
      assertThat(d.plan().drain()).containsExactly("b1", "b2");
      assertThat(d.reason()).contains("blue serves 1 of 2");
    });
    assertThat(decisionEvents(e)).singleElement().satisfies(ev -> {
      assertThat(ev.action()).isEqualTo("failover");
      assertThat(ev.figures()).containsEntry("fromSide", "blue").containsEntry("toSide", "green");
    });
    assertThat(e.memory().lastAutoFailover()).isEqualTo(NOW);
  }

  @Test
  void waitsTheHysteresisBeforeFailingOver() {
    Evaluation e = evaluate(blueFailing(guard(2), sick("b2", secondsAgo(10)), healthy("g1"), healthy("g2")));

    assertThat(e.decisions()).isEmpty();
  }

  @Test
  void refusesWhenTheStandbyIsNotHealthyEnough() {
    Evaluation e = evaluate(blueFailing(guard(2), sick("b2", LONG_AGO), healthy("g1"), sick("g2", LONG_AGO)));

    assertThat(e.decisions()).isEmpty();
    assertThat(refusals(e)).filteredOn(r -> r.action().equals("failover")).singleElement().satisfies(r -> {
      assertThat(r.hostId()).isNull();
      assertThat(r.reason()).isEqualTo("standby");
      assertThat(r.figures()).containsEntry("standbyHealthy", 1).containsEntry("standbyNeeded", 2);
    });
  }

  @Test
  void failsOverAtMostOncePerCooldown() {
    PoolSnapshot p = blueFailing(guard(2), sick("b2", LONG_AGO), healthy("g1"), healthy("g2"));
    PolicyMemory failedOverRecently = new PolicyMemory(null, NOW.minus(Duration.ofMinutes(4)), null, null);

    Evaluation e = evaluate(p, failedOverRecently, NOW);

    assertThat(e.decisions()).isEmpty();
    assertThat(refusals(e)).filteredOn(r -> r.action().equals("failover")).extracting(PolicyEvent::reason)
        .containsExactly("cooldown");
    assertThat(evaluate(p, e.memory(), NOW.plus(Duration.ofMinutes(1))).decisions())
        .extracting(Decision::kind).containsExactly(Decision.Kind.FAILOVER);
  }

  @Test
  void doesNotFailOverBecauseTheBackendRestarted() {
    Instant up = NOW.minusSeconds(10);
    PoolSnapshot p = sided(guard(2), "blue", "green", blue(member("b1", Health.UNKNOWN, up)),
        blue(member("b2", Health.UNKNOWN, LONG_AGO)), green(healthy("g1")), green(healthy("g2")));

    Evaluation e = Policy.evaluate(p, PolicyMemory.empty(), NOW, up);

    assertThat(e.decisions()).isEmpty();
    assertThat(refusals(e)).filteredOn(r -> r.action().equals("failover")).extracting(PolicyEvent::reason)
        .containsExactly("startup-grace");
  }

  @Test
  void aSideOutOfRotationFailsOverWithoutWaiting() {
    PoolSnapshot p = sided(guard(2), "blue", "green", blue(healthy("b1")),
        blue(healthy("b2").withRouting(RoutingState.MAINTENANCE, "operator:alice", NOW)), green(healthy("g1")),
        green(healthy("g2")));

    assertThat(evaluate(p).decisions()).extracting(Decision::kind).containsExactly(Decision.Kind.FAILOVER);
  }

  @Test
  void neitherFailsOverWhenOffNorOnAPoolWithoutSides() {
    PoolSnapshot off = blueFailing(guard(2).withAutoFailover(false).withAutoDrain(false), sick("b2", LONG_AGO),
        healthy("g1"), healthy("g2"));
    PoolSnapshot noSides = pool(guard(2).withAutoDrain(false), healthy("b1"), sick("b2", LONG_AGO));

    assertThat(evaluate(off).decisions()).isEmpty();
    assertThat(evaluate(noSides).decisions()).isEmpty();
  }

  @Test
  void drainsOnlyTheActiveSide() {
    // green has a member in rotation by mistake, unhealthy: not the policy's to drain
    PoolSnapshot p = sided(settings(), "blue", "green", blue(healthy("b1")), blue(healthy("b2")),
        onSide(sick("g1", LONG_AGO), "green"), green(healthy("g2")));

    assertThat(evaluate(p).decisions()).isEmpty();
  }

  @Test
  void theGuardOfAPoolWithSidesCountsTheActiveSideOnly() {
    // fraction 0.5 of blue's 2 = 1: draining b2 leaves b1
    PoolSnapshot p = sided(settings(), "blue", "green", blue(healthy("b1")), blue(sick("b2", LONG_AGO)),
        green(healthy("g1")), green(healthy("g2")), green(healthy("g3")), green(healthy("g4")));

    assertThat(evaluate(p).decisions()).extracting(Decision::hostId).containsExactly("b2");
    assertThat(p.required()).isEqualTo(1);
  }
}

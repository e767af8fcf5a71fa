package dev.nines.server.policy;

import static dev.nines.server.policy.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.protocol.RoutingState;
import dev.nines.server.health.Health;
import dev.nines.server.health.RuleIds;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class QuarantineTest {
  @Test
  void putsAHostWithAFatalXidInMaintenanceAtOnceNamingTheRule() {
    PoolSnapshot p = pool(settings(), healthy("h1"), sick("h2", NOW, RuleIds.GPU_XID), healthy("h3"), healthy("h4"));

    Evaluation e = evaluate(p);

    assertThat(e.decisions()).singleElement().satisfies(d -> {
      assertThat(d.kind()).isEqualTo(Decision.Kind.QUARANTINE);
      assertThat(d.hostId()).isEqualTo("h2");
      assertThat(d.target()).isEqualTo(RoutingState.MAINTENANCE);
      assertThat(d.routingBy()).isEqualTo("policy:quarantine");
      assertThat(d.rule()).isEqualTo("quarantine");
      assertThat(d.reason()).contains("gpu-xid", "until an operator releases it");
    });
    assertThat(decisionEvents(e)).singleElement().satisfies(ev -> {
      assertThat(ev.action()).isEqualTo("quarantine");
      assertThat(ev.figures()).containsEntry("rules", "gpu-xid");
    });
  }

  @Test
  void quarantinesWithinTheCooldownOfADrain() {
    PoolSnapshot p = pool(settings(), healthy("h1"), sick("h2", NOW, RuleIds.GPU_ECC), healthy("h3"), healthy("h4"));

    Evaluation e = evaluate(p, new PolicyMemory(NOW.minusSeconds(1), null, null, null), NOW);

    assertThat(e.decisions()).extracting(Decision::kind).containsExactly(Decision.Kind.QUARANTINE);
    assertThat(e.memory().lastAutoDrain()).as("a quarantine is no drain").isEqualTo(NOW.minusSeconds(1));
  }

  @Test
  void refusesAQuarantineThatWouldBreakTheGuard() {
    PoolSnapshot p = pool(guard(2), healthy("h1"), sick("h2", NOW, RuleIds.GPU_ECC));

    Evaluation e = evaluate(p);

    assertThat(e.decisions()).isEmpty();
    assertThat(refusals(e)).singleElement().satisfies(r -> {
      assertThat(r.action()).isEqualTo("quarantine");
      assertThat(r.reason()).isEqualTo("guard");
    });
  }

  @Test
  void quarantinesAHostThatIsAlreadyOutOfRotationWithoutAskingTheGuard() {
    PoolSnapshot p = pool(guard(2), healthy("h1"), healthy("h2"),
        sick("h3", NOW, RuleIds.GPU_XID).withRouting(RoutingState.DRAINED, Actors.POLICY, LONG_AGO));

    assertThat(evaluate(p).decisions()).extracting(Decision::hostId).containsExactly("h3");
  }

  @Test
  void leavesAHostAnOperatorDrainedAlone() {
    PoolSnapshot p = pool(settings(), healthy("h1"), healthy("h2"),
        sick("h3", NOW, RuleIds.GPU_XID).withRouting(RoutingState.DRAINED, "operator:alice", LONG_AGO));

    assertThat(evaluate(p).decisions()).isEmpty();
  }

  @Test
  void doesNotQuarantineWhenQuarantineIsOff() {
    PoolSnapshot p = pool(settings().withQuarantine(false).withAutoDrain(false), healthy("h1"),
        sick("h2", NOW, RuleIds.GPU_XID), healthy("h3"));

    assertThat(evaluate(p).decisions()).isEmpty();
  }

  @Test
  void staysInMaintenanceUntilAnOperatorReleasesItWhenNoReleaseIsConfigured() {
    Member quarantined = member("h2", Health.HEALTHY, ago(Duration.ofDays(7)))
        .withRouting(RoutingState.MAINTENANCE, Actors.QUARANTINE, ago(Duration.ofDays(8)));
    PoolSnapshot p = pool(settings(), healthy("h1"), quarantined, healthy("h3"));

    assertThat(evaluate(p).decisions()).isEmpty();
  }

  @Test
  void releasesAQuarantinedHostThatStaysHealthyForTheConfiguredTime() {
    PolicySettings s = settings().withQuarantineRelease(Duration.ofHours(1));
    Member justUnder = member("h2", Health.HEALTHY, ago(Duration.ofHours(1)).plusSeconds(1))
        .withRouting(RoutingState.MAINTENANCE, Actors.QUARANTINE, LONG_AGO);
    Member enough = member("h2", Health.HEALTHY, ago(Duration.ofHours(1)))
        .withRouting(RoutingState.MAINTENANCE, Actors.QUARANTINE, LONG_AGO);

    assertThat(evaluate(pool(s, healthy("h1"), justUnder)).decisions()).isEmpty();
    assertThat(evaluate(pool(s, healthy("h1"), enough)).decisions()).singleElement().satisfies(d -> {
      assertThat(d.kind()).isEqualTo(Decision.Kind.RELEASE);
      assertThat(d.target()).isEqualTo(RoutingState.ACTIVE);
      assertThat(d.rule()).isEqualTo("quarantine-release");
    });
  }

  @Test
  void releasesAStandbyMemberBackToDrained() {
    PolicySettings s = settings().withQuarantineRelease(Duration.ZERO);
    Member g1 = onSide(member("g1", Health.HEALTHY, LONG_AGO)
        .withRouting(RoutingState.MAINTENANCE, Actors.QUARANTINE, LONG_AGO), "green");

    Evaluation e = evaluate(sided(s, "blue", "green", onSide(healthy("b1"), "blue"), g1));

    assertThat(e.decisions()).extracting(Decision::target).containsExactly(RoutingState.DRAINED);
  }

  @Test
  void neverReleasesAnOperatorsMaintenanceOrAHostWhoseGpuRuleStillFires() {
    PolicySettings s = settings().withQuarantineRelease(Duration.ZERO);
    Member operators = member("h2", Health.HEALTHY, LONG_AGO)
        .withRouting(RoutingState.MAINTENANCE, "operator:alice", LONG_AGO);
    Member stillFiring = member("h3", Health.HEALTHY, LONG_AGO, RuleIds.GPU_ECC)
        .withRouting(RoutingState.MAINTENANCE, Actors.QUARANTINE, LONG_AGO);

    assertThat(evaluate(pool(s, healthy("h1"), operators, stillFiring)).decisions()).isEmpty();
  }
}

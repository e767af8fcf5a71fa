package dev.nines.server.policy;

import static dev.nines.server.policy.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.protocol.RoutingState;
import dev.nines.server.availability.CapacityGuard;
import dev.nines.server.health.Health;
import dev.nines.server.health.RuleIds;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AutoDrainTest {
  private final PoolSnapshot fourWithOneSickFor29s =
      pool(settings(), healthy("h1"), sick("h2", secondsAgo(29)), healthy("h3"), healthy("h4"));

  @Test
  void leavesAHostUnhealthyForLessThanTheHysteresisInRotation() {
    Evaluation e = evaluate(fourWithOneSickFor29s);

    assertThat(e.decisions()).isEmpty();
    assertThat(e.events()).isEmpty();
    assertThat(e.memory().lastAutoDrain()).isNull();
  }

  @Test
  void drainsAHostThatStaysUnhealthyPastTheHysteresis() {
    PoolSnapshot p =
        pool(settings(), healthy("h1"), sick("h2", secondsAgo(30), RuleIds.LATENCY_VS_POOL), healthy("h3"), healthy("h4"));

    Evaluation e = evaluate(p);

    assertThat(e.decisions()).singleElement().satisfies(d -> {
      assertThat(d.kind()).isEqualTo(Decision.Kind.DRAIN);
      assertThat(d.hostId()).isEqualTo("h2");
      assertThat(d.target()).isEqualTo(RoutingState.DRAINING);
      assertThat(d.routingBy()).isEqualTo(Actors.POLICY);
      assertThat(d.rule()).isEqualTo("auto-drain");
      assertThat(d.reason()).contains("h2", "UNHEALTHY for 30 s", "latency-vs-pool", "3 stay active");
    });
    assertThat(e.events()).singleElement().satisfies(ev -> {
      assertThat(ev.kind()).isEqualTo("policy.decision");
      assertThat(ev.pool()).isEqualTo("llama");
      assertThat(ev.hostId()).isEqualTo("h2");
      assertThat(ev.action()).isEqualTo("drain");
      assertThat(ev.figures()).containsEntry("rule", "auto-drain").containsEntry("activeAfter", 3)
          .containsEntry("required", 2).containsEntry("unhealthySeconds", 30L);
    });
    assertThat(e.memory().lastAutoDrain()).isEqualTo(NOW);
  }

  @Test
  void drainsAnUnknownHostOnceTheBackendHasBeenUpLongEnough() {
    PoolSnapshot p = pool(settings(), healthy("h1"), member("h2", Health.UNKNOWN, ago(Duration.ofMinutes(1))),
        healthy("h3"), healthy("h4"));

    assertThat(evaluate(p).decisions()).extracting(Decision::hostId).containsExactly("h2");
  }

  @Test
  void leavesDegradedHostsAlone() {
    PoolSnapshot p = pool(settings(), healthy("h1"), member("h2", Health.DEGRADED, LONG_AGO), healthy("h3"));

    assertThat(evaluate(p).decisions()).isEmpty();
  }

  @Test
  void drainsTheHostUnhealthyTheLongestFirstAndRefusesTheOtherForTheCooldown() {
    PoolSnapshot p = pool(settings(), sick("h1", secondsAgo(50)), healthy("h2"), sick("h3", secondsAgo(100)),
        healthy("h4"), healthy("h5"), healthy("h6"));

    Evaluation e = evaluate(p);

    assertThat(e.decisions()).extracting(Decision::hostId).containsExactly("h3");
    assertThat(refusals(e)).singleElement().satisfies(r -> {
      assertThat(r.hostId()).isEqualTo("h1");
      assertThat(r.action()).isEqualTo("drain");
      assertThat(r.reason()).isEqualTo("cooldown");
    });
  }

  @Test
  void breaksATieOnHowLongByHostId() {
    Instant since = secondsAgo(60);
    PoolSnapshot p = pool(settings(), healthy("a"), sick("c", since), sick("b", since), healthy("d"), healthy("e"));

    assertThat(evaluate(p).decisions()).extracting(Decision::hostId).containsExactly("b");
  }

  @Test
  void refusesASecondDrainWithinTheCooldownAnnouncesItOnceAndDrainsWhenItEnds() {
    PoolSnapshot p = pool(settings(), healthy("h1"), sick("h2", secondsAgo(60)), healthy("h3"), healthy("h4"));
    PolicyMemory drainedAMinuteAgo = new PolicyMemory(ago(Duration.ofMinutes(1)), null, null, null);

    Evaluation first = evaluate(p, drainedAMinuteAgo, NOW);
    Evaluation second = evaluate(p, first.memory(), NOW.plusSeconds(1));
    Evaluation afterCooldown = evaluate(p, second.memory(), NOW.plus(Duration.ofMinutes(4)));

    assertThat(first.decisions()).isEmpty();
    assertThat(first.events()).singleElement().satisfies(r -> {
      assertThat(r.kind()).isEqualTo("policy.refused");
      assertThat(r.reason()).isEqualTo("cooldown");
      assertThat(r.figures()).containsEntry("cooldownLeftSeconds", 240L);
      assertThat((String) r.figures().get("message")).contains("h2", "cooldown of 300 s");
    });
    assertThat(second.decisions()).isEmpty();
    assertThat(second.events()).as("the refusal is announced once").isEmpty();
    assertThat(afterCooldown.decisions()).extracting(Decision::hostId).containsExactly("h2");
    assertThat(afterCooldown.memory().announcedRefusals()).isEmpty();
  }

  @Test
  void announcesARefusalAgainOnlyAfterItStoppedApplying() {
    PolicySettings s = guard(3);
    PoolSnapshot sickPool = pool(s, healthy("h1"), healthy("h2"), sick("h3", secondsAgo(60)));
    PoolSnapshot recovered = pool(s, healthy("h1"), healthy("h2"), healthy("h3"));

    Evaluation first = evaluate(sickPool, PolicyMemory.empty(), NOW);
    Evaluation again = evaluate(sickPool, first.memory(), NOW.plusSeconds(1));
    Evaluation stopped = evaluate(recovered, again.memory(), NOW.plusSeconds(2));
    Evaluation back = evaluate(sickPool, stopped.memory(), NOW.plusSeconds(3));

    assertThat(refusals(first)).extracting(PolicyEvent::reason).containsExactly("guard");
    assertThat(again.events()).isEmpty();
    assertThat(stopped.events()).isEmpty();
    assertThat(refusals(back)).extracting(PolicyEvent::reason).containsExactly("guard");
  }

  @Test
  void neverDrainsBelowTheGuardAndSaysWhy() {
    PoolSnapshot p = pool(guard(2), healthy("h1"), sick("h2", LONG_AGO));

    Evaluation e = evaluate(p);

    assertThat(e.decisions()).isEmpty();
    assertThat(refusals(e)).singleElement().satisfies(r -> {
      assertThat(r.kind()).isEqualTo("policy.refused");
      assertThat(r.hostId()).isEqualTo("h2");
      assertThat(r.reason()).isEqualTo("guard");
      assertThat(r.figures()).containsEntry("activeNow", 2).containsEntry("activeAfter", 1).containsEntry("required", 2);
    });
  }

  @Test
  void theGuardCountsMembersInRotationWhateverTheirHealth() {
    // fraction 0.5 of 4 = 2; two are drained by an operator, so draining the sick one leaves 1
    PoolSnapshot p = pool(settings(), healthy("h1"), sick("h2", LONG_AGO),
        routed(healthy("h3"), RoutingState.DRAINED, "operator:alice"),
        routed(healthy("h4"), RoutingState.MAINTENANCE, "operator:bob"));

    Evaluation e = evaluate(p);

    assertThat(e.decisions()).isEmpty();
    assertThat(refusals(e)).extracting(PolicyEvent::reason).containsExactly("guard");
  }

  @Test
  void guardRefusalWinsOverTheCooldown() {
    PoolSnapshot p = pool(guard(2), healthy("h1"), sick("h2", LONG_AGO));

    Evaluation e = evaluate(p, new PolicyMemory(NOW.minusSeconds(10), null, null, null), NOW);

    assertThat(refusals(e)).extracting(PolicyEvent::reason).containsExactly("guard");
  }

  @Test
  void aDrainThatCompletesDoesNotRestartTheCooldown() {
    // DRAINED's routingSince is when the drain completed (in-flight work done), not a new drain.
    Member drained = sick("h1", LONG_AGO).withRouting(RoutingState.DRAINED, Actors.POLICY, ago(Duration.ofSeconds(1)));
    PoolSnapshot p = pool(settings(), drained, sick("h2", LONG_AGO), healthy("h3"), healthy("h4"), healthy("h5"));

    Evaluation e = evaluate(p);

    assertThat(e.decisions()).extracting(Decision::hostId).containsExactly("h2");
  }

  @Test
  void aGrayFailureIsDrainedLikeAnUnhealthyHostButOtherDegradationsAreNot() {
    Member slow = member("h2", Health.DEGRADED, LONG_AGO, "latency-vs-pool");
    Member hot = member("h3", Health.DEGRADED, LONG_AGO, "gpu-temperature");
    PoolSnapshot p = pool(settings(), healthy("h1"), slow, hot, healthy("h4"), healthy("h5"));

    assertThat(evaluate(p).decisions()).extracting(Decision::hostId).containsExactly("h2");

    PoolSnapshot off = pool(settings().withDrainDegradedBy(java.util.Set.of()), healthy("h1"), slow, hot, healthy("h4"));
    assertThat(evaluate(off).decisions()).isEmpty();
  }

  @Test
  void drainsNothingWhenAutoDrainIsOff() {
    PoolSnapshot p = pool(settings().withAutoDrain(false), healthy("h1"), sick("h2", LONG_AGO), healthy("h3"), healthy("h4"));

    Evaluation e = evaluate(p);

    assertThat(e.decisions()).isEmpty();
    assertThat(e.events()).isEmpty();
  }

  @Test
  void theCooldownSurvivesALostMemoryThroughTheRoutingTheSnapshotShows() {
    Member drainedByPolicy = sick("h1", LONG_AGO).withRouting(RoutingState.DRAINING, Actors.POLICY, ago(Duration.ofMinutes(2)));
    PoolSnapshot p = pool(settings(), drainedByPolicy, sick("h2", LONG_AGO), healthy("h3"), healthy("h4"), healthy("h5"));

    Evaluation e = evaluate(p); // empty memory: a restarted backend

    assertThat(e.decisions()).isEmpty();
    assertThat(refusals(e)).singleElement().satisfies(r -> {
      assertThat(r.reason()).isEqualTo("cooldown");
      assertThat(r.figures()).containsEntry("cooldownLeftSeconds", 180L);
    });
  }

  @Test
  void drainsAtMostOneHostPerEvaluationEvenWithoutACooldown() {
    PoolSnapshot p = pool(settings().withCooldown(Duration.ZERO).withGuard(CapacityGuard.atLeast(1)),
        sick("h1", LONG_AGO), sick("h2", LONG_AGO), healthy("h3"));

    Evaluation e = evaluate(p);

    assertThat(e.decisions()).extracting(Decision::hostId).containsExactly("h1");
    assertThat(refusals(e)).isEmpty();
    Member h1Draining = p.members().get(0).withRouting(RoutingState.DRAINING, Actors.POLICY, NOW);
    PoolSnapshot next = pool(p.settings(), h1Draining, p.members().get(1), p.members().get(2));
    assertThat(evaluate(next, e.memory(), NOW.plusSeconds(1)).decisions()).extracting(Decision::hostId)
        .containsExactly("h2");
  }
}

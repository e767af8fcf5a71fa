package dev.nines.server.policy;

import static dev.nines.server.policy.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.server.health.Health;
import dev.nines.server.health.RuleIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SilenceTest {
  @Test
  void leavesASilentHostAloneWithinTheStartupGraceAndSaysSo() {
    Instant up = NOW.minus(Duration.ofMinutes(1)); // grace 2 min
    PoolSnapshot p = pool(settings(), healthy("h1"), member("h2", Health.UNKNOWN, ago(Duration.ofMinutes(10))),
        healthy("h3"), healthy("h4"));

    Evaluation e = Policy.evaluate(p, PolicyMemory.empty(), NOW, up);

    assertThat(e.decisions()).isEmpty();
    assertThat(refusals(e)).singleElement().satisfies(r -> {
      assertThat(r.hostId()).isEqualTo("h2");
      assertThat(r.reason()).isEqualTo("startup-grace");
    });
  }

  @Test
  void aSilentHostWaitsTheHysteresisAfterTheGraceEnds() {
    Instant up = NOW.minus(Duration.ofMinutes(2)); // the grace ends now
    PoolSnapshot p = pool(settings(), healthy("h1"), member("h2", Health.UNKNOWN, ago(Duration.ofMinutes(10))),
        healthy("h3"), healthy("h4"));

    Evaluation at29 = Policy.evaluate(p, PolicyMemory.empty(), NOW.plusSeconds(29), up);
    Evaluation at30 = Policy.evaluate(p, at29.memory(), NOW.plusSeconds(30), up);

    assertThat(at29.decisions()).isEmpty();
    assertThat(at29.events()).as("waiting for the hysteresis is no refusal").isEmpty();
    assertThat(at30.decisions()).extracting(Decision::hostId).containsExactly("h2");
  }

  @Test
  void anUnhealthyHostWhoseReportsWentStaleCountsAsSilent() {
    Instant up = NOW.minus(Duration.ofMinutes(1));
    PoolSnapshot p = pool(settings(), healthy("h1"), sick("h2", LONG_AGO, RuleIds.STALE), healthy("h3"), healthy("h4"));

    Evaluation e = Policy.evaluate(p, PolicyMemory.empty(), NOW, up);

    assertThat(e.decisions()).isEmpty();
    assertThat(refusals(e)).extracting(PolicyEvent::reason).containsExactly("startup-grace");
  }

  @Test
  void anUnhealthyHostThatStillReportsIsDrainedDuringTheGrace() {
    Instant up = NOW.minus(Duration.ofMinutes(1));
    PoolSnapshot p = pool(settings(), healthy("h1"), sick("h2", secondsAgo(40), RuleIds.ERROR_RATIO), healthy("h3"),
        healthy("h4"));

    assertThat(Policy.evaluate(p, PolicyMemory.empty(), NOW, up).decisions()).extracting(Decision::hostId)
        .containsExactly("h2");
  }

  @Test
  void aRestartedBackendDrainsNobodyWhileReportsComeBackAndOnlyTheDeadHostAfterGraceAndHysteresis() {
    // the backend restarts at NOW: every member UNKNOWN since NOW; the agents come back one by one
    // within the grace, except h6, which died while the backend was down
    Instant up = NOW;
    List<String> ids = List.of("h1", "h2", "h3", "h4", "h5", "h6");
    PolicyMemory memory = PolicyMemory.empty();
    List<String> drained = new ArrayList<>();
    Instant firstDrain = null;
    for (int second = 0; second <= 600; second++) {
      Instant now = NOW.plusSeconds(second);
      List<Member> members = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        long back = 5 + i * 20L; // the last live agent is back after 85 s
        boolean reported = i < 5 && second >= back;
        Member m = reported ? member(ids.get(i), Health.HEALTHY, NOW.plusSeconds(back))
            : member(ids.get(i), Health.UNKNOWN, up);
        members.add(drained.contains(m.hostId()) ? m.withRouting(dev.nines.protocol.RoutingState.DRAINING,
            Actors.POLICY, firstDrain) : m);
      }
      Evaluation e = Policy.evaluate(new PoolSnapshot("llama", settings(), members, null, null), memory, now, up);
      for (Decision d : e.decisions()) {
        drained.add(d.hostId());
        firstDrain = firstDrain == null ? now : firstDrain;
      }
      memory = e.memory();
    }
    assertThat(drained).containsExactly("h6");
    assertThat(firstDrain).isEqualTo(up.plus(Duration.ofMinutes(2)).plusSeconds(30));
  }

  @Test
  void actsOnNoSilentMemberWhenMostOfThePoolIsSilentButStillDrainsOneThatReports() {
    Instant quiet = ago(Duration.ofMinutes(10));
    PoolSnapshot p = pool(settings().withGuard(dev.nines.server.availability.CapacityGuard.atLeast(1)),
        member("h1", Health.UNKNOWN, quiet), member("h2", Health.UNKNOWN, quiet), sick("h3", quiet, RuleIds.STALE),
        sick("h4", LONG_AGO, RuleIds.GENERATION_FAILURES), healthy("h5"));

    Evaluation e = evaluate(p);

    assertThat(e.decisions()).extracting(Decision::hostId).containsExactly("h4");
    assertThat(refusals(e)).filteredOn(r -> r.reason().equals("mass-silence")).extracting(PolicyEvent::hostId)
        .containsExactlyInAnyOrder("h1", "h2", "h3");
  }

  @Test
  void halfThePoolSilentIsNoMassSilence() {
    Instant quiet = ago(Duration.ofMinutes(10));
    PoolSnapshot p = pool(settings().withGuard(dev.nines.server.availability.CapacityGuard.atLeast(1)),
        member("h1", Health.UNKNOWN, quiet), member("h2", Health.UNKNOWN, quiet), healthy("h3"), healthy("h4"));

    Evaluation e = evaluate(p);

    assertThat(e.decisions()).extracting(Decision::hostId).containsExactly("h1");
    assertThat(refusals(e)).extracting(PolicyEvent::reason).containsExactly("cooldown");
  }
}

package dev.nines.server.policy;

import static dev.nines.server.policy.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.protocol.RoutingState;
import dev.nines.server.health.Health;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NPlusOneTest {
  @Test
  void aPoolIsNPlusOneWhileLosingOneServingMemberStillMeetsTheGuard() {
    NPlusOne three = evaluate(pool(guard(2).withAutoDrain(false), healthy("h1"), healthy("h2"), healthy("h3")))
        .nPlusOne();
    NPlusOne two = evaluate(pool(guard(2).withAutoDrain(false), healthy("h1"), healthy("h2"),
        sick("h3", LONG_AGO))).nPlusOne();

    assertThat(three).extracting(NPlusOne::ok, NPlusOne::serving, NPlusOne::required).containsExactly(true, 3, 2);
    assertThat(two).extracting(NPlusOne::ok, NPlusOne::serving, NPlusOne::required).containsExactly(false, 2, 2);
    assertThat(two.reason()).contains("below the guard");
  }

  @Test
  void countsDegradedMembersInRotationAsServing() {
    NPlusOne v = evaluate(pool(guard(1), member("h1", Health.DEGRADED, LONG_AGO), healthy("h2"),
        healthy("h3").withRouting(RoutingState.DRAINED, "operator:a", LONG_AGO))).nPlusOne();

    assertThat(v.serving()).isEqualTo(2);
    assertThat(v.ok()).isTrue();
  }

  @Test
  void announcesAChangeOnceAndAFirstVerdictOnlyWhenItIsBad() {
    PolicySettings s = guard(2).withAutoDrain(false);
    PoolSnapshot fine = pool(s, healthy("h1"), healthy("h2"), healthy("h3"));
    PoolSnapshot tight = pool(s, healthy("h1"), healthy("h2"), sick("h3", NOW));

    Evaluation first = evaluate(fine, PolicyMemory.empty(), NOW);
    Evaluation worse = evaluate(tight, first.memory(), NOW.plusSeconds(1));
    Evaluation same = evaluate(tight, worse.memory(), NOW.plusSeconds(2));
    Evaluation better = evaluate(fine, same.memory(), NOW.plusSeconds(3));
    Evaluation firstBad = evaluate(tight, PolicyMemory.empty(), NOW);

    assertThat(first.events()).isEmpty();
    assertThat(first.memory().lastNPlusOne()).isTrue();
    assertThat(worse.events()).singleElement().satisfies(ev -> {
      assertThat(ev.kind()).isEqualTo("policy.n-plus-one");
      assertThat(ev.hostId()).isNull();
      assertThat(ev.figures()).containsEntry("ok", false).containsEntry("serving", 2).containsEntry("required", 2);
    });
    assertThat(same.events()).isEmpty();
    assertThat(better.events()).singleElement().satisfies(ev -> assertThat(ev.figures()).containsEntry("ok", true));
    assertThat(firstBad.events()).extracting(PolicyEvent::kind).containsExactly("policy.n-plus-one");
  }

  @Test
  void announcesNothingDuringTheStartupGrace() {
    Instant up = NOW.minusSeconds(5);
    PoolSnapshot allUnknown = pool(settings(), member("h1", Health.UNKNOWN, up), member("h2", Health.UNKNOWN, up));

    Evaluation e = Policy.evaluate(allUnknown, PolicyMemory.empty(), NOW, up);

    assertThat(e.nPlusOne().ok()).isFalse();
    assertThat(e.events()).isEmpty();
    assertThat(e.memory().lastNPlusOne()).isNull();
  }
}

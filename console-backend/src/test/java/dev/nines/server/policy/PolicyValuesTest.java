package dev.nines.server.policy;

import static dev.nines.server.policy.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.protocol.RoutingState;
import dev.nines.server.availability.CapacityGuard;
import dev.nines.server.health.Health;
import dev.nines.server.health.RuleIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyValuesTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    PolicySettings d = PolicySettings.defaults();

    assertThat(d.autoDrain()).isTrue();
    assertThat(d.hysteresis()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.cooldown()).isEqualTo(Duration.ofMinutes(5));
    assertThat(d.recovery()).isEqualTo(Duration.ofMinutes(10));
    assertThat(d.guard()).isEqualTo(CapacityGuard.fraction(0.5));
    assertThat(d.autoFailover()).isTrue();
    assertThat(d.quarantine()).isTrue();
    assertThat(d.quarantineRelease()).isNull();
    assertThat(d.startupGrace()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void settingsNameTheFieldTheyReject() {
    assertThatThrownBy(() -> settings().withHysteresis(Duration.ofSeconds(-1))).hasMessageContaining("hysteresis");
    assertThatThrownBy(() -> settings().withCooldown(null)).hasMessageContaining("cooldown");
    assertThatThrownBy(() -> settings().withRecovery(Duration.ofSeconds(-1))).hasMessageContaining("recovery");
    assertThatThrownBy(() -> settings().withStartupGrace(Duration.ofSeconds(-1))).hasMessageContaining("startupGrace");
    assertThatThrownBy(() -> settings().withQuarantineRelease(Duration.ofSeconds(-1)))
        .hasMessageContaining("quarantineRelease");
    assertThatThrownBy(() -> settings().withGuard(null)).hasMessageContaining("guard");
  }

  @Test
  void snapshotsRejectDuplicatesAndMismatchedSides() {
    assertThatThrownBy(() -> pool(settings(), healthy("h1"), healthy("h1"))).hasMessageContaining("h1 appears twice");
    assertThatThrownBy(() -> new PoolSnapshot("p", settings(), List.of(), "blue", null))
        .hasMessageContaining("standbySide");
    assertThatThrownBy(() -> new PoolSnapshot("p", settings(), List.of(), "blue", "blue"))
        .hasMessageContaining("differ");
    assertThatThrownBy(() -> pool(settings(), onSide(healthy("h1"), "blue"))).hasMessageContaining("no sides");
    assertThatThrownBy(() -> sided(settings(), "blue", "green", onSide(healthy("h1"), "red")))
        .hasMessageContaining("red");
    assertThatThrownBy(() -> sided(settings(), "blue", "green", healthy("h1"))).hasMessageContaining("h1");
  }

  @Test
  void membersRejectMissingFields() {
    assertThatThrownBy(() -> new Member(" ", null, Health.HEALTHY, NOW, Set.of(), RoutingState.ACTIVE, "system", NOW))
        .hasMessageContaining("hostId");
    assertThatThrownBy(() -> new Member("h", null, null, NOW, Set.of(), RoutingState.ACTIVE, "system", NOW))
        .hasMessageContaining("health");
    assertThatThrownBy(() -> new Member("h", null, Health.HEALTHY, NOW, Set.of(), RoutingState.ACTIVE, null, NOW))
        .hasMessageContaining("routingBy");
    assertThat(new Member("h", null, Health.HEALTHY, NOW, null, RoutingState.ACTIVE, "system", NOW).firingRules())
        .isEmpty();
  }

  @Test
  void actorsTellThePolicyFromOperators() {
    assertThat(Actors.isPolicy(Actors.POLICY)).isTrue();
    assertThat(Actors.isPolicy(Actors.QUARANTINE)).isTrue();
    assertThat(Actors.isPolicy("policyish")).isFalse();
    assertThat(Actors.isOperator(Actors.operator("alice"))).isTrue();
    assertThat(Actors.isOperator(Actors.SYSTEM)).isFalse();
    assertThat(Actors.isOperator(Actors.QUARANTINE)).isFalse();
  }

  @Test
  void theSameInputInAnyMemberOrderGivesTheSameEvaluation() {
    List<Member> members = new ArrayList<>(List.of(healthy("h1"), sick("h2", LONG_AGO), sick("h3", LONG_AGO),
        sick("h4", NOW, RuleIds.GPU_XID), healthy("h5"),
        member("h6", Health.HEALTHY, LONG_AGO).withRouting(RoutingState.DRAINED, Actors.POLICY, LONG_AGO),
        healthy("h7"), healthy("h8")));
    Evaluation reference = evaluate(new PoolSnapshot("llama", settings(), members, null, null));
    Random random = new Random(7);
    for (int i = 0; i < 20; i++) {
      Collections.shuffle(members, random);
      Evaluation e = evaluate(new PoolSnapshot("llama", settings(), members, null, null));
      assertThat(e).isEqualTo(reference);
      assertThat(e.events().toString()).isEqualTo(reference.events().toString());
    }
    assertThat(reference.decisions()).extracting(Decision::kind, Decision::hostId).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Decision.Kind.QUARANTINE, "h4"),
        org.assertj.core.groups.Tuple.tuple(Decision.Kind.UNDRAIN, "h6"),
        org.assertj.core.groups.Tuple.tuple(Decision.Kind.DRAIN, "h2"));
  }
}

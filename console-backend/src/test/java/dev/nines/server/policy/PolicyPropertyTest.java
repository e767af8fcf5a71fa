package dev.nines.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.protocol.RoutingState;
import dev.nines.server.availability.CapacityGuard;
import dev.nines.server.health.Health;
import dev.nines.server.health.RuleIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Drives the policy through thousands of random sequences of faults, recoveries, operator actions and
 * backend restarts against a small model of a pool that carries out every decision, and checks the
 * promises after every step:
 *
 * <ul>
 *   <li>never below the guard because of an automatic action;
 *   <li>never two automatic drains (or failovers) of a pool within the cooldown;
 *   <li>never undrains or releases a host that an operator holds;
 *   <li>no automatic drain of a silent member within the start-up grace of a restart, nor while most
 *       of the pool is silent, nor before the hysteresis;
 *   <li>when the faults stop, the pool converges: no host the policy drained is left out of rotation,
 *       and no more decisions come.
 * </ul>
 *
 * Seeded: a failure names the sequence's seed and step; rerun one seed with {@code
 * -Dpolicy.seed=<seed>}.
 */
class PolicyPropertyTest {
  private static final long MASTER_SEED = 0x9_1_9_E5L;
  private static final int SEQUENCES = 2_000;
  private static final int STEPS = 60;
  private static final int SETTLE_STEPS = 120;
  private static final Duration SETTLE_STEP = Duration.ofSeconds(30);
  private static final Instant START = Instant.parse("2025-03-01T00:00:00Z");

  private final Map<String, Integer> seen = new TreeMap<>();
  private int stepsChecked;
  private int decisionsChecked;

  @Test
  void randomFaultsOperatorsAndRestartsNeverBreakTheGuardTheCooldownOrAnOperatorsDrainAndThePoolConverges() {
    String only = System.getProperty("policy.seed");
    long started = System.nanoTime();
    int sequences = 0;
    if (only != null) {
      runSequence(Long.parseLong(only), -1);
      sequences = 1;
    } else {
      Random master = new Random(MASTER_SEED);
      for (int i = 0; i < SEQUENCES; i++) {
        runSequence(master.nextLong(), i);
        sequences++;
      }
    }
    long ms = (System.nanoTime() - started) / 1_000_000;
    System.out.printf(
        "PolicyPropertyTest: %d sequences, %d steps, %d decisions checked in %d ms; seen %s%n",
        sequences, stepsChecked, decisionsChecked, ms, seen);
    if (only == null) {
      // the generator must reach every rule, or the test proves little
      for (String kind : List.of("DRAIN", "UNDRAIN", "QUARANTINE", "RELEASE", "FAILOVER", "refused:guard",
          "refused:cooldown", "refused:startup-grace", "refused:mass-silence", "refused:standby",
          "n-plus-one")) {
        assertThat(seen.getOrDefault(kind, 0)).as("times the sequences produced " + kind).isGreaterThan(20);
      }
    }
  }

  private void runSequence(long seed, int index) {
    Random r = new Random(seed);
    Sim sim = new Sim(r);
    String where = "seed " + seed + " (sequence " + index + ")";
    for (int step = 0; step < STEPS; step++) {
      sim.advance(randomStep(r));
      sim.settleDraining();
      sim.inject(r);
      sim.reportAfterRestart(r);
      checkedStep(sim, where + ", step " + step);
    }
    sim.stopFaults();
    int lastDecisionStep = -1;
    for (int step = 0; step < SETTLE_STEPS; step++) {
      sim.advance(SETTLE_STEP);
      sim.settleDraining();
      if (!checkedStep(sim, where + ", settling step " + step).decisions().isEmpty()) {
        lastDecisionStep = step;
      }
    }
    String at = where + ", after the faults stopped (last decision at settling step " + lastDecisionStep + ")";
    assertThat(lastDecisionStep).as(at + ": decisions must stop").isLessThan(SETTLE_STEPS - 10);
    PoolSnapshot end = sim.snapshot();
    for (Member m : end.members()) {
      if (end.inGuardScope(m) && Actors.POLICY.equals(m.routingBy())) {
        assertThat(m.routing()).as(at + ": " + m.hostId() + ", drained by the policy").isEqualTo(RoutingState.ACTIVE);
      }
      if (sim.settings.quarantineRelease() != null && Actors.QUARANTINE.equals(m.routingBy())) {
        assertThat(m.routing()).as(at + ": " + m.hostId() + ", quarantined with a release time")
            .isNotEqualTo(RoutingState.MAINTENANCE);
      }
    }
  }

  private static Duration randomStep(Random r) {
    int p = r.nextInt(100);
    if (p < 70) {
      return Duration.ofSeconds(1 + r.nextInt(30));
    }
    if (p < 95) {
      return Duration.ofSeconds(30 + r.nextInt(270));
    }
    return Duration.ofSeconds(300 + r.nextInt(900));
  }

  /** One evaluation: checks it against the promises, then carries out its decisions. */
  private Evaluation checkedStep(Sim sim, String where) {
    PoolSnapshot pre = sim.snapshot();
    Evaluation e;
    try {
      e = Policy.evaluate(pre, sim.memory, sim.now, sim.upSince);
    } catch (RuntimeException ex) {
      throw new AssertionError(where + ": evaluate threw", ex);
    }
    stepsChecked++;
    check(sim, pre, e, where);
    sim.apply(e.decisions());
    sim.memory = e.memory();
    if (e.decisions().stream().anyMatch(d -> d.kind() == Decision.Kind.FAILOVER)) {
      PoolSnapshot post = sim.snapshot();
      long active = post.guardScope().stream().filter(m -> m.routing() == RoutingState.ACTIVE).count();
      assertThat(active).as(where + ": the side a failover brought up meets its guard").isGreaterThanOrEqualTo(post.required());
    }
    return e;
  }

  private void check(Sim sim, PoolSnapshot pre, Evaluation e, String where) {
    PolicySettings s = pre.settings();
    Instant now = sim.now;
    Instant graceEnd = sim.upSince.plus(s.startupGrace());
    int activeInScope = (int) pre.guardScope().stream().filter(m -> m.routing() == RoutingState.ACTIVE).count();
    long activeAll = pre.members().stream().filter(m -> m.routing() == RoutingState.ACTIVE).count();
    long silentActive =
        pre.members().stream().filter(m -> m.routing() == RoutingState.ACTIVE && m.silent()).count();
    boolean massSilence = silentActive * 2 > activeAll;
    int takenOut = 0;
    int drains = 0;
    Set<String> hosts = new HashSet<>();
    Set<String> quarantined = new HashSet<>();
    Set<String> released = new HashSet<>();
    for (Decision d : e.decisions()) {
      decisionsChecked++;
      count(d.kind().name());
      String at = where + ": " + d;
      if (d.kind() == Decision.Kind.FAILOVER) {
        assertThat(s.autoFailover()).as(at).isTrue();
        assertThat(d.fromSide()).as(at).isEqualTo(pre.activeSide());
        if (sim.lastFailover != null) {
          assertThat(Duration.between(sim.lastFailover, now)).as(at + ": since the last failover")
              .isGreaterThanOrEqualTo(s.cooldown());
        }
        sim.lastFailover = now;
        for (String id : d.plan().activate()) {
          // a member released earlier in the same evaluation may be brought up; no other MAINTENANCE
          assertThat(released.contains(id) || pre.member(id).orElseThrow().routing() != RoutingState.MAINTENANCE)
              .as(at + ": activates " + id + " in MAINTENANCE").isTrue();
          assertThat(quarantined).as(at + ": activates a host it just quarantined").doesNotContain(id);
        }
        if (now.isBefore(graceEnd) || massSilence) {
          // silence alone must not fail a pool over: counting silent members as serving, the side is short
          long serving = pre.guardScope().stream().filter(m -> m.routing() == RoutingState.ACTIVE
              && !quarantined.contains(m.hostId())
              && !(!m.silent() && m.health() == Health.UNHEALTHY
                  && !Duration.between(m.healthSince(), now).minus(s.hysteresis()).isNegative())).count();
          assertThat(serving).as(at + ": within the grace or mass silence").isLessThan(pre.required());
        }
        continue;
      }
      assertThat(hosts.add(d.hostId())).as(at + ": one decision per host").isTrue();
      Member m = pre.member(d.hostId()).orElseThrow(() -> new AssertionError(at + ": no such member"));
      switch (d.kind()) {
        case DRAIN -> {
          drains++;
          assertThat(s.autoDrain()).as(at).isTrue();
          assertThat(pre.inGuardScope(m)).as(at + ": drains the active side only").isTrue();
          assertThat(m.routing()).as(at).isEqualTo(RoutingState.ACTIVE);
          assertThat(m.health()).as(at).isIn(Health.UNHEALTHY, Health.UNKNOWN);
          assertThat(Duration.between(m.healthSince(), now)).as(at + ": hysteresis").isGreaterThanOrEqualTo(s.hysteresis());
          if (m.silent()) {
            assertThat(now).as(at + ": a silent member within the start-up grace").isAfterOrEqualTo(graceEnd);
            Instant from = m.healthSince().isAfter(graceEnd) ? m.healthSince() : graceEnd;
            assertThat(Duration.between(from, now)).as(at + ": silent, hysteresis after the grace")
                .isGreaterThanOrEqualTo(s.hysteresis());
            assertThat(massSilence).as(at + ": a silent member while most of the pool is silent").isFalse();
          }
          if (sim.lastDrain != null) {
            assertThat(Duration.between(sim.lastDrain, now)).as(at + ": since the last automatic drain")
                .isGreaterThanOrEqualTo(s.cooldown());
          }
          sim.lastDrain = now;
          takenOut++;
        }
        case QUARANTINE -> {
          quarantined.add(m.hostId());
          assertThat(s.quarantine()).as(at).isTrue();
          assertThat(m.gpuFault()).as(at).isTrue();
          assertThat(m.silent()).as(at).isFalse();
          assertThat(m.routing()).as(at).isNotEqualTo(RoutingState.MAINTENANCE);
          assertThat(m.routing() == RoutingState.ACTIVE || !Actors.isOperator(m.routingBy()))
              .as(at + ": quarantines a host an operator holds out").isTrue();
          if (m.routing() == RoutingState.ACTIVE && pre.inGuardScope(m)) {
            takenOut++;
          }
        }
        case UNDRAIN -> {
          assertThat(m.routingBy()).as(at + ": undrains only what the policy drained").isEqualTo(Actors.POLICY);
          assertThat(m.routing()).as(at).isIn(RoutingState.DRAINING, RoutingState.DRAINED);
          assertThat(m.health()).as(at).isEqualTo(Health.HEALTHY);
          assertThat(Duration.between(m.healthSince(), now)).as(at + ": recovery").isGreaterThanOrEqualTo(s.recovery());
          assertThat(pre.inGuardScope(m)).as(at).isTrue();
        }
        case RELEASE -> {
          released.add(m.hostId());
          assertThat(m.routingBy()).as(at + ": releases only a quarantine").isEqualTo(Actors.QUARANTINE);
          assertThat(m.routing()).as(at).isEqualTo(RoutingState.MAINTENANCE);
          assertThat(s.quarantineRelease()).as(at).isNotNull();
          assertThat(Duration.between(m.healthSince(), now)).as(at).isGreaterThanOrEqualTo(s.quarantineRelease());
        }
        default -> throw new AssertionError(at);
      }
    }
    assertThat(drains).as(where + ": automatic drains in one evaluation").isLessThanOrEqualTo(1);
    if (takenOut > 0) {
      assertThat(activeInScope - takenOut).as(where + ": active after the policy's own removals " + e.decisions())
          .isGreaterThanOrEqualTo(pre.required());
    }
    assertThat(e.events().stream().filter(x -> x.kind().equals(PolicyEvent.DECISION)).count())
        .as(where + ": one event per decision").isEqualTo(e.decisions().size());
    for (PolicyEvent ev : e.events()) {
      if (ev.kind().equals(PolicyEvent.REFUSED)) {
        count("refused:" + ev.reason());
        assertThat(ev.reason()).as(where).isIn("guard", "cooldown", "startup-grace", "mass-silence", "standby");
        assertThat(sim.memory.announcedRefusals())
            .as(where + ": announced again while it still applied")
            .doesNotContain(new PolicyMemory.Refusal(ev.hostId(), ev.action(), ev.reason()));
      } else if (ev.kind().equals(PolicyEvent.N_PLUS_ONE)) {
        count("n-plus-one");
      }
    }
  }

  private void count(String kind) {
    seen.merge(kind, 1, Integer::sum);
  }

  /** A mutable model of one pool: what the health judge, the routing service and people would do. */
  private static final class Sim {
    final PolicySettings settings;
    final Map<String, M> members = new LinkedHashMap<>();
    String activeSide;
    String standbySide;
    Instant now = START;
    Instant upSince = START.minus(Duration.ofHours(1));
    PolicyMemory memory = PolicyMemory.empty();
    Instant lastDrain;
    Instant lastFailover;

    /** One member: the health the backend shows, and the truth it would show once it hears again. */
    static final class M {
      final String id;
      final String side;
      Health health = Health.HEALTHY;
      Instant healthSince;
      Set<String> rules = Set.of();
      Health realHealth = Health.HEALTHY;
      Set<String> realRules = Set.of();
      boolean muted; // the backend restarted and has not heard from it yet
      RoutingState routing;
      String routingBy = Actors.SYSTEM;
      Instant routingSince;

      M(String id, String side, RoutingState routing, Instant at) {
        this.id = id;
        this.side = side;
        this.routing = routing;
        this.healthSince = at;
        this.routingSince = at;
      }

      Member member() {
        return new Member(id, side, health, healthSince, rules, routing, routingBy, routingSince);
      }
    }

    Sim(Random r) {
      int n = 4 + r.nextInt(7);
      boolean sides = r.nextInt(10) < 4;
      int blue = sides ? 2 + r.nextInt(n - 3) : n;
      if (sides) {
        activeSide = "blue";
        standbySide = "green";
      }
      for (int i = 0; i < n; i++) {
        String side = !sides ? null : i < blue ? "blue" : "green";
        RoutingState routing = side == null || side.equals("blue") ? RoutingState.ACTIVE : RoutingState.DRAINED;
        String id = "h" + i;
        members.put(id, new M(id, side, routing, now.minus(Duration.ofHours(2))));
      }
      CapacityGuard guard =
          r.nextBoolean()
              ? CapacityGuard.atLeast(1 + r.nextInt(3))
              : CapacityGuard.fraction(new double[] {0.25, 0.5, 0.75}[r.nextInt(3)]);
      settings =
          new PolicySettings(
              r.nextInt(10) != 0,
              Duration.ofSeconds(new int[] {0, 10, 30, 60}[r.nextInt(4)]),
              Duration.ofSeconds(new int[] {0, 60, 300}[r.nextInt(3)]),
              Duration.ofSeconds(new int[] {0, 60, 600}[r.nextInt(3)]),
              guard,
              r.nextBoolean(),
              r.nextInt(5) != 0,
              r.nextBoolean() ? null : Duration.ofSeconds(new int[] {0, 300}[r.nextInt(2)]),
              Duration.ofSeconds(new int[] {0, 60, 120}[r.nextInt(3)]));
    }

    PoolSnapshot snapshot() {
      List<Member> list = new ArrayList<>();
      for (M m : members.values()) {
        list.add(m.member());
      }
      return new PoolSnapshot("pool", settings, list, activeSide, standbySide);
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    /** A drain started a step ago has finished. */
    void settleDraining() {
      for (M m : members.values()) {
        if (m.routing == RoutingState.DRAINING) {
          route(m, RoutingState.DRAINED, m.routingBy);
        }
      }
    }

    void inject(Random r) {
      List<M> list = new ArrayList<>(members.values());
      int faults = r.nextInt(3);
      for (int i = 0; i < faults; i++) {
        M m = list.get(r.nextInt(list.size()));
        int p = r.nextInt(100);
        if (p < 40) {
          truth(m, Health.HEALTHY, Set.of());
        } else if (p < 50) {
          truth(m, Health.DEGRADED, Set.of(RuleIds.GPU_TEMPERATURE));
        } else if (p < 70) {
          truth(m, Health.UNHEALTHY, Set.of(r.nextBoolean() ? RuleIds.ERROR_RATIO : RuleIds.LATENCY_VS_POOL));
        } else if (p < 80) {
          truth(m, Health.UNHEALTHY, Set.of(RuleIds.STALE));
        } else if (p < 90) {
          truth(m, Health.UNKNOWN, Set.of());
        } else {
          truth(m, Health.UNHEALTHY, Set.of(r.nextBoolean() ? RuleIds.GPU_XID : RuleIds.GPU_ECC));
        }
      }
      if (r.nextInt(40) == 0) {
        // a network partition between the backend and most agents
        for (M m : list) {
          if (r.nextInt(4) != 0) {
            truth(m, Health.UNKNOWN, Set.of());
          }
        }
      }
      if (r.nextInt(12) == 0) {
        M m = list.get(r.nextInt(list.size()));
        String who = Actors.operator(r.nextBoolean() ? "alice" : "bob");
        switch (r.nextInt(3)) {
          case 0 -> route(m, r.nextBoolean() ? RoutingState.DRAINING : RoutingState.DRAINED, who);
          case 1 -> route(m, RoutingState.ACTIVE, who);
          default -> route(m, RoutingState.MAINTENANCE, who);
        }
      }
      if (r.nextInt(30) == 0) {
        // the backend restarts: it knows nothing until the agents report again
        upSince = now;
        for (M m : list) {
          m.muted = true;
          m.health = Health.UNKNOWN;
          m.healthSince = now;
          m.rules = Set.of();
        }
      }
    }

    /** Agents report again after a restart, a few at a time. */
    void reportAfterRestart(Random r) {
      for (M m : members.values()) {
        if (m.muted && r.nextInt(3) != 0) {
          m.muted = false;
          show(m);
        }
      }
    }

    void stopFaults() {
      for (M m : members.values()) {
        m.muted = false;
        truth(m, Health.HEALTHY, Set.of());
      }
    }

    private void truth(M m, Health h, Set<String> rules) {
      m.realHealth = h;
      m.realRules = rules;
      if (!m.muted) {
        show(m);
      }
    }

    private void show(M m) {
      if (m.health != m.realHealth) {
        m.healthSince = now;
      }
      m.health = m.realHealth;
      m.rules = m.realRules;
    }

    private void route(M m, RoutingState routing, String by) {
      if (m.routing != routing) {
        m.routingSince = now;
      }
      m.routing = routing;
      m.routingBy = by;
    }

    void apply(List<Decision> decisions) {
      for (Decision d : decisions) {
        if (d.kind() == Decision.Kind.FAILOVER) {
          for (String id : d.plan().activate()) {
            route(members.get(id), RoutingState.ACTIVE, Actors.POLICY);
          }
          for (String id : d.plan().drain()) {
            route(members.get(id), RoutingState.DRAINED, Actors.POLICY);
          }
          activeSide = d.toSide();
          standbySide = d.fromSide();
        } else {
          route(members.get(d.hostId()), d.target(), d.routingBy());
        }
      }
    }
  }
}

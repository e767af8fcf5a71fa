package dev.nines.server.policy;

import dev.nines.protocol.RoutingState;
import dev.nines.server.health.Health;
import dev.nines.server.policy.Decision.Kind;
import dev.nines.server.policy.PolicyMemory.Refusal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The automatic drain, quarantine and failover policy of one pool. Pure: a snapshot, the memory of
 * the previous evaluation and the time in; decisions, events and the next memory out. No I/O, no
 * clock, no state of its own: the caller keeps one {@link PolicyMemory} per pool and calls {@link
 * #evaluate} on every tick (say, every second).
 *
 * <h2>Terms</h2>
 *
 * <ul>
 *   <li><b>Guard scope</b>: the members the capacity guard counts: all members, or for a pool with
 *       sides the active side's. {@code required = guard.requiredOf(scope size)}. <b>Active</b> =
 *       routing ACTIVE, whatever the health (draining a sick host still takes capacity out). Within
 *       one evaluation the guard counts only members ACTIVE in the snapshot and not taken out by an
 *       earlier decision; an undrain or release decided in the same evaluation is not counted as
 *       capacity until it has been carried out.
 *   <li><b>Silent</b> member: UNKNOWN, or UNHEALTHY with the rule {@code stale} firing. The backend's
 *       own outage or restart looks like this. A silent member is acted on only when {@code now >=
 *       backendUpSince + startupGrace} and {@code now - max(healthSince, backendUpSince + startupGrace)
 *       >= hysteresis}.
 *   <li><b>Mass silence</b>: more than half of the members in rotation (routing ACTIVE) are silent;
 *       the backend's own network is then the likelier cause, and no silent member is acted on
 *       (refusal {@code mass-silence}). Members out of rotation do not count: a drained host may be
 *       switched off on purpose.
 * </ul>
 *
 * <h2>Rules, in the order they are applied (each sees the routing the earlier ones decided)</h2>
 *
 * <ol>
 *   <li><b>Quarantine release</b> (only when {@code quarantineRelease} is set): a member in
 *       MAINTENANCE by {@link Actors#QUARANTINE}, HEALTHY for at least {@code quarantineRelease}, no
 *       GPU rule firing: RELEASE to ACTIVE (to DRAINED on the standby side). An operator's
 *       MAINTENANCE is never released.
 *   <li><b>Quarantine</b> ({@code quarantine}): a member that is not silent, with {@code gpu-xid} or
 *       {@code gpu-ecc} firing, not in MAINTENANCE and not held out of rotation by an operator:
 *       QUARANTINE to MAINTENANCE at once (no hysteresis, no cooldown), but within the guard when it is
 *       ACTIVE in the guard scope (refusal {@code guard}). A host an operator drained is left alone;
 *       it is quarantined when the operator puts it back.
 *   <li><b>Failover</b> ({@code autoFailover}, pool with sides): the active side counts as failed
 *       when fewer than {@code required} of its members serve, where a member fails to serve when it
 *       is out of rotation, or UNHEALTHY for at least the hysteresis (silent members only under the
 *       silence rules above). When the standby side has at least {@code max(required,
 *       guard.requiredOf(standby size))} HEALTHY members out of MAINTENANCE (else refusal {@code
 *       standby}) and the last automatic failover is a cooldown ago (else refusal {@code cooldown}):
 *       one FAILOVER whose plan activates every standby member that can serve and drains the active
 *       side. Silence that alone would make the side fail gives refusal {@code startup-grace} or
 *       {@code mass-silence}. A failover ends the evaluation's drain and undrain rules.
 *   <li><b>Undrain</b> (whatever {@code autoDrain}): a member of the guard scope that the policy
 *       drained ({@code routingBy} {@link Actors#POLICY}, DRAINING or DRAINED), HEALTHY for at least
 *       {@code recovery}: UNDRAIN to ACTIVE. Not limited by the cooldown. Never a host drained by an
 *       operator or in MAINTENANCE.
 *   <li><b>Auto-drain</b> ({@code autoDrain}): a member of the guard scope, ACTIVE, UNHEALTHY or
 *       UNKNOWN, or DEGRADED by a rule of {@code drainDegradedBy} (a gray failure), for at least the
 *       hysteresis (and the silence rules): DRAIN to DRAINING. The one
 *       unhealthy the longest first (tie: host id); at most one per evaluation and one per cooldown
 *       (refusal {@code cooldown}); never when the guard scope would keep fewer than {@code required}
 *       ACTIVE (refusal {@code guard}, which wins when both apply). The cooldown counts from the
 *       remembered last automatic drain, and also from the newest {@code routingSince} of a guard-scope
 *       member the policy holds DRAINING (when its drain began), so that it survives a restart of the
 *       backend that lost the memory.
 * </ol>
 *
 * <p>Every decision is an event ({@link PolicyEvent#DECISION}); every refusal is an event ({@link
 * PolicyEvent#REFUSED}) once per (host, action, reason), and again only after it stopped applying.
 * The N+1 verdict ({@link NPlusOne}, on the snapshot) is computed every time and announced ({@link
 * PolicyEvent#N_PLUS_ONE}) when it changes; a first verdict is announced only when it is not ok, and
 * nothing is announced during the start-up grace (every member is UNKNOWN then).
 *
 * <p>Deterministic: the same input gives the same output; hosts are taken in host-id order where no
 * other order is given.
 */
public final class Policy {
  public static final String REFUSED_GUARD = "guard";
  public static final String REFUSED_COOLDOWN = "cooldown";
  public static final String REFUSED_STARTUP_GRACE = "startup-grace";
  public static final String REFUSED_MASS_SILENCE = "mass-silence";
  public static final String REFUSED_STANDBY = "standby";

  private Policy() {}

  /**
   * Evaluates one pool.
   *
   * @param pool the pool now
   * @param memory what the previous evaluation of this pool returned ({@link PolicyMemory#empty()}
   *     the first time)
   * @param now the time of the evaluation
   * @param backendUpSince when this backend process started serving (its start-up grace counts from
   *     there)
   */
  public static Evaluation evaluate(PoolSnapshot pool, PolicyMemory memory, Instant now, Instant backendUpSince) {
    if (pool == null) {
      throw new IllegalArgumentException("pool is required");
    }
    if (memory == null) {
      throw new IllegalArgumentException("memory is required");
    }
    if (now == null) {
      throw new IllegalArgumentException("now is required");
    }
    if (backendUpSince == null) {
      throw new IllegalArgumentException("backendUpSince is required");
    }
    return new Run(pool, memory, now, backendUpSince).evaluate();
  }

  /** Why a silent member is not acted on (yet). */
  private enum Hold {
    /** Not silent, or silent long enough outside the grace and without mass silence. */
    NONE,
    /** The hysteresis has not passed yet (counting from the end of the grace for silent members). */
    NOT_YET,
    /** Silent long enough, but within the start-up grace. */
    GRACE,
    /** Silent long enough, but most of the pool is silent. */
    MASS
  }

  /** One evaluation: a working copy of the routing, and what was decided and announced. */
  private static final class Run {
    private final PoolSnapshot pool;
    private final PolicySettings settings;
    private final PolicyMemory memory;
    private final Instant now;
    private final Instant graceEnd;
    private final boolean massSilence;
    private final int required;
    private final Map<String, RoutingState> routing = new HashMap<>();
    private final List<Decision> decisions = new ArrayList<>();
    private final List<PolicyEvent> events = new ArrayList<>();
    private final Set<Refusal> refusals = new LinkedHashSet<>();
    private Instant lastAutoDrain;
    private Instant lastAutoFailover;

    Run(PoolSnapshot pool, PolicyMemory memory, Instant now, Instant backendUpSince) {
      this.pool = pool;
      this.settings = pool.settings();
      this.memory = memory;
      this.now = now;
      this.graceEnd = backendUpSince.plus(settings.startupGrace());
      this.required = pool.required();
      this.lastAutoDrain = memory.lastAutoDrain();
      this.lastAutoFailover = memory.lastAutoFailover();
      int active = 0;
      int silent = 0;
      for (Member m : pool.members()) {
        routing.put(m.hostId(), m.routing());
        if (m.routing() == RoutingState.ACTIVE) {
          active++;
          if (m.silent()) {
            silent++;
          }
        }
      }
      this.massSilence = silent * 2 > active;
    }

    Evaluation evaluate() {
      releases();
      quarantines();
      boolean failedOver = failover();
      if (!failedOver) {
        undrains();
        drains();
      }
      NPlusOne verdict = nPlusOne();
      Boolean lastVerdict = memory.lastNPlusOne();
      if (!now.isBefore(graceEnd)) {
        if (lastVerdict == null ? !verdict.ok() : lastVerdict != verdict.ok()) {
          events.add(new PolicyEvent(PolicyEvent.N_PLUS_ONE, pool.pool(), null, "n-plus-one", verdict.reason(),
              figures("ok", verdict.ok(), "serving", verdict.serving(), "required", verdict.required())));
        }
        lastVerdict = verdict.ok();
      }
      PolicyMemory next = new PolicyMemory(lastAutoDrain, lastAutoFailover, refusals, lastVerdict);
      return new Evaluation(decisions, events, next, verdict);
    }

    // --- the rules ---

    private void releases() {
      Duration after = settings.quarantineRelease();
      if (after == null) {
        return;
      }
      for (Member m : pool.members()) {
        if (m.routing() != RoutingState.MAINTENANCE
            || !Actors.QUARANTINE.equals(m.routingBy())
            || m.health() != Health.HEALTHY
            || m.gpuFault()) {
          continue;
        }
        Duration healthy = Duration.between(m.healthSince(), now);
        if (healthy.compareTo(after) < 0) {
          continue;
        }
        RoutingState target = pool.inGuardScope(m) ? RoutingState.ACTIVE : RoutingState.DRAINED;
        String reason =
            m.hostId() + " has been HEALTHY for " + seconds(healthy) + " s since its GPU quarantine (release after "
                + seconds(after) + " s); back to " + target;
        decide(Decision.forHost(Kind.RELEASE, m.hostId(), target, Decision.QUARANTINE_RELEASE, reason),
            figures("healthySeconds", seconds(healthy), "releaseAfterSeconds", seconds(after)));
      }
    }

    private void quarantines() {
      if (!settings.quarantine()) {
        return;
      }
      for (Member m : pool.members()) {
        RoutingState r = routing.get(m.hostId());
        if (!m.gpuFault() || m.silent() || r == RoutingState.MAINTENANCE) {
          continue;
        }
        if (r != RoutingState.ACTIVE && Actors.isOperator(m.routingBy())) {
          continue; // an operator holds it out of rotation; quarantined if they put it back
        }
        boolean takesCapacity = r == RoutingState.ACTIVE && pool.inGuardScope(m);
        int activeNow = activeInScope();
        int activeAfter = takesCapacity ? activeNow - 1 : activeNow;
        Map<String, Object> figures =
            figures("rules", m.gpuRules(), "activeNow", activeNow, "activeAfter", activeAfter, "required", required);
        if (activeAfter < required) {
          refuse(m.hostId(), Kind.QUARANTINE.action(), REFUSED_GUARD,
              "quarantine of " + m.hostId() + " (" + m.gpuRules() + ") refused: it would leave " + activeAfter
                  + " active, below the guard's " + required,
              figures);
          continue;
        }
        String reason =
            m.hostId() + " has a fatal GPU fault (" + m.gpuRules() + "): MAINTENANCE until "
                + (settings.quarantineRelease() == null
                    ? "an operator releases it"
                    : "an operator releases it or it stays HEALTHY for " + seconds(settings.quarantineRelease()) + " s");
        decide(Decision.forHost(Kind.QUARANTINE, m.hostId(), RoutingState.MAINTENANCE, Decision.QUARANTINE_RULE,
            reason), figures);
      }
    }

    /** Returns true when it decided a failover. */
    private boolean failover() {
      if (!settings.autoFailover() || !pool.hasSides()) {
        return false;
      }
      List<Member> side = pool.guardScope();
      int failed = 0;
      int heldByGrace = 0;
      int heldByMass = 0;
      for (Member m : side) {
        if (routing.get(m.hostId()) != RoutingState.ACTIVE) {
          failed++;
          continue;
        }
        if (m.health() == Health.HEALTHY || m.health() == Health.DEGRADED) {
          continue;
        }
        switch (hold(m)) {
          case NONE -> failed++;
          case GRACE -> heldByGrace++;
          case MASS -> heldByMass++;
          case NOT_YET -> { }
        }
      }
      int serving = side.size() - failed;
      Map<String, Object> figures =
          figures("fromSide", pool.activeSide(), "toSide", pool.standbySide(), "serving", serving, "required",
              required);
      if (serving >= required) {
        if (serving - heldByGrace - heldByMass < required) {
          String why = heldByGrace > 0 ? REFUSED_STARTUP_GRACE : REFUSED_MASS_SILENCE;
          refuse(null, Kind.FAILOVER.action(), why,
              "failover of " + pool.pool() + " held back: side " + pool.activeSide() + " would fall below the guard ("
                  + (serving - heldByGrace - heldByMass) + " of " + required + ") only because of silent members ("
                  + (heldByGrace > 0 ? "the backend started less than " + seconds(settings.startupGrace()) + " s ago"
                      : "most of the pool is silent at once") + ")",
              figures);
        }
        return false;
      }
      int standbyHealthy = 0;
      for (Member m : pool.standbyMembers()) {
        if (m.health() == Health.HEALTHY && routing.get(m.hostId()) != RoutingState.MAINTENANCE) {
          standbyHealthy++;
        }
      }
      int standbyNeeded = Math.max(required, settings.guard().requiredOf(pool.standbyMembers().size()));
      figures.put("standbyHealthy", standbyHealthy);
      figures.put("standbyNeeded", standbyNeeded);
      if (standbyHealthy < standbyNeeded) {
        refuse(null, Kind.FAILOVER.action(), REFUSED_STANDBY,
            "failover of " + pool.pool() + " refused: side " + pool.activeSide() + " serves " + serving + " of "
                + required + " required, but only " + standbyHealthy + " member(s) of " + pool.standbySide()
                + " are HEALTHY (" + standbyNeeded + " needed)",
            figures);
        return false;
      }
      if (inCooldown(lastAutoFailover)) {
        figures.put("cooldownLeftSeconds", cooldownLeft(lastAutoFailover));
        refuse(null, Kind.FAILOVER.action(), REFUSED_COOLDOWN,
            "failover of " + pool.pool() + " refused: the last automatic failover was at " + lastAutoFailover
                + ", less than the cooldown of " + seconds(settings.cooldown()) + " s ago",
            figures);
        return false;
      }
      FailoverPlan plan = OperatorCheck.plan(pool, m -> routing.get(m.hostId()));
      figures.put("activate", plan.activate());
      figures.put("drain", plan.drain());
      String reason =
          "side " + pool.activeSide() + " serves " + serving + " of " + required + " required; " + standbyHealthy
              + " member(s) of " + pool.standbySide() + " are HEALTHY: fail over to " + pool.standbySide() + " ("
              + plan.reason() + ")";
      decisions.add(Decision.failover(plan, reason));
      Map<String, Object> eventFigures = figures("rule", Decision.AUTO_FAILOVER);
      eventFigures.putAll(figures);
      events.add(new PolicyEvent(PolicyEvent.DECISION, pool.pool(), null, Kind.FAILOVER.action(), reason,
          eventFigures));
      lastAutoFailover = now;
      return true;
    }

    private void undrains() {
      for (Member m : pool.guardScope()) {
        RoutingState r = routing.get(m.hostId());
        if ((r != RoutingState.DRAINING && r != RoutingState.DRAINED)
            || !Actors.POLICY.equals(m.routingBy())
            || m.health() != Health.HEALTHY) {
          continue;
        }
        Duration healthy = Duration.between(m.healthSince(), now);
        if (healthy.compareTo(settings.recovery()) < 0) {
          continue;
        }
        String reason =
            m.hostId() + " has been HEALTHY for " + seconds(healthy) + " s (recovery " + seconds(settings.recovery())
                + " s) since the policy drained it: back in rotation";
        decide(Decision.forHost(Kind.UNDRAIN, m.hostId(), RoutingState.ACTIVE, Decision.AUTO_UNDRAIN, reason),
            figures("healthySeconds", seconds(healthy), "recoverySeconds", seconds(settings.recovery())));
      }
    }

    /** DEGRADED by a rule the settings drain for (a gray failure: slower than its peers). */
    private boolean grayFailure(Member m) {
      if (m.health() != Health.DEGRADED) {
        return false;
      }
      for (String rule : m.firingRules()) {
        if (settings.drainDegradedBy().contains(rule)) {
          return true;
        }
      }
      return false;
    }

    private void drains() {
      if (!settings.autoDrain()) {
        return;
      }
      List<Member> candidates = new ArrayList<>();
      for (Member m : pool.guardScope()) {
        if (routing.get(m.hostId()) == RoutingState.ACTIVE
            && (m.health() == Health.UNHEALTHY || m.health() == Health.UNKNOWN || grayFailure(m))) {
          candidates.add(m);
        }
      }
      candidates.sort(Comparator.comparing(Member::healthSince).thenComparing(Member::hostId));
      Instant lastDrain = lastDrainIncludingRouting();
      boolean drained = false;
      for (Member m : candidates) {
        Hold hold = hold(m);
        long badSeconds = seconds(Duration.between(m.healthSince(), now));
        if (hold == Hold.NOT_YET) {
          continue;
        }
        Map<String, Object> figures = figures("health", m.health().name(), "unhealthySeconds", badSeconds,
            "hysteresisSeconds", seconds(settings.hysteresis()));
        if (hold == Hold.GRACE) {
          refuse(m.hostId(), Kind.DRAIN.action(), REFUSED_STARTUP_GRACE,
              "drain of " + m.hostId() + " held back: it is silent (" + m.health() + ") but the backend started less "
                  + "than " + seconds(settings.startupGrace()) + " s ago",
              figures);
          continue;
        }
        if (hold == Hold.MASS) {
          refuse(m.hostId(), Kind.DRAIN.action(), REFUSED_MASS_SILENCE,
              "drain of " + m.hostId() + " held back: more than half of the pool's members in rotation are silent, "
                  + "which points at the backend's own network",
              figures);
          continue;
        }
        int activeNow = activeInScope();
        int activeAfter = activeNow - 1;
        figures.put("activeNow", activeNow);
        figures.put("activeAfter", activeAfter);
        figures.put("required", required);
        if (activeAfter < required) {
          refuse(m.hostId(), Kind.DRAIN.action(), REFUSED_GUARD,
              "drain of " + m.hostId() + " (" + m.health() + " for " + badSeconds + " s) refused: it would leave "
                  + activeAfter + " active, below the guard's " + required,
              figures);
          continue;
        }
        if (drained && settings.cooldown().isZero()) {
          continue; // one drain per evaluation; with no cooldown the next one simply comes next time
        }
        if (drained || inCooldown(lastDrain)) {
          figures.put("cooldownLeftSeconds", drained ? seconds(settings.cooldown()) : cooldownLeft(lastDrain));
          refuse(m.hostId(), Kind.DRAIN.action(), REFUSED_COOLDOWN,
              "drain of " + m.hostId() + " (" + m.health() + " for " + badSeconds + " s) refused: the pool's last "
                  + "automatic drain was less than the cooldown of " + seconds(settings.cooldown()) + " s ago",
              figures);
          continue;
        }
        String reason =
            m.hostId() + " has been " + m.health() + " for " + badSeconds + " s (hysteresis "
                + seconds(settings.hysteresis()) + " s"
                + (m.firingRules().isEmpty() ? "" : "; " + String.join(", ", m.firingRules())) + "): drain; "
                + activeAfter + " stay active, the guard requires " + required;
        decide(Decision.forHost(Kind.DRAIN, m.hostId(), RoutingState.DRAINING, Decision.AUTO_DRAIN, reason), figures);
        drained = true;
        lastAutoDrain = now;
      }
    }

    private NPlusOne nPlusOne() {
      int serving = 0;
      for (Member m : pool.guardScope()) {
        if (m.serving()) {
          serving++;
        }
      }
      return NPlusOne.of(serving, required);
    }

    // --- helpers ---

    private Hold hold(Member m) {
      Duration bad = Duration.between(m.healthSince(), now);
      if (bad.compareTo(settings.hysteresis()) < 0) {
        return Hold.NOT_YET;
      }
      if (!m.silent()) {
        return Hold.NONE;
      }
      if (now.isBefore(graceEnd)) {
        return Hold.GRACE;
      }
      Instant from = m.healthSince().isAfter(graceEnd) ? m.healthSince() : graceEnd;
      if (Duration.between(from, now).compareTo(settings.hysteresis()) < 0) {
        return Hold.NOT_YET;
      }
      return massSilence ? Hold.MASS : Hold.NONE;
    }

    /**
     * ACTIVE members of the guard scope for the guard: ACTIVE in the snapshot and not taken out by
     * this evaluation. An undrain or release decided in the same evaluation does not count yet: it
     * may fail to be carried out.
     */
    private int activeInScope() {
      int n = 0;
      for (Member m : pool.guardScope()) {
        if (m.routing() == RoutingState.ACTIVE && routing.get(m.hostId()) == RoutingState.ACTIVE) {
          n++;
        }
      }
      return n;
    }

    /** The remembered last drain, or a later drain that the routing of the guard scope still shows. */
    /**
     * The memory's last automatic drain, or a later one seen in the snapshot: a member the policy
     * holds DRAINING (its routingSince is when the drain began; a DRAINED member's is when the drain
     * completed, which is no new drain).
     */
    private Instant lastDrainIncludingRouting() {
      Instant last = lastAutoDrain;
      for (Member m : pool.guardScope()) {
        if (Actors.POLICY.equals(m.routingBy())
            && m.routing() == RoutingState.DRAINING
            && (last == null || m.routingSince().isAfter(last))) {
          last = m.routingSince();
        }
      }
      return last;
    }

    private boolean inCooldown(Instant last) {
      return last != null && Duration.between(last, now).compareTo(settings.cooldown()) < 0;
    }

    private long cooldownLeft(Instant last) {
      return seconds(settings.cooldown().minus(Duration.between(last, now)));
    }

    private void decide(Decision d, Map<String, Object> figures) {
      decisions.add(d);
      routing.put(d.hostId(), d.target());
      Map<String, Object> all = figures("rule", d.rule(), "target", d.target().name());
      all.putAll(figures);
      events.add(new PolicyEvent(PolicyEvent.DECISION, pool.pool(), d.hostId(), d.kind().action(), d.reason(), all));
    }

    private void refuse(String hostId, String action, String reason, String message, Map<String, Object> figures) {
      Refusal key = new Refusal(hostId, action, reason);
      refusals.add(key);
      if (memory.announcedRefusals().contains(key)) {
        return;
      }
      Map<String, Object> all = figures("message", message);
      all.putAll(figures);
      events.add(new PolicyEvent(PolicyEvent.REFUSED, pool.pool(), hostId, action, reason, all));
    }
  }

  private static long seconds(Duration d) {
    return d.getSeconds();
  }

  /** A mutable, ordered map of alternating keys and values. */
  private static Map<String, Object> figures(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }
}

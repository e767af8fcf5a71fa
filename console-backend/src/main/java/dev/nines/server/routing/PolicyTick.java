package dev.nines.server.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.protocol.RoutingState;
import dev.nines.server.audit.Actor;
import dev.nines.server.events.EventHub;
import dev.nines.server.health.RuleFinding;
import dev.nines.server.healthwatch.HealthWatch.HostSnapshot;
import dev.nines.server.policy.Decision;
import dev.nines.server.policy.Evaluation;
import dev.nines.server.policy.NPlusOne;
import dev.nines.server.policy.Policy;
import dev.nines.server.policy.PolicyEvent;
import dev.nines.server.policy.PolicyMemory;
import dev.nines.server.policy.PoolSnapshot;
import dev.nines.server.store.Store;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pure {@link Policy} every routing tick for every pool and carries out its decisions
 * through the {@link RoutingService}: drains, undrains, quarantines and releases as routing changes
 * by {@code policy} (or {@code policy:quarantine}), failovers as failovers. Every decision and every
 * refusal is a durable event ({@code policy.decision}, {@code policy.refused}, {@code
 * policy.n-plus-one}) and a counter; the last ones per pool are shown by {@code GET
 * /api/v1/pools/{id}/routing}. The policy's memory (cooldowns, announced refusals) is stored, so
 * that a restart neither repeats a drain inside its cooldown nor announces a refusal again.
 *
 * <p>A fatal XID or a new uncorrectable ECC error holds for one report only: the health watch's
 * hard-fault listener latches it here until the quarantine is carried out (or the host is in
 * MAINTENANCE anyway).
 */
public final class PolicyTick implements PolicyRunner {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyTick.class);
  /** Policy events kept per pool for the API. */
  static final int RECENT = 50;
  static final Actor POLICY_ACTOR = new Actor("policy", "policy");

  private final Store store;
  private final EventHub events;
  private final ObjectMapper json;
  private final MeterRegistry meters;
  private final Map<String, PolicyMemory> memory = new HashMap<>();
  private final Map<String, NPlusOne> nPlusOne = new ConcurrentHashMap<>();
  private final Map<String, Deque<Map<String, Object>>> recent = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> latched = new ConcurrentHashMap<>();
  private final Set<String> gaugedPools = ConcurrentHashMap.newKeySet();

  public PolicyTick(Store store, EventHub events, ObjectMapper json, MeterRegistry meters) {
    this.store = store;
    this.events = events;
    this.json = json;
    this.meters = meters;
    for (Map.Entry<String, String> e : store.policyMemories().entrySet()) {
      PolicyMemory m = read(e.getKey(), e.getValue());
      if (m != null) {
        memory.put(e.getKey(), m);
      }
    }
  }

  private final List<java.util.function.Consumer<PolicyEvent>> eventListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Adds a listener told of every policy event (decisions, refusals, N+1), on the routing tick's thread. */
  public void addListener(java.util.function.Consumer<PolicyEvent> listener) {
    eventListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  /** For {@code HealthWatch#addHardFaultListener}: latches a fatal XID or a new ECC error. */
  public void hardFault(String hostId, List<RuleFinding> findings) {
    Set<String> rules = latched.computeIfAbsent(hostId, k -> ConcurrentHashMap.newKeySet());
    for (RuleFinding f : findings) {
      rules.add(f.rule());
    }
  }

  @Override
  public void runOnce(RoutingService routing, List<HostSnapshot> snapshot, Instant now) {
    Map<String, List<HostSnapshot>> byPool = new TreeMap<>();
    for (HostSnapshot h : snapshot) {
      if (h.pool() != null) {
        byPool.computeIfAbsent(h.pool(), k -> new ArrayList<>()).add(h);
      }
      Set<String> l = latched.get(h.hostId());
      if (l != null && routing.routingOf(h.hostId()).state() == RoutingState.MAINTENANCE) {
        latched.remove(h.hostId());
      }
    }
    for (Map.Entry<String, List<HostSnapshot>> e : byPool.entrySet()) {
      try {
        evaluate(routing, e.getKey(), e.getValue(), now);
      } catch (RuntimeException ex) {
        LOG.warn("policy of pool {} failed: {}", e.getKey(), ex.getMessage(), ex);
      }
    }
  }

  private void evaluate(RoutingService routing, String pool, List<HostSnapshot> hosts, Instant now) {
    PoolSnapshot snapshot = routing.policySnapshot(pool, hosts, id -> latched.getOrDefault(id, Set.of()));
    PolicyMemory before = memory.getOrDefault(pool, PolicyMemory.empty());
    Evaluation ev = Policy.evaluate(snapshot, before, now, routing.startedAt());
    for (Decision d : ev.decisions()) {
      carryOut(routing, pool, d);
    }
    for (PolicyEvent e : ev.events()) {
      for (java.util.function.Consumer<PolicyEvent> l : eventListeners) {
        try {
          l.accept(e);
        } catch (RuntimeException ex) {
          LOG.warn("a policy event listener failed on pool {}: {}", pool, ex.getMessage(), ex);
        }
      }
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("kind", e.kind());
      payload.put("pool", e.pool());
      payload.put("host", e.hostId());
      payload.put("action", e.action());
      payload.put("reason", e.reason());
      payload.put("figures", e.figures());
      payload.put("at", now.toEpochMilli());
      events.publishDurable(e.kind(), now.toEpochMilli(), payload);
      Deque<Map<String, Object>> q = recent.computeIfAbsent(pool, k -> new ArrayDeque<>());
      synchronized (q) {
        q.addFirst(payload);
        while (q.size() > RECENT) {
          q.removeLast();
        }
      }
      Counter.builder("nines_policy_events")
          .description("Policy decisions, refusals (guard, cooldown, startup grace, mass silence) and N+1 changes")
          .tag("pool", pool)
          .tag("kind", e.kind())
          .tag("action", e.action())
          .register(meters)
          .increment();
      if (PolicyEvent.REFUSED.equals(e.kind())) {
        LOG.warn("policy of pool {}: {} of {} refused ({}): {}", pool, e.action(), e.hostId(), e.reason(), e.figures().get("message"));
      }
    }
    nPlusOne.put(pool, ev.nPlusOne());
    if (gaugedPools.add(pool)) {
      Gauge.builder("nines_pool_n_plus_one", nPlusOne, m -> {
            NPlusOne n = m.get(pool);
            return n == null ? Double.NaN : n.ok() ? 1 : 0;
          })
          .description("1 when the pool would still meet its capacity guard if its largest member failed (N+1), else 0")
          .tag("pool", pool)
          .register(meters);
    }
    if (!ev.memory().equals(before)) {
      memory.put(pool, ev.memory());
      store.savePolicyMemory(pool, write(ev.memory()), now.toEpochMilli());
    }
  }

  private void carryOut(RoutingService routing, String pool, Decision d) {
    switch (d.kind()) {
      case FAILOVER -> {
        if (!routing.failoverUnderWay(pool)) {
          routing.startFailover(pool, d.fromSide(), d.toSide(), POLICY_ACTOR, d.routingBy(), d.reason());
        }
      }
      case DRAIN, UNDRAIN, QUARANTINE, RELEASE -> {
        routing.change(
            d.hostId(), pool, d.target(), d.reason(), d.routingBy(), POLICY_ACTOR, null, Map.of("rule", d.rule()));
        if (d.kind() == Decision.Kind.QUARANTINE) {
          latched.remove(d.hostId());
        }
      }
      default -> throw new IllegalStateException("unknown decision " + d.kind());
    }
  }

  @Override
  public Map<String, Object> view(String pool) {
    Map<String, Object> out = new LinkedHashMap<>();
    NPlusOne n = nPlusOne.get(pool);
    out.put("nPlusOne", n == null ? null : Map.of("ok", n.ok(), "serving", n.serving(), "required", n.required(), "reason", n.reason()));
    Deque<Map<String, Object>> q = recent.get(pool);
    List<Map<String, Object>> list = new ArrayList<>();
    if (q != null) {
      synchronized (q) {
        list.addAll(q);
      }
    }
    out.put("policyEvents", list);
    return out;
  }

  /** The N+1 verdict of a pool at the last tick, or null. */
  public NPlusOne nPlusOne(String pool) {
    return nPlusOne.get(pool);
  }

  private String write(PolicyMemory m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("lastAutoDrainMs", m.lastAutoDrain() == null ? null : m.lastAutoDrain().toEpochMilli());
    out.put("lastAutoFailoverMs", m.lastAutoFailover() == null ? null : m.lastAutoFailover().toEpochMilli());
    List<Map<String, String>> refusals = new ArrayList<>();
    for (PolicyMemory.Refusal r : m.announcedRefusals()) {
      Map<String, String> one = new LinkedHashMap<>();
      one.put("host", r.hostId());
      one.put("action", r.action());
      one.put("reason", r.reason());
      refusals.add(one);
    }
    refusals.sort(java.util.Comparator.comparing((Map<String, String> x) -> String.valueOf(x.get("host"))).thenComparing(x -> x.get("action") + x.get("reason")));
    out.put("refusals", refusals);
    out.put("lastNPlusOne", m.lastNPlusOne());
    try {
      return json.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("policy memory cannot be written", e);
    }
  }

  private PolicyMemory read(String pool, String text) {
    try {
      JsonNode n = json.readTree(text);
      Set<PolicyMemory.Refusal> refusals = new HashSet<>();
      for (JsonNode r : n.path("refusals")) {
        refusals.add(
            new PolicyMemory.Refusal(
                r.path("host").isNull() ? null : r.path("host").asText(), r.path("action").asText(), r.path("reason").asText()));
      }
      return new PolicyMemory(
          n.path("lastAutoDrainMs").isNumber() ? Instant.ofEpochMilli(n.path("lastAutoDrainMs").asLong()) : null,
          n.path("lastAutoFailoverMs").isNumber() ? Instant.ofEpochMilli(n.path("lastAutoFailoverMs").asLong()) : null,
          refusals,
          n.path("lastNPlusOne").isBoolean() ? n.path("lastNPlusOne").asBoolean() : null);
    } catch (JsonProcessingException | RuntimeException e) {
      LOG.warn("stored policy memory of pool {} cannot be read; starting afresh: {}", pool, e.getMessage());
      return null;
    }
  }
}

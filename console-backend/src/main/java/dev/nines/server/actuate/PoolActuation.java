package dev.nines.server.actuate;

import dev.nines.protocol.RoutingState;
import dev.nines.server.config.PoolSettings;
import dev.nines.server.config.RoutingSettings;
import dev.nines.server.config.ServerConfig;
import dev.nines.server.routing.Actuation;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The actuators of every pool, from the server's config: an {@link HaproxyActuator} for a pool
 * mapped to an HAProxy backend, a {@link WebhookActuator} for a pool with a webhook, behind one
 * {@link Reconciler} that applies each desired state at once and re-applies it until the observed
 * state matches. Pools with neither need nothing here: their agents follow the report replies.
 */
public final class PoolActuation implements Actuation {
  private final Clock clock;
  private volatile Map<String, List<Actuator>> byPool = Map.of();
  private volatile Map<String, HaproxyActuator> haproxyByPool = Map.of();
  private final Reconciler reconciler;

  public PoolActuation(ServerConfig config, Clock clock) {
    this.clock = clock;
    reconfigure(config);
    this.reconciler = new Reconciler(clock, t -> byPool.getOrDefault(t.pool(), List.of()));
  }

  /**
   * Builds the actuators of a new configuration (an admin replaced a pool). Desired states already
   * recorded stay; the next tick applies them through the new actuators.
   */
  public synchronized void reconfigure(ServerConfig config) {
    Map<String, List<Actuator>> byPool = new HashMap<>();
    Map<String, HaproxyActuator> haproxyByPool = new HashMap<>();
    for (Map.Entry<String, PoolSettings> e : config.pools().entrySet()) {
      String pool = e.getKey();
      RoutingSettings rs = e.getValue().routing();
      List<Actuator> list = new ArrayList<>();
      if (rs.haproxy() != null) {
        HaproxyActuator h =
            new HaproxyActuator(
                pool, new HaproxyRuntime(rs.haproxy().runtime()), rs.haproxy().backend(), rs.haproxy().servers());
        haproxyByPool.put(pool, h);
        list.add(h);
      }
      if (rs.webhook() != null) {
        WebhookActuator w = new WebhookActuator("webhook:" + pool, URI.create(rs.webhook().url()), rs.webhook().secret(), clock);
        w.fencedBy(() -> fencingToken);
        list.add(w);
      }
      if (!list.isEmpty()) {
        byPool.put(pool, List.copyOf(list));
      }
    }
    this.byPool = Map.copyOf(byPool);
    this.haproxyByPool = Map.copyOf(haproxyByPool);
  }

  private volatile long fencingToken;

  /**
   * For a replica of several: actuators act only while {@code acting} (this replica leads), and
   * webhook actuators send {@code X-Nines-Fencing-Token: token} so that a receiver may refuse an
   * older term's request.
   */
  public void gate(java.util.function.BooleanSupplier acting, long token) {
    this.fencingToken = token;
    reconciler.gate(acting);
  }

  /** Registers the reconciler's counters and the number of (actuator, host) pairs out of sync. */
  public void bind(MeterRegistry meters) {
    FunctionCounter.builder("nines_actuator_applies", reconciler, Reconciler::applies)
        .description("Times an actuator was asked to apply a host's desired routing state (retries included)")
        .register(meters);
    FunctionCounter.builder("nines_actuator_failures", reconciler, Reconciler::failures)
        .description("Actuator applies or observations that failed (HAProxy unreachable, webhook not 2xx)")
        .register(meters);
    FunctionCounter.builder("nines_actuator_drift_corrections", reconciler, Reconciler::driftCorrections)
        .description("Times an actuator's observed state differed from the desired one and was re-applied")
        .register(meters);
    Gauge.builder("nines_actuator_out_of_sync", reconciler, r -> r.status().stream().filter(s -> !s.inSync()).count())
        .description("Actuator and host pairs whose observed or applied state does not match the desired one yet")
        .register(meters);
  }

  @Override
  public void desire(String pool, String hostId, RoutingState state, String reason) {
    if (pool != null && byPool.containsKey(pool)) {
      reconciler.desire(new Target(pool, hostId), state, reason);
    }
  }

  @Override
  public OptionalLong inFlight(String pool, String hostId) {
    HaproxyActuator h = pool == null ? null : haproxyByPool.get(pool);
    return h == null ? OptionalLong.empty() : h.inFlight(new Target(pool, hostId));
  }

  @Override
  public void runOnce() {
    reconciler.runOnce();
  }

  @Override
  public List<Map<String, Object>> status(String pool) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ActuatorStatus s : reconciler.status()) {
      if (!s.target().pool().equals(pool)) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("actuator", s.actuator());
      m.put("host", s.target().hostId());
      m.put("desired", s.desired().name());
      m.put("observed", s.observed().map(Enum::name).orElse(null));
      m.put("inSync", s.inSync());
      m.put("failuresInARow", s.attempts());
      m.put("lastError", s.lastError());
      m.put("lastAttempt", s.lastAttempt() == null ? null : s.lastAttempt().toEpochMilli());
      m.put("nextAttempt", s.nextAttempt() == null ? null : s.nextAttempt().toEpochMilli());
      out.add(m);
    }
    return out;
  }
}

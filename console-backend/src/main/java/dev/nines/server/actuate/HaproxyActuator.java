package dev.nines.server.actuate;

import dev.nines.protocol.RoutingState;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces routing state on one HAProxy backend through its runtime API: a pool's hosts are that
 * backend's servers. {@code apply} sets {@code ready|drain|maint}, {@code observe} reads {@code show
 * servers state}, {@link #inFlight} reads {@code show stat}. Idempotent and stateless (every call is
 * one connection), so it is safe to call from any thread.
 */
public final class HaproxyActuator implements Actuator {
  private static final Logger LOG = LoggerFactory.getLogger(HaproxyActuator.class);

  private final String pool;
  private final HaproxyRuntime runtime;
  private final String backend;
  private final Map<String, String> serverByHost;

  /**
   * @param pool the pool whose hosts this backend serves; other targets are not handled
   * @param runtime the HAProxy to talk to
   * @param backend the backend's name in HAProxy's configuration
   * @param serverByHost host id to server name; a host not in the map uses its host id as the
   *     server name
   */
  public HaproxyActuator(
      String pool, HaproxyRuntime runtime, String backend, Map<String, String> serverByHost) {
    if (pool == null || pool.isBlank()) {
      throw new IllegalArgumentException("pool must not be blank");
    }
    if (runtime == null) {
      throw new IllegalArgumentException("runtime must not be null");
    }
    if (backend == null || backend.isBlank()) {
      throw new IllegalArgumentException("backend must not be blank");
    }
    this.pool = pool;
    this.runtime = runtime;
    this.backend = backend;
    this.serverByHost = Map.copyOf(serverByHost == null ? Map.of() : serverByHost);
  }

  @Override
  public String name() {
    return "haproxy:" + backend;
  }

  @Override
  public boolean handles(Target target) {
    return target.pool().equals(pool);
  }

  /** The server name the target's host has in the backend. */
  public String server(Target target) {
    return serverByHost.getOrDefault(target.hostId(), target.hostId());
  }

  @Override
  public void apply(Target target, RoutingState desired, String reason) throws ActuatorException {
    runtime.setServerState(backend, server(target), AdminState.of(desired));
  }

  @Override
  public Optional<AdminState> observe(Target target) throws ActuatorException {
    String server = server(target);
    for (ServerState s : runtime.showServersState(backend)) {
      if (s.server().equals(server)) {
        return Optional.of(s.admin());
      }
    }
    throw new ActuatorException(
        runtime + ": no server " + server + " in backend " + backend + " for host " + target);
  }

  /**
   * The work HAProxy still has in flight to the target's server: current sessions plus queued
   * requests. Empty when HAProxy cannot say (unreachable, no such server): graceful drain then
   * falls back on the model server's own figure or its timeout.
   */
  public OptionalLong inFlight(Target target) {
    String server = server(target);
    try {
      ServerStat stat = runtime.showStat(backend).get(server);
      return stat == null ? OptionalLong.empty() : OptionalLong.of(stat.inFlight());
    } catch (ActuatorException e) {
      LOG.debug("in-flight figure for host {} not available: {}", target, e.getMessage());
      return OptionalLong.empty();
    }
  }

  @Override
  public String toString() {
    return name() + " (" + runtime.address() + ", pool " + pool + ")";
  }
}

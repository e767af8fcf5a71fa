package dev.nines.server.routing;

import dev.nines.protocol.RoutingState;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What the routing service needs from the actuators beyond the agents (whose desired state travels
 * in every report reply): tell them a host's new desired state, learn a load balancer's in-flight
 * count for a host, and re-apply until they match.
 */
public interface Actuation {
  /** Records the desired state of a host and applies it at once where configured; never throws. */
  void desire(String pool, String hostId, RoutingState state, String reason);

  /** Sessions open or queued on the load balancer for this host, or empty when none can tell. */
  OptionalLong inFlight(String pool, String hostId);

  /** Retries failed applies and corrects drift; never throws. */
  void runOnce();

  /** One line per (actuator, host) for the API: name, host, desired, observed, in sync, last error. */
  List<Map<String, Object>> status(String pool);
}

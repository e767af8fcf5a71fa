package dev.nines.server.routing;

import dev.nines.server.healthwatch.HealthWatch.HostSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The automatic policy as the routing service runs it on every tick, under the service's lock. */
public interface PolicyRunner {
  /** Evaluates every pool and carries out its decisions through {@code routing}. */
  void runOnce(RoutingService routing, List<HostSnapshot> snapshot, Instant now);

  /** What the policy shows of a pool (N+1, last decisions and refusals) for the API. */
  Map<String, Object> view(String pool);
}

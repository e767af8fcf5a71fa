package dev.nines.server.actuate;

import dev.nines.protocol.RoutingState;
import java.util.Optional;

/**
 * Something outside the backend that enforces a host's routing state: a load balancer's runtime API,
 * a webhook receiver. Implementations are idempotent (applying the same state twice is harmless) and
 * do not retry themselves: the {@link Reconciler} retries and re-applies.
 */
public interface Actuator {
  /** A short stable name for status pages, logs and metrics, e.g. {@code haproxy:llm}. */
  String name();

  /**
   * Whether this actuator acts on the target at all (for example an HAProxy actuator acts only on
   * the hosts of the pool it is configured for). The default acts on every target.
   */
  default boolean handles(Target target) {
    return true;
  }

  /**
   * Makes the outside world hold the desired state for the target.
   *
   * @param reason why, as a person would read it (recorded or forwarded where the actuator can)
   * @throws ActuatorException when it could not, with a message naming the target and the cause
   */
  void apply(Target target, RoutingState desired, String reason) throws ActuatorException;

  /**
   * The state the outside world holds now, or empty when this actuator cannot observe it (a
   * webhook). A caller compares it with {@code AdminState.of(desired)}.
   *
   * @throws ActuatorException when the actuator can observe but the observation failed
   */
  Optional<AdminState> observe(Target target) throws ActuatorException;
}

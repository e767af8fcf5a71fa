package dev.nines.server.actuate;

import dev.nines.protocol.RoutingState;
import java.time.Instant;
import java.util.Optional;

/**
 * Where one actuator stands for one target, as the {@link Reconciler} last saw it.
 *
 * @param actuator the actuator's {@link Actuator#name()}
 * @param target the host
 * @param desired the routing state the backend wants
 * @param observed what the actuator last observed; empty when it cannot observe (a webhook) or has
 *     not observed yet
 * @param inSync true when the last apply succeeded and, for an actuator that observes, the observed
 *     state matches {@code AdminState.of(desired)}
 * @param attempts failed attempts in a row (0 once one succeeds)
 * @param lastError the last failure's message, null when the last attempt succeeded
 * @param lastAttempt when the state was last applied, null before the first apply
 * @param nextAttempt when the next retry is due, null when none is pending
 */
public record ActuatorStatus(
    String actuator,
    Target target,
    RoutingState desired,
    Optional<AdminState> observed,
    boolean inSync,
    int attempts,
    String lastError,
    Instant lastAttempt,
    Instant nextAttempt) {
  public ActuatorStatus {
    if (actuator == null || actuator.isBlank()) {
      throw new IllegalArgumentException("actuator must not be blank");
    }
    if (target == null) {
      throw new IllegalArgumentException("target must not be null");
    }
    if (desired == null) {
      throw new IllegalArgumentException("desired must not be null");
    }
    if (observed == null) {
      throw new IllegalArgumentException("observed must not be null (use Optional.empty())");
    }
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must be >= 0: " + attempts);
    }
  }
}

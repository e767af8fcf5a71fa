package dev.nines.server.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Something the policy did or refused to do, for the audit log, the event stream and alerts.
 *
 * <ul>
 *   <li>{@link #DECISION}: {@code action} is the decision's kind ({@code drain}, {@code undrain},
 *       {@code quarantine}, {@code release}, {@code failover}); {@code reason} is its sentence;
 *       {@code figures} hold {@code rule} and the numbers behind it.
 *   <li>{@link #REFUSED}: {@code action} is what was refused ({@code drain}, {@code quarantine},
 *       {@code failover}); {@code reason} is the refusal's code ({@code guard}, {@code cooldown},
 *       {@code startup-grace}, {@code mass-silence}, {@code standby}); {@code figures.message} is a
 *       sentence for people.
 *   <li>{@link #N_PLUS_ONE}: {@code action} is {@code n-plus-one}; {@code reason} the verdict's
 *       sentence; {@code figures} hold {@code ok}, {@code serving}, {@code required}.
 * </ul>
 *
 * @param kind {@link #DECISION}, {@link #REFUSED} or {@link #N_PLUS_ONE}
 * @param pool the pool
 * @param hostId the host; null for pool-wide events (failover, N+1)
 * @param action see above
 * @param reason see above
 * @param figures numbers and names behind the event, in a stable order; values are numbers, strings,
 *     booleans or lists of strings
 */
public record PolicyEvent(
    String kind, String pool, String hostId, String action, String reason, Map<String, Object> figures) {
  public static final String DECISION = "policy.decision";
  public static final String REFUSED = "policy.refused";
  public static final String N_PLUS_ONE = "policy.n-plus-one";

  public PolicyEvent {
    if (kind == null || kind.isBlank()) {
      throw new IllegalArgumentException("kind is required");
    }
    if (pool == null || pool.isBlank()) {
      throw new IllegalArgumentException("pool is required");
    }
    if (action == null || action.isBlank()) {
      throw new IllegalArgumentException("action is required");
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("reason is required");
    }
    // a LinkedHashMap keeps the order the policy wrote them in; Map.copyOf would not
    figures = figures == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(figures));
  }
}

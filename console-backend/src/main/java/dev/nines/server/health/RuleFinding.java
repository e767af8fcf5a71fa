package dev.nines.server.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One rule that fired on one evaluation.
 *
 * @param rule the rule's stable id ({@link RuleIds})
 * @param health the state the rule asks for (DEGRADED, UNKNOWN or UNHEALTHY)
 * @param immediate the rule acts at once, without waiting for {@link HealthRules#failAfter()}
 *     (hard faults, staleness, and rules that already count their own persistence)
 * @param reason a sentence for people
 * @param figures the numbers that made it fire, by name, in a stable order
 */
public record RuleFinding(
    String rule, Health health, boolean immediate, String reason, Map<String, Double> figures) {

  public RuleFinding {
    if (rule == null || rule.isBlank()) {
      throw new IllegalArgumentException("rule is required");
    }
    if (health == null || health == Health.HEALTHY) {
      throw new IllegalArgumentException("health must be DEGRADED, UNKNOWN or UNHEALTHY (was " + health + ")");
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("reason is required");
    }
    figures = figures == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(figures));
  }
}

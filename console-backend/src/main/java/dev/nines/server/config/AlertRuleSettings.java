package dev.nines.server.config;

import java.time.Duration;

/**
 * How one alert rule behaves (for every pool, or for one pool when overridden).
 *
 * @param enabled false: the rule never raises an alert
 * @param forDuration how long its condition must hold before the alert fires (0: at once)
 * @param severity {@code critical}, {@code warning} or {@code info}
 * @param hold for event-like rules (a hard GPU fault, an automatic action or its refusal): how long
 *     the alert fires after the event; ignored by the other rules
 * @param minDeadLetters for {@code receiver-dead-lettering}: the dead letters a receiver must hold
 *     for it to fire; ignored by the other rules
 */
public record AlertRuleSettings(
    boolean enabled, Duration forDuration, String severity, Duration hold, int minDeadLetters) {
  public static final java.util.List<String> SEVERITIES = java.util.List.of("critical", "warning", "info");

  public AlertRuleSettings {
    if (forDuration == null || forDuration.isNegative()) {
      throw new IllegalArgumentException("for must be zero or positive (was " + forDuration + ")");
    }
    if (severity == null || !SEVERITIES.contains(severity)) {
      throw new IllegalArgumentException("severity must be critical, warning or info (was " + severity + ")");
    }
    if (hold == null || hold.isNegative() || hold.isZero()) {
      throw new IllegalArgumentException("hold must be positive (was " + hold + ")");
    }
    if (minDeadLetters < 1) {
      throw new IllegalArgumentException("minDeadLetters must be at least 1 (was " + minDeadLetters + ")");
    }
  }
}

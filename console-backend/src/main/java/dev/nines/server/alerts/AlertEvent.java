package dev.nines.server.alerts;

import java.time.Instant;
import java.util.Map;

/**
 * Something that happened once and raises an event-like alert held for its rule's {@code hold}: a
 * hard GPU fault, an automatic action, an automatic action refused.
 *
 * @param rule the alert rule ({@link AlertNames#GPU_FAULT}, {@link AlertNames#AUTO_ACTION}, {@link
 *     AlertNames#AUTO_ACTION_REFUSED})
 * @param extraLabels identifying labels besides alertname and severity (pool, host, gpu, action)
 * @param summary a line for people
 * @param description the details with the figures
 * @param at when it happened
 */
public record AlertEvent(String rule, Map<String, String> extraLabels, String summary, String description, Instant at) {
  public AlertEvent {
    if (rule == null || rule.isBlank()) {
      throw new IllegalArgumentException("rule is required");
    }
    if (summary == null || description == null) {
      throw new IllegalArgumentException("summary and description are required");
    }
    if (at == null) {
      throw new IllegalArgumentException("at is required");
    }
    java.util.Map<String, String> m = new java.util.TreeMap<>();
    if (extraLabels != null) {
      extraLabels.forEach((k, v) -> {
        if (v != null) {
          m.put(k, v);
        }
      });
    }
    extraLabels = java.util.Collections.unmodifiableMap(m);
  }
}

package dev.nines.server.notify;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One alert as a notification carries it (the same shape for every receiver; each receiver's
 * renderer turns it into its own payload).
 *
 * @param fingerprint stable id of the alert (its rule and identifying labels), the same across
 *     pending, firing, resolved and restarts
 * @param labels at least {@code alertname}, {@code severity}, and {@code pool} / {@code host} where
 *     they apply
 * @param annotations {@code summary}, {@code description} (with the figures), {@code link} to the
 *     console object
 * @param status {@code firing} or {@code resolved}
 * @param startsAt when it started firing
 * @param endsAt when it resolved, or null while firing
 */
public record AlertInstance(
    String fingerprint,
    Map<String, String> labels,
    Map<String, String> annotations,
    String status,
    Instant startsAt,
    Instant endsAt) {
  public static final String FIRING = "firing";
  public static final String RESOLVED = "resolved";

  public AlertInstance {
    if (fingerprint == null || fingerprint.isBlank()) {
      throw new IllegalArgumentException("fingerprint is required");
    }
    if (labels == null || !labels.containsKey("alertname")) {
      throw new IllegalArgumentException("labels must hold alertname");
    }
    if (annotations == null) {
      throw new IllegalArgumentException("annotations is required (may be empty)");
    }
    if (!FIRING.equals(status) && !RESOLVED.equals(status)) {
      throw new IllegalArgumentException("status must be firing or resolved (was " + status + ")");
    }
    if (startsAt == null) {
      throw new IllegalArgumentException("startsAt is required");
    }
    if (RESOLVED.equals(status) && endsAt == null) {
      throw new IllegalArgumentException("endsAt is required for a resolved alert");
    }
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    annotations = java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
  }
}

package dev.nines.server.alerts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * An alert whose condition holds at one evaluation.
 *
 * @param fingerprint stable hash of its identifying labels (all labels but severity)
 * @param labels its labels
 * @param annotations summary, description (with the figures) and link
 * @param forDuration how long the condition must hold before it fires
 * @param holdUntil for event-like alerts: until when the alert holds without a new event; else null
 */
record Candidate(
    String fingerprint, Map<String, String> labels, Map<String, String> annotations, Duration forDuration,
    Instant holdUntil) {
  Candidate {
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    annotations = java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  static Candidate of(
      Map<String, String> labels, Map<String, String> annotations, Duration forDuration, Instant holdUntil) {
    return new Candidate(fingerprint(labels), labels, annotations, forDuration, holdUntil);
  }

  /** SHA-256 over the sorted labels except {@code severity}, first 16 hex digits. */
  static String fingerprint(Map<String, String> labels) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      if (e.getKey().equals("severity")) {
        continue;
      }
      b.append(e.getKey()).append('\u0000').append(e.getValue()).append('\u0001');
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}

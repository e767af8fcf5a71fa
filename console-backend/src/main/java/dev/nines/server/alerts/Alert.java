package dev.nines.server.alerts;

import dev.nines.server.notify.AlertInstance;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One alert as the engine holds it.
 *
 * @param fingerprint stable id (hash of its identifying labels)
 * @param labels alertname, severity, pool, host, and gpu/receiver/action where relevant
 * @param annotations summary, description (with the figures), link
 * @param state pending, firing or resolved
 * @param activeSince when its condition started holding
 * @param startsAt when it started firing, or null while pending
 * @param endsAt when it resolved, or null
 * @param holdUntil for event-like alerts, until when it holds without a new event; else null
 * @param ack its acknowledgement, or null
 * @param suppressedBy the silences (their ids) and {@code maintenance} keeping it from receivers
 */
public record Alert(
    String fingerprint, Map<String, String> labels, Map<String, String> annotations, State state,
    Instant activeSince, Instant startsAt, Instant endsAt, Instant holdUntil, Ack ack, List<String> suppressedBy) {

  /** The lifecycle: pending (for its {@code for}) -> firing -> resolved. */
  public enum State {
    PENDING, FIRING, RESOLVED;

    /** Lower-case, as in the API and the store. */
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses the lower-case name. */
    public static State parse(String s) {
      for (State x : values()) {
        if (x.wire().equals(s)) {
          return x;
        }
      }
      throw new IllegalArgumentException("state must be pending, firing or resolved (was " + s + ")");
    }
  }

  /** Who acknowledged a firing alert, why and when. */
  public record Ack(String by, String comment, Instant at) {
    public Ack {
      if (by == null || at == null) {
        throw new IllegalArgumentException("by and at are required");
      }
      comment = comment == null ? "" : comment;
    }
  }

  public Alert {
    if (fingerprint == null || fingerprint.isBlank()) {
      throw new IllegalArgumentException("fingerprint is required");
    }
    if (labels == null || !labels.containsKey("alertname")) {
      throw new IllegalArgumentException("labels must hold alertname");
    }
    if (state == null || activeSince == null) {
      throw new IllegalArgumentException("state and activeSince are required");
    }
    if (state != State.PENDING && startsAt == null) {
      throw new IllegalArgumentException("startsAt is required once firing");
    }
    if (state == State.RESOLVED && endsAt == null) {
      throw new IllegalArgumentException("endsAt is required once resolved");
    }
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    annotations = java.util.Collections.unmodifiableMap(new TreeMap<>(annotations == null ? Map.of() : annotations));
    suppressedBy = List.copyOf(suppressedBy == null ? List.of() : suppressedBy);
  }

  public String alertname() {
    return labels.get("alertname");
  }

  /** The time it is listed by, newest first: when it fired (when it started pending, before). */
  Instant sortTime() {
    return startsAt != null ? startsAt : activeSince;
  }

  Alert withState(State s, Instant starts, Instant ends) {
    return new Alert(fingerprint, labels, annotations, s, activeSince, starts, ends, holdUntil, ack, suppressedBy);
  }

  Alert withAck(Ack a) {
    return new Alert(fingerprint, labels, annotations, state, activeSince, startsAt, endsAt, holdUntil, a, suppressedBy);
  }

  Alert withSuppressedBy(List<String> by) {
    return new Alert(fingerprint, labels, annotations, state, activeSince, startsAt, endsAt, holdUntil, ack, by);
  }

  /** As the notification contract carries it (pending alerts are never sent). */
  AlertInstance instance() {
    return new AlertInstance(
        fingerprint, labels, annotations, state == State.RESOLVED ? AlertInstance.RESOLVED : AlertInstance.FIRING,
        startsAt == null ? activeSince : startsAt, state == State.RESOLVED ? endsAt : null);
  }
}

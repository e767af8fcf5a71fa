package dev.nines.server.alerts;

import dev.nines.server.alerts.Alert.State;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The alerts' state machine: inactive -> pending (while its condition holds for less than its
 * {@code for}) -> firing -> resolved. A pending alert whose condition clears goes away silently; a
 * resolved alert whose condition holds again starts over (pending, or firing at once for {@code for:
 * 0}). An event-like alert (with {@code holdUntil}) holds until then without its condition. Pure.
 */
final class Lifecycle {
  private Lifecycle() {}

  /** A change of state (from null: a new alert; to null: a pending alert went away). */
  record Transition(Alert alert, State from, State to) {}

  /**
   * @param alerts every alert after this evaluation, by fingerprint
   * @param dirty fingerprints whose stored row must be written
   * @param removed fingerprints to delete (pending alerts that cleared)
   * @param transitions the state changes
   */
  record Result(Map<String, Alert> alerts, Set<String> dirty, Set<String> removed, List<Transition> transitions) {}

  static Result evaluate(List<Candidate> candidates, Map<String, Alert> previous, Instant now) {
    Map<String, Alert> next = new TreeMap<>(previous);
    Set<String> dirty = new HashSet<>();
    Set<String> removed = new HashSet<>();
    List<Transition> transitions = new ArrayList<>();
    Map<String, Candidate> byFp = new LinkedHashMap<>();
    for (Candidate c : candidates) {
      Candidate other = byFp.get(c.fingerprint());
      if (other == null || later(c.holdUntil(), other.holdUntil())) {
        byFp.put(c.fingerprint(), c);
      }
    }
    for (Candidate c : byFp.values()) {
      Alert prev = previous.get(c.fingerprint());
      Instant hold = prev == null || prev.state() == State.RESOLVED ? c.holdUntil() : max(prev.holdUntil(), c.holdUntil());
      if (prev == null || prev.state() == State.RESOLVED) {
        boolean fires = c.forDuration().isZero();
        Alert a =
            new Alert(
                c.fingerprint(), c.labels(), c.annotations(), fires ? State.FIRING : State.PENDING, now,
                fires ? now : null, null, hold, null, prev == null ? List.of() : prev.suppressedBy());
        next.put(a.fingerprint(), a);
        dirty.add(a.fingerprint());
        transitions.add(new Transition(a, prev == null ? null : prev.state(), a.state()));
      } else if (prev.state() == State.PENDING) {
        boolean fires = !now.isBefore(prev.activeSince().plus(c.forDuration()));
        Alert a =
            new Alert(
                c.fingerprint(), c.labels(), c.annotations(), fires ? State.FIRING : State.PENDING,
                prev.activeSince(), fires ? now : null, null, hold, null, prev.suppressedBy());
        next.put(a.fingerprint(), a);
        if (fires) {
          dirty.add(a.fingerprint());
          transitions.add(new Transition(a, State.PENDING, State.FIRING));
        }
      } else {
        Alert a =
            new Alert(
                c.fingerprint(), c.labels(), c.annotations(), State.FIRING, prev.activeSince(), prev.startsAt(), null,
                hold, prev.ack(), prev.suppressedBy());
        next.put(a.fingerprint(), a);
        if (!Objects.equals(hold, prev.holdUntil()) || !a.labels().equals(prev.labels())) {
          dirty.add(a.fingerprint());
        }
      }
    }
    for (Alert prev : previous.values()) {
      if (byFp.containsKey(prev.fingerprint()) || prev.state() == State.RESOLVED) {
        continue;
      }
      if (prev.holdUntil() != null && prev.holdUntil().isAfter(now)) {
        continue; // an event-like alert holds until then without its event
      }
      if (prev.state() == State.PENDING) {
        next.remove(prev.fingerprint());
        removed.add(prev.fingerprint());
        transitions.add(new Transition(prev, State.PENDING, null));
      } else {
        Alert a = prev.withState(State.RESOLVED, prev.startsAt(), now);
        next.put(a.fingerprint(), a);
        dirty.add(a.fingerprint());
        transitions.add(new Transition(a, State.FIRING, State.RESOLVED));
      }
    }
    return new Result(next, dirty, removed, transitions);
  }

  private static boolean later(Instant a, Instant b) {
    return a != null && (b == null || a.isAfter(b));
  }

  private static Instant max(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.isAfter(b) ? a : b;
  }
}

package dev.nines.server.availability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One host's exact state history: its state changes in time order and its explicit maintenance
 * windows. Time before the first change is "never reported" and is excluded; the last state lasts
 * until the end of any window asked about (the caller ends windows at its own {@code now}).
 *
 * <p>Canonical on construction: changes must be in non-decreasing time order; several changes at
 * the same millisecond collapse to the last of them; changes that repeat the current state are
 * dropped; maintenance windows are sorted and overlapping or touching ones merged.
 *
 * @param hostId the host
 * @param changes state changes, oldest first (may be empty: a host that never reported)
 * @param maintenance explicit maintenance windows, any order
 */
public record HostTimeline(String hostId, List<StateChange> changes, List<MaintenanceWindow> maintenance) {
  public HostTimeline {
    if (hostId == null || hostId.isEmpty()) {
      throw new IllegalArgumentException("hostId is required");
    }
    if (changes == null) {
      throw new IllegalArgumentException("changes is required");
    }
    if (maintenance == null) {
      throw new IllegalArgumentException("maintenance is required");
    }
    changes = canonicalChanges(hostId, changes);
    maintenance = mergeWindows(maintenance);
  }

  /** A timeline without explicit maintenance windows. */
  public static HostTimeline of(String hostId, List<StateChange> changes) {
    return new HostTimeline(hostId, changes, List.of());
  }

  private static List<StateChange> canonicalChanges(String hostId, List<StateChange> in) {
    ArrayList<StateChange> out = new ArrayList<>(in.size());
    long previousMs = Long.MIN_VALUE;
    for (int i = 0; i < in.size(); i++) {
      StateChange c = in.get(i);
      if (c == null) {
        throw new IllegalArgumentException("changes[" + i + "] is null (host " + hostId + ")");
      }
      long ms = c.atMs();
      if (ms < previousMs) {
        throw new IllegalArgumentException(
            "changes must be in time order: changes[" + i + "] at " + c.at() + " is before its predecessor (host " + hostId + ")");
      }
      if (ms == previousMs) {
        out.remove(out.size() - 1); // same millisecond: the last change wins
      }
      previousMs = ms;
      if (!out.isEmpty()) {
        StateChange last = out.get(out.size() - 1);
        if (last.health() == c.health() && last.routing() == c.routing()) {
          continue; // no change of state
        }
      }
      out.add(c);
    }
    return List.copyOf(out);
  }

  static List<MaintenanceWindow> mergeWindows(List<MaintenanceWindow> in) {
    for (int i = 0; i < in.size(); i++) {
      if (in.get(i) == null) {
        throw new IllegalArgumentException("maintenance[" + i + "] is null");
      }
    }
    ArrayList<MaintenanceWindow> sorted = new ArrayList<>(in);
    sorted.sort(Comparator.comparing(MaintenanceWindow::from));
    ArrayList<MaintenanceWindow> out = new ArrayList<>(sorted.size());
    for (MaintenanceWindow w : sorted) {
      if (!out.isEmpty() && !w.from().isAfter(out.get(out.size() - 1).to())) {
        MaintenanceWindow last = out.remove(out.size() - 1);
        out.add(new MaintenanceWindow(last.from(), last.to().isAfter(w.to()) ? last.to() : w.to()));
      } else {
        out.add(w);
      }
    }
    return List.copyOf(out);
  }
}

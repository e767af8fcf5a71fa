package dev.nines.server.pools;

import dev.nines.protocol.RoutingState;
import dev.nines.server.availability.HostTimeline;
import dev.nines.server.availability.MaintenanceWindow;
import dev.nines.server.availability.StateChange;
import dev.nines.server.health.Health;
import dev.nines.server.store.HealthInterval;
import dev.nines.server.store.RoutingInterval;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a host's {@link HostTimeline} from its stored health and routing intervals. Pure.
 *
 * <p>The host counts from its first health interval (before it the backend had not judged it: not
 * reported, excluded). Its routing is ACTIVE until a routing interval says otherwise. Intervals
 * are contiguous as stored, so only their starts matter; the last state lasts until the end of any
 * window asked about, which callers end at their {@code now}.
 */
final class Timelines {
  private Timelines() {}

  /**
   * @param health the host's health intervals, oldest first (as {@code Store.healthIntervals})
   * @param routing its routing intervals, oldest first (as {@code Store.routingIntervals})
   */
  static HostTimeline of(String hostId, List<HealthInterval> health, List<RoutingInterval> routing) {
    return of(hostId, health, routing, List.of());
  }

  /** As above, with the host's explicit maintenance windows (any order; overlaps are merged). */
  static HostTimeline of(
      String hostId, List<HealthInterval> health, List<RoutingInterval> routing, List<MaintenanceWindow> maintenance) {
    List<StateChange> out = new ArrayList<>(health.size() + routing.size());
    int hi = 0;
    int ri = 0;
    Health h = null;
    RoutingState r = RoutingState.ACTIVE;
    while (hi < health.size() || ri < routing.size()) {
      long t = Long.MAX_VALUE;
      if (hi < health.size()) {
        t = health.get(hi).fromMs();
      }
      if (ri < routing.size()) {
        t = Math.min(t, routing.get(ri).fromMs());
      }
      while (hi < health.size() && health.get(hi).fromMs() == t) {
        h = Health.valueOf(health.get(hi).state());
        hi++;
      }
      while (ri < routing.size() && routing.get(ri).fromMs() == t) {
        r = RoutingState.valueOf(routing.get(ri).state());
        ri++;
      }
      if (h != null) {
        out.add(new StateChange(Instant.ofEpochMilli(t), h, r));
      }
    }
    return new HostTimeline(hostId, out, maintenance);
  }
}

package dev.nines.server.availability;

import java.util.List;

/**
 * Where the explicit maintenance windows of hosts and pools come from (the maintenance calendar),
 * for whoever builds {@link HostTimeline}s. Implementations must be safe for concurrent use and
 * cheap: they are asked once per host per availability computation.
 */
public interface MaintenanceSource {
  /** No maintenance windows at all. */
  MaintenanceSource NONE =
      new MaintenanceSource() {
        @Override
        public List<MaintenanceWindow> windowsFor(String hostId, String pool, long fromMs, long toMs) {
          return List.of();
        }

        @Override
        public List<MaintenanceWindow> poolWindows(String pool, long fromMs, long toMs) {
          return List.of();
        }
      };

  /**
   * The windows that cover a host during {@code [fromMs, toMs)}, clipped to it, in any order: those
   * naming the host and those of its pool.
   *
   * @param pool the host's pool, or null
   */
  List<MaintenanceWindow> windowsFor(String hostId, String pool, long fromMs, long toMs);

  /** The windows that cover a whole pool during {@code [fromMs, toMs)}, clipped to it, in any order. */
  List<MaintenanceWindow> poolWindows(String pool, long fromMs, long toMs);
}

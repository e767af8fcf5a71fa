package dev.nines.server.healthwatch;

import dev.nines.server.health.HealthChange;

/**
 * Told of every health change after {@link HealthWatch} stored it and announced it. Called on the
 * thread that judged (the report writer or the staleness tick) while the watch's lock is held: be
 * quick, and do not call back into the watch. An exception is logged and does not undo the change.
 */
@FunctionalInterface
public interface HealthListener {
  /**
   * @param change the change as stored: its {@code at} is the stored interval's start (never
   *     before the host's previous change)
   */
  void healthChanged(HealthChange change);
}

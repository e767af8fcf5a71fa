package dev.nines.console.theme;

/**
 * What a colour means, not which colour it is: widgets ask the {@link Palette} for a tone, so both
 * themes keep their meaning. A tone always comes with text or a shape too, never colour alone.
 */
public enum Tone {
  /** A plain data line, no judgement. */
  NEUTRAL,
  /** Healthy, within target. */
  OK,
  /** Degraded, close to a limit. */
  WARNING,
  /** Unhealthy, limit crossed. */
  CRITICAL,
  /** Not known: no data or not judged yet. */
  UNKNOWN,
  /** In progress, informational (draining). */
  INFO,
  /** Taken out on purpose (maintenance, drained). */
  MAINTENANCE
}

package dev.nines.server.availability;

/**
 * A host's health as the availability maths sees it. Mirrors the health package's states; the lead
 * unifies the two later.
 */
public enum ServingHealth {
  HEALTHY,
  DEGRADED,
  UNHEALTHY,
  /** No fresh report: counts as down (never as up, never excluded). */
  UNKNOWN
}

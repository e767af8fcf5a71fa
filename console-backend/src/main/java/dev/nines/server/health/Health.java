package dev.nines.server.health;

/**
 * A host's health as judged by the backend. The order of {@link #severity()} decides which state
 * wins when several rules fire: UNHEALTHY over UNKNOWN over DEGRADED over HEALTHY.
 */
public enum Health {
  HEALTHY(0),
  DEGRADED(1),
  /** No fresh report: the backend cannot tell. */
  UNKNOWN(2),
  UNHEALTHY(3);

  private final int severity;

  Health(int severity) {
    this.severity = severity;
  }

  /** 0 for HEALTHY up to 3 for UNHEALTHY. */
  public int severity() {
    return severity;
  }

  public boolean isWorseThan(Health other) {
    return severity > other.severity;
  }

  public boolean isBetterThan(Health other) {
    return severity < other.severity;
  }

  /** The worse of two states. */
  public static Health worst(Health a, Health b) {
    return a.severity >= b.severity ? a : b;
  }

  /** The better of two states. */
  public static Health best(Health a, Health b) {
    return a.severity <= b.severity ? a : b;
  }
}

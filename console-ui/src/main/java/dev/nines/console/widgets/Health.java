package dev.nines.console.widgets;

/** A host's health as the backend judges it (the {@code health.state} of {@code /api/v1/hosts}). */
public enum Health {
  HEALTHY,
  DEGRADED,
  UNHEALTHY,
  UNKNOWN;

  /** The health named by the backend's text; null or an unknown word is {@link #UNKNOWN}. */
  public static Health parse(String text) {
    if (text == null) {
      return UNKNOWN;
    }
    for (Health h : values()) {
      if (h.name().equalsIgnoreCase(text.trim())) {
        return h;
      }
    }
    return UNKNOWN;
  }
}

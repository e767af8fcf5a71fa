package dev.nines.server.incident;

import java.util.Locale;

/** What an incident is about: one host, or one pool. */
public enum IncidentKind {
  HOST,
  POOL;

  /** The lower-case name used in JSON, the database and query strings. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code host} or {@code pool} (any case). */
  public static IncidentKind parse(String value) {
    if (value != null) {
      for (IncidentKind k : values()) {
        if (k.name().equalsIgnoreCase(value.strip())) {
          return k;
        }
      }
    }
    throw new IllegalArgumentException("kind must be host or pool (was " + value + ")");
  }
}

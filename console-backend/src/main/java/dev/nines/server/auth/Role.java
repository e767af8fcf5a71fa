package dev.nines.server.auth;

import java.util.Locale;

/** What a token may do. */
public enum Role {
  /** Posts reports, nothing else. */
  AGENT,
  /** Reads. */
  VIEWER,
  /** Reads; drains, fails over, silences. */
  OPERATOR,
  /** Everything, posting reports and managing tokens included. */
  ADMIN;

  /** The lower-case name used in the database and on the wire. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code agent}, {@code viewer}, {@code operator} or {@code admin} (any case). */
  public static Role parse(String text) {
    if (text != null) {
      for (Role r : values()) {
        if (r.name().equalsIgnoreCase(text.strip())) {
          return r;
        }
      }
    }
    throw new IllegalArgumentException(
        "role must be one of agent, viewer, operator, admin (was '" + text + "')");
  }
}

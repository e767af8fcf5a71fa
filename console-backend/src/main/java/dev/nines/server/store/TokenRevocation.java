package dev.nines.server.store;

/** What {@link Store#revokeToken} did. */
public enum TokenRevocation {
  /** The token was valid and is now revoked. */
  REVOKED,
  /** The token had been revoked before; nothing changed. */
  ALREADY_REVOKED,
  /** No token has this id; nothing changed. */
  UNKNOWN,
  /** It is the last valid admin token; refused so that nobody locks themselves out. */
  LAST_ADMIN
}

package dev.nines.server.auth;

import dev.nines.server.store.TokenRevocation;

/**
 * The answer to a revocation.
 *
 * @param outcome what happened
 * @param token the token as it is now, or null when no token has that id
 */
public record Revocation(TokenRevocation outcome, TokenInfo token) {
  public Revocation {
    if (outcome == null) {
      throw new IllegalArgumentException("outcome is required");
    }
    if ((token == null) != (outcome == TokenRevocation.UNKNOWN)) {
      throw new IllegalArgumentException("token must be given unless the outcome is UNKNOWN");
    }
  }
}

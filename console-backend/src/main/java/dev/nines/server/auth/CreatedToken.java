package dev.nines.server.auth;

/**
 * A token just created: the only time its plaintext exists outside the caller's hands.
 *
 * @param token what may be shown of it later
 * @param plaintext the bearer token itself; shown once, never stored
 */
public record CreatedToken(TokenInfo token, String plaintext) {
  public CreatedToken {
    if (token == null) {
      throw new IllegalArgumentException("token is required");
    }
    if (plaintext == null || plaintext.isEmpty()) {
      throw new IllegalArgumentException("plaintext is required");
    }
  }
}

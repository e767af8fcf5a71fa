package dev.nines.server.auth;

import dev.nines.server.audit.Actor;

/**
 * Who made a request.
 *
 * @param tokenId the token's id (never the token)
 * @param name the token's name
 * @param role the token's role
 */
public record Principal(String tokenId, String name, Role role) {
  /** This caller as the audit log names it. */
  public Actor actor() {
    return Actor.token(tokenId, name);
  }

  public Principal {
    if (tokenId == null || tokenId.isEmpty()) {
      throw new IllegalArgumentException("tokenId is required");
    }
    if (name == null) {
      throw new IllegalArgumentException("name is required");
    }
    if (role == null) {
      throw new IllegalArgumentException("role is required");
    }
  }
}

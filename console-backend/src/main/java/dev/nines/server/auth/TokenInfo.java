package dev.nines.server.auth;

import dev.nines.server.store.TokenRecord;

/**
 * What may be shown of a token: never its hash, never its plaintext.
 *
 * @param id the token's id
 * @param name who or what it is for
 * @param role its role
 * @param createdAtMs when it was created (epoch ms)
 * @param revokedAtMs when it was revoked, or null while valid
 */
public record TokenInfo(String id, String name, Role role, long createdAtMs, Long revokedAtMs) {
  public TokenInfo {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("id is required");
    }
    if (name == null) {
      throw new IllegalArgumentException("name is required");
    }
    if (role == null) {
      throw new IllegalArgumentException("role is required");
    }
  }

  static TokenInfo of(TokenRecord t) {
    return new TokenInfo(t.id(), t.name(), Role.parse(t.role()), t.createdAtMs(), t.revokedAtMs());
  }

  /** True until it is revoked. */
  public boolean active() {
    return revokedAtMs == null;
  }
}

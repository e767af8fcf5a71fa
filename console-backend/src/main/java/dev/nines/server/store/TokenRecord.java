package dev.nines.server.store;

/**
 * A stored API token. Only its SHA-256 hash is kept.
 *
 * @param id a short random id (safe to show)
 * @param name who or what it is for
 * @param role {@code agent}, {@code viewer}, {@code operator} or {@code admin}
 * @param sha256Hex hash of the plaintext token, lower-case hex
 * @param createdAtMs when it was created
 * @param revokedAtMs when it was revoked, or null while valid
 */
public record TokenRecord(
    String id, String name, String role, String sha256Hex, long createdAtMs, Long revokedAtMs) {
  public TokenRecord {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("id is required");
    }
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("name is required");
    }
    if (role == null || role.isEmpty()) {
      throw new IllegalArgumentException("role is required");
    }
    if (sha256Hex == null || !sha256Hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("sha256Hex must be 64 lower-case hex digits");
    }
  }

  public boolean revoked() {
    return revokedAtMs != null;
  }
}

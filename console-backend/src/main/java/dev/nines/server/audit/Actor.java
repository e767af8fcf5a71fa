package dev.nines.server.audit;

/**
 * Who did something, as the audit log names it.
 *
 * @param id {@code token:<token id>}, {@code cli:<user>} or {@code system}
 * @param name the token's name or the user (empty for the system)
 */
public record Actor(String id, String name) {
  /** The server itself (automatic actions, start-up). */
  public static final Actor SYSTEM = new Actor("system", "");

  public Actor {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("id is required");
    }
    if (name == null) {
      throw new IllegalArgumentException("name must not be null (may be empty)");
    }
  }

  /** A caller of the API, by its token's id and name. */
  public static Actor token(String tokenId, String tokenName) {
    if (tokenId == null || tokenId.isBlank()) {
      throw new IllegalArgumentException("tokenId is required");
    }
    return new Actor("token:" + tokenId, tokenName == null ? "" : tokenName);
  }

  /** A person at the command line of this machine. */
  public static Actor cli(String user) {
    String u = user == null || user.isBlank() ? "unknown" : user.strip();
    return new Actor("cli:" + u, u);
  }
}

package dev.nines.console.client;

import java.util.Locale;
import java.util.Optional;

/**
 * What the backend says of the console's own token ({@code GET /api/v1/whoami}).
 *
 * @param name the token's name
 * @param role its role
 */
public record WhoAmI(String name, Role role) {
  /** A token's role. */
  public enum Role {
    AGENT, VIEWER, OPERATOR, ADMIN;

    /** Parses the wire form ({@code viewer}, any case). */
    public static Role parse(String text) {
      if (text != null) {
        for (Role r : values()) {
          if (r.name().equalsIgnoreCase(text.strip())) {
            return r;
          }
        }
      }
      throw new IllegalArgumentException("role must be agent, viewer, operator or admin (was '" + text + "')");
    }

    /** The wire form. */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public WhoAmI {
    if (name == null) {
      throw new IllegalArgumentException("name is required");
    }
    if (role == null) {
      throw new IllegalArgumentException("role is required");
    }
  }

  /** Whether this token may drain, undrain, fail over, acknowledge and silence. */
  public boolean mayOperate() {
    return role == Role.OPERATOR || role == Role.ADMIN;
  }

  /** Whether this token may read the audit log. */
  public boolean mayReadAudit() {
    return mayOperate();
  }

  /**
   * Why an operator action's button is disabled, or empty when it is allowed: "Token 'x' is a
   * viewer: drain, undrain, maintenance, failover, acknowledge and silence need an operator or admin
   * token".
   */
  public Optional<String> whyNotOperate() {
    if (mayOperate()) {
      return Optional.empty();
    }
    return Optional.of(
        "Token '" + name + "' is " + (role == Role.AGENT ? "an " : "a ") + role.wire()
            + ": drain, undrain, maintenance, failover, acknowledge and silence need an operator or admin token");
  }
}

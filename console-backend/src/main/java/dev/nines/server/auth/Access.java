package dev.nines.server.auth;

import io.javalin.http.Context;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Checks the bearer token of an HTTP request against the roles a route allows. */
public final class Access {
  /** Roles that may read (every role but agent). */
  public static final Set<Role> READERS = Set.copyOf(EnumSet.of(Role.VIEWER, Role.OPERATOR, Role.ADMIN));
  /** Roles that may act on the fleet (drain, fail over, silence) and read the audit log. */
  public static final Set<Role> OPERATORS = Set.copyOf(EnumSet.of(Role.OPERATOR, Role.ADMIN));
  /** Roles that may manage tokens, webhooks and pools. */
  public static final Set<Role> ADMINS = Set.of(Role.ADMIN);
  /** Roles that may post reports. */
  public static final Set<Role> REPORTERS = Set.copyOf(EnumSet.of(Role.AGENT, Role.ADMIN));

  private final TokenService tokens;

  public Access(TokenService tokens) {
    this.tokens = tokens;
  }

  /**
   * The caller, when its {@code Authorization: Bearer} token has one of these roles.
   *
   * @throws AuthException 401 without a valid token, 403 when its role is not allowed
   */
  public Principal require(Context ctx, Set<Role> allowed) {
    return check(bearer(ctx), allowed);
  }

  /**
   * Like {@link #require} but also accepts {@code ?token=} (browsers' EventSource cannot set
   * headers). The header wins when both are present.
   */
  public Principal requireAllowingQueryToken(Context ctx, Set<Role> allowed) {
    String token = bearer(ctx);
    if (token == null) {
      token = ctx.queryParam("token");
    }
    return check(token, allowed);
  }

  private Principal check(String token, Set<Role> allowed) {
    if (token == null || token.isEmpty()) {
      throw AuthException.unauthorized("send Authorization: Bearer <token>");
    }
    Principal p =
        tokens.authenticate(token).orElseThrow(() -> AuthException.unauthorized("unknown or revoked token"));
    if (!allowed.contains(p.role())) {
      throw AuthException.forbidden(
          "role " + p.role().wire() + " may not do this (allowed: "
              + allowed.stream().map(Role::wire).sorted().collect(Collectors.joining(", ")) + ")");
    }
    return p;
  }

  private static String bearer(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null) {
      return null;
    }
    String h = header.strip();
    if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return h.substring(7).strip();
    }
    throw AuthException.unauthorized("the Authorization header must be 'Bearer <token>'");
  }
}

package dev.nines.server.api;

import dev.nines.server.auth.Access;
import dev.nines.server.auth.Principal;
import dev.nines.server.auth.Role;
import io.javalin.http.Context;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code GET /api/v1/whoami}: tells any valid token its own name and role ({@code {"name", "role"}}),
 * so that a client (the console) can disable what the role may not do. Never the token or its hash.
 */
public final class WhoAmIApi {
  private static final Set<Role> ANY = Set.copyOf(EnumSet.allOf(Role.class));

  private final Access access;

  public WhoAmIApi(Access access) {
    this.access = access;
  }

  /** The answer: the token's name and its role in lower case ({@code viewer}, ...). */
  public record WhoAmI(String name, String role) {}

  /** The handler. */
  public void get(Context ctx) {
    Principal p = access.require(ctx, ANY);
    ctx.json(new WhoAmI(p.name(), p.role().wire()));
  }
}

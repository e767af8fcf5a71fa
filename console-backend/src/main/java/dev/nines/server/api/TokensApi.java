package dev.nines.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.server.auth.Access;
import dev.nines.server.auth.CreatedToken;
import dev.nines.server.auth.Principal;
import dev.nines.server.auth.Revocation;
import dev.nines.server.auth.Role;
import dev.nines.server.auth.TokenInfo;
import dev.nines.server.auth.TokenService;
import dev.nines.server.store.PageKey;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * Token management for admins: {@code GET /api/v1/tokens} (paginated, newest first), {@code POST
 * /api/v1/tokens} {@code {"role", "name"}} (201 with the plaintext, shown only in that answer), and
 * {@code DELETE /api/v1/tokens/{id}} (revoke). Never shows a hash or a stored plaintext.
 */
public final class TokensApi {
  private final TokenService tokens;
  private final Access access;
  private final ObjectMapper json;

  public TokensApi(TokenService tokens, Access access, ObjectMapper json) {
    this.tokens = tokens;
    this.access = access;
    this.json = json;
  }

  /** What is shown of a token. Times are epoch ms; {@code revokedAtMs} null while active. */
  public record TokenView(String id, String name, String role, long createdAtMs, Long revokedAtMs, boolean active) {
    static TokenView of(TokenInfo t) {
      return new TokenView(t.id(), t.name(), t.role().wire(), t.createdAtMs(), t.revokedAtMs(), t.active());
    }
  }

  /** The answer to a creation: the plaintext {@code token} appears here and nowhere else, ever. */
  public record Created(TokenView created, String token, String note) {}

  /** The answer to a revocation: {@code revoked} or {@code already revoked}, and the token now. */
  public record Revoked(String outcome, TokenView token) {}

  /** {@code GET /api/v1/tokens?limit=&cursor=}. */
  public void list(Context ctx) {
    access.require(ctx, Access.ADMINS);
    int limit = CursorPage.limit(ctx);
    PageKey cursor = CursorPage.cursor(ctx);
    ctx.json(
        CursorPage.of(
            tokens.list(cursor, limit + 1), limit, t -> new PageKey(t.createdAtMs(), t.id()), TokenView::of));
  }

  /** {@code POST /api/v1/tokens} with {@code {"role": "viewer", "name": "grafana"}}: 201. */
  public void create(Context ctx) {
    Principal caller = access.require(ctx, Access.ADMINS);
    JsonNode body;
    try {
      body = json.readTree(ctx.body());
    } catch (IOException e) {
      throw new ApiException(400, "invalid body", "expected JSON {\"role\": ..., \"name\": ...}");
    }
    if (body == null || !body.isObject()) {
      throw new ApiException(400, "invalid body", "expected JSON {\"role\": ..., \"name\": ...}");
    }
    Role role;
    try {
      role = Role.parse(text(body, "role"));
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid body", e.getMessage());
    }
    CreatedToken created;
    try {
      created = tokens.create(role, text(body, "name"), caller.actor());
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid body", e.getMessage());
    }
    ctx.status(201)
        .json(
            new Created(
                TokenView.of(created.token()), created.plaintext(),
                "the token is shown only in this answer: store it now"));
  }

  /**
   * {@code DELETE /api/v1/tokens/{id}}: 200 {@code revoked} or {@code already revoked}; 404 for an
   * unknown id; 409 for the last valid admin token.
   */
  public void revoke(Context ctx) {
    Principal caller = access.require(ctx, Access.ADMINS);
    String id = ctx.pathParam("id");
    Revocation r = tokens.revoke(id, caller.actor());
    switch (r.outcome()) {
      case REVOKED -> ctx.json(new Revoked("revoked", TokenView.of(r.token())));
      case ALREADY_REVOKED -> ctx.json(new Revoked("already revoked", TokenView.of(r.token())));
      case UNKNOWN -> throw new ApiException(404, "unknown token", "no token with id '" + id + "'");
      case LAST_ADMIN -> throw new ApiException(
          409, "refused",
          "token " + id + " is the last valid admin token; create another admin token first,"
              + " so that nobody is locked out");
      default -> throw new IllegalStateException("unexpected outcome " + r.outcome());
    }
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isTextual()) {
      throw new ApiException(400, "invalid body", field + " is required (a string)");
    }
    return v.asText();
  }
}

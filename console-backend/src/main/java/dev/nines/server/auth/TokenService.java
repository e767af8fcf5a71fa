package dev.nines.server.auth;

import dev.nines.server.audit.Actor;
import dev.nines.server.audit.Audit;
import dev.nines.server.store.PageKey;
import dev.nines.server.store.Store;
import dev.nines.server.store.StoreException;
import dev.nines.server.store.TokenRecord;
import dev.nines.server.store.TokenRevocation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates, lists, revokes and checks bearer tokens. Only SHA-256 hashes are stored; a plaintext
 * token is shown once, when it is created.
 *
 * <p>Checks are cheap: a valid token is cached in memory by hash, so a request costs one SHA-256
 * and a map lookup. A cached entry is trusted for at most {@link #CACHE_TTL} (5 s) and then checked
 * against the database again; a token revoked through this service is dropped from the cache at
 * once. So a revocation made elsewhere on the same database (the CLI in another process, another
 * server) takes effect here within 5 s. Unknown or revoked tokens are not cached: each costs one
 * indexed query.
 *
 * <p>Creations and revocations are written to the audit log.
 */
public final class TokenService {
  /** How long a cached valid token is trusted before the database is asked again. */
  public static final Duration CACHE_TTL = Duration.ofSeconds(5);
  private static final String PREFIX = "nines_";
  private static final int MIN_LENGTH = 8;

  private record Cached(Principal principal, long checkedAtMs) {}

  private final Store store;
  private final Clock clock;
  private final Audit audit;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  /** Grows with every local revocation; a lookup that raced one does not stay cached. */
  private final AtomicLong revocations = new AtomicLong();

  /** A service that audits into the same store. */
  public TokenService(Store store, Clock clock) {
    this(store, clock, new Audit(store, clock));
  }

  public TokenService(Store store, Clock clock, Audit audit) {
    this.store = store;
    this.clock = clock;
    this.audit = audit;
  }

  /** Creates a token for the server itself (audited as {@code system}); returns its plaintext. */
  public String create(Role role, String name) {
    return create(role, name, Actor.SYSTEM).plaintext();
  }

  /**
   * Creates a token on behalf of {@code by} and audits it ({@code token.create}).
   *
   * @throws IllegalArgumentException for a missing role or a blank or over-long name
   */
  public CreatedToken create(Role role, String name, Actor by) {
    if (role == null) {
      throw new IllegalArgumentException("role is required");
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name is required");
    }
    if (name.strip().length() > 256) {
      throw new IllegalArgumentException("name must be at most 256 characters");
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    TokenInfo info = store(role, name.strip(), token, by);
    return new CreatedToken(info, token);
  }

  /**
   * Revokes a token on behalf of {@code by}. A revoked token is refused by this service at once
   * (and by others on the same database within {@link #CACHE_TTL}). Revoking an already revoked
   * token changes nothing; the last valid admin token is never revoked. Only an actual revocation
   * is audited ({@code token.revoke}).
   */
  public Revocation revoke(String id, Actor by) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("id is required");
    }
    TokenRevocation outcome = store.revokeToken(id.strip(), clock.millis());
    revocations.incrementAndGet();
    cache.values().removeIf(c -> c.principal().tokenId().equals(id.strip()));
    if (outcome == TokenRevocation.UNKNOWN) {
      return new Revocation(outcome, null);
    }
    TokenInfo now =
        store.token(id.strip())
            .map(TokenInfo::of)
            .orElseThrow(() -> new IllegalStateException("token " + id + " vanished while it was revoked"));
    if (outcome == TokenRevocation.REVOKED) {
      audit.record(by, "token.revoke", now.id(), Map.of("name", now.name(), "role", now.role().wire()));
    }
    return new Revocation(outcome, now);
  }

  /** One token by id (never its hash), revoked or not. */
  public Optional<TokenInfo> token(String id) {
    return store.token(id).map(TokenInfo::of);
  }

  /**
   * Tokens newest first, revoked ones included.
   *
   * @param before the previous page's last token, or null for the first page
   * @param limit 1..1001
   */
  public List<TokenInfo> list(PageKey before, int limit) {
    return store.tokens(before, limit).stream().map(TokenInfo::of).toList();
  }

  /**
   * Makes sure an admin can log in. With a token given (from the settings), stores it as an admin
   * token unless it is known already. Without one, creates an admin token only when no valid one
   * exists, and returns it so that the caller prints it once.
   *
   * @return the generated admin token, or empty when none was generated
   */
  public Optional<String> bootstrapAdmin(String adminToken) {
    if (adminToken != null) {
      checkPlaintext("adminToken", adminToken);
      String hash = sha256(adminToken);
      if (store.tokenByHash(hash).isEmpty()) {
        try {
          store(Role.ADMIN, "admin (from settings)", adminToken, Actor.SYSTEM);
        } catch (StoreException e) {
          // Replicas started together with the same --admin-token race to store it; the one that
          // lost finds it stored (unique hash) and goes on. Anything else is a real failure.
          if (store.tokenByHash(hash).isEmpty()) {
            throw e;
          }
        }
      }
      return Optional.empty();
    }
    if (store.hasActiveToken(Role.ADMIN.wire())) {
      return Optional.empty();
    }
    return Optional.of(create(Role.ADMIN, "admin (generated at first start)"));
  }

  /** Who holds this token, or empty when it is unknown or revoked. */
  public Optional<Principal> authenticate(String plaintext) {
    if (plaintext == null || plaintext.isEmpty() || plaintext.length() > 512) {
      return Optional.empty();
    }
    String hash = sha256(plaintext);
    long now = clock.millis();
    Cached cached = cache.get(hash);
    if (cached != null && now >= cached.checkedAtMs() && now - cached.checkedAtMs() < CACHE_TTL.toMillis()) {
      return Optional.of(cached.principal());
    }
    long generation = revocations.get();
    Optional<TokenRecord> record = store.tokenByHash(hash);
    if (record.isEmpty() || record.get().revoked()) {
      cache.remove(hash);
      return Optional.empty();
    }
    TokenRecord t = record.get();
    Principal p = new Principal(t.id(), t.name(), Role.parse(t.role()));
    cache.put(hash, new Cached(p, now));
    if (revocations.get() != generation) {
      cache.remove(hash); // a revocation ran meanwhile: ask the database next time
    }
    return Optional.of(p);
  }

  /** Checks a plaintext token given by a person: long enough, no white space. */
  public static void checkPlaintext(String field, String token) {
    if (token.length() < MIN_LENGTH || token.length() > 512) {
      throw new IllegalArgumentException(field + " must be 8-512 characters long");
    }
    for (int i = 0; i < token.length(); i++) {
      if (Character.isWhitespace(token.charAt(i)) || Character.isISOControl(token.charAt(i))) {
        throw new IllegalArgumentException(field + " must not contain white space");
      }
    }
  }

  private TokenInfo store(Role role, String name, String token, Actor by) {
    byte[] id = new byte[6];
    random.nextBytes(id);
    TokenRecord record =
        new TokenRecord(
            "tok_" + HexFormat.of().formatHex(id), name, role.wire(), sha256(token), clock.millis(), null);
    store.addToken(record);
    audit.record(by, "token.create", record.id(), Map.of("name", name, "role", role.wire()));
    return TokenInfo.of(record);
  }

  /** SHA-256 of a token, lower-case hex. */
  static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}

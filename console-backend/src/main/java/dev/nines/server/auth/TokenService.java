package dev.nines.server.auth;

import dev.nines.server.store.Store;
import dev.nines.server.store.TokenRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates and checks bearer tokens. Only SHA-256 hashes are stored; a plaintext token is shown once,
 * when it is created. Valid tokens are cached in memory (by hash), so a request costs one hash.
 */
public final class TokenService {
  private static final String PREFIX = "nines_";
  private static final int MIN_LENGTH = 8;

  private final Store store;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Principal> cache = new ConcurrentHashMap<>();

  public TokenService(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Creates a token and returns its plaintext; this is the only time it can be seen. */
  public String create(Role role, String name) {
    if (role == null) {
      throw new IllegalArgumentException("role is required");
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name is required");
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    store(role, name.strip(), token);
    return token;
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
      if (store.tokenByHash(sha256(adminToken)).isEmpty()) {
        store(Role.ADMIN, "admin (from settings)", adminToken);
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
    Principal cached = cache.get(hash);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<TokenRecord> record = store.tokenByHash(hash);
    if (record.isEmpty() || record.get().revoked()) {
      return Optional.empty();
    }
    TokenRecord t = record.get();
    Principal p = new Principal(t.id(), t.name(), Role.parse(t.role()));
    cache.put(hash, p);
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

  private void store(Role role, String name, String token) {
    byte[] id = new byte[6];
    random.nextBytes(id);
    store.addToken(
        new TokenRecord(
            "tok_" + HexFormat.of().formatHex(id), name, role.wire(), sha256(token), clock.millis(), null));
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

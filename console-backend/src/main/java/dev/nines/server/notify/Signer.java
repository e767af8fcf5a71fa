package dev.nines.server.notify;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs alert notifications the way every Nines webhook is signed (the routing webhook of {@code
 * actuate.WebhookActuator} too): {@code X-Nines-Timestamp: <epoch milliseconds>} and {@code
 * X-Nines-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>}, all UTF-8. A receiver
 * checks it with {@link #verify} and should refuse timestamps far from its own clock (replays).
 */
public final class Signer {
  /** Header carrying the signing time in epoch milliseconds. */
  public static final String TIMESTAMP_HEADER = "X-Nines-Timestamp";
  /** Header carrying {@code sha256=<hex>}. */
  public static final String SIGNATURE_HEADER = "X-Nines-Signature";
  /** Header carrying the message's stable event id (the same on every retry). */
  public static final String EVENT_ID_HEADER = "X-Nines-Event-Id";

  private Signer() {}

  /** {@code sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>}. */
  public static String sign(String secret, String timestamp, byte[] body) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("secret is required");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(UTF_8), "HmacSHA256"));
      mac.update(timestamp.getBytes(UTF_8));
      mac.update((byte) '.');
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /**
   * Whether {@code signatureHeader} is the signature of this timestamp and body under the secret;
   * compares in constant time; does not judge the timestamp's age.
   */
  public static boolean verify(String secret, String timestamp, byte[] body, String signatureHeader) {
    if (secret == null || secret.isEmpty() || timestamp == null || body == null || signatureHeader == null) {
      return false;
    }
    byte[] expected = sign(secret, timestamp, body).getBytes(UTF_8);
    return MessageDigest.isEqual(expected, signatureHeader.strip().getBytes(UTF_8));
  }
}

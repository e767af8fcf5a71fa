package dev.nines.launcher;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random bearer tokens for the demo. */
final class Tokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  static String generate() {
    byte[] b = new byte[20];
    RANDOM.nextBytes(b);
    return "nines_" + HexFormat.of().formatHex(b);
  }
}

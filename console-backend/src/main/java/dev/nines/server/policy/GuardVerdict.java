package dev.nines.server.policy;

/**
 * What the capacity guard says of taking one host out of rotation.
 *
 * @param allowed the pool keeps at least {@code required} ACTIVE members afterwards (or the host
 *     does not count for the guard)
 * @param activeNow ACTIVE members the guard counts now
 * @param activeAfter ACTIVE members the guard counts afterwards
 * @param required what the guard requires
 * @param reason a sentence for people
 */
public record GuardVerdict(boolean allowed, int activeNow, int activeAfter, int required, String reason) {
  public GuardVerdict {
    if (activeNow < 0 || activeAfter < 0 || required < 0) {
      throw new IllegalArgumentException(
          "activeNow, activeAfter and required must be >= 0 (were " + activeNow + ", " + activeAfter + ", "
              + required + ")");
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("reason is required");
    }
  }
}

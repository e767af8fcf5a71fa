package dev.nines.server.leader;

/**
 * The leader lease as the database holds it: one row per lease name.
 *
 * @param name what the lease is for ({@code leader}: the policy engine, the actuators, the alert
 *     dispatcher and retention)
 * @param holder the replica that holds it
 * @param holderUrl the base URL where that replica serves the API (followers forward writes there)
 * @param token the fencing token: +1 at every change of holder (or a holder coming back after its
 *     lease ran out); every leader-only write and delivery carries it, so a deposed leader's are
 *     refused
 * @param acquiredAtMs when this term began
 * @param expiresAtMs when the lease runs out unless renewed
 */
public record Lease(String name, String holder, String holderUrl, long token, long acquiredAtMs, long expiresAtMs) {
  public Lease {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name is required");
    }
    if (holder == null || holder.isBlank()) {
      throw new IllegalArgumentException("holder is required");
    }
    holderUrl = holderUrl == null ? "" : holderUrl;
    if (token < 1) {
      throw new IllegalArgumentException("token must be >= 1 (was " + token + ")");
    }
    if (expiresAtMs < acquiredAtMs) {
      throw new IllegalArgumentException(
          "expiresAtMs must be >= acquiredAtMs (were " + expiresAtMs + ", " + acquiredAtMs + ")");
    }
  }

  /** True when {@code replica} holds it and it has not run out at {@code nowMs}. */
  public boolean heldBy(String replica, long nowMs) {
    return holder.equals(replica) && nowMs < expiresAtMs;
  }
}

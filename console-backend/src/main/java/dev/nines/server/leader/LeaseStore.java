package dev.nines.server.leader;

/**
 * Where the leader lease lives: a row in the shared database, so that every replica sees the same
 * holder and token. Each call is one atomic step (one transaction).
 */
public interface LeaseStore {
  /**
   * Renews the lease when {@code holder} holds it with {@code token} and it has not run out at
   * {@code nowMs}; else takes it over when it ran out (or never existed), with the next token;
   * else changes nothing. Either way, returns the lease as it is afterwards.
   *
   * @param holderUrl where {@code holder} serves the API (stored when it renews or takes the lease)
   * @param token the token {@code holder} believes it holds, or 0 when it holds none
   * @param ttlMs how long the lease lasts from {@code nowMs} when renewed or taken
   */
  Lease acquire(String name, String holder, String holderUrl, long token, long nowMs, long ttlMs);

  /**
   * Gives the lease up at once (a clean shutdown), when {@code holder} still holds it with
   * {@code token}: another replica may take it at its next attempt. Returns whether it did.
   */
  boolean release(String name, String holder, long token, long nowMs);
}

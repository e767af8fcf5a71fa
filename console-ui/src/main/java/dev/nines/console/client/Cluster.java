package dev.nines.console.client;

/**
 * What one replica says of the replicas ({@code GET /api/v1/cluster}). Unknown fields are ignored;
 * absent text fields are null.
 *
 * @param mode {@code single} (one server on SQLite) or {@code replicated} (several on PostgreSQL)
 * @param replica the answering replica's id
 * @param role its role: {@code leader} or {@code follower}
 * @param leader the id of the replica holding the leader lease as last read (null or blank: none known)
 * @param leaderUrl where the leader serves the API ("" when unknown)
 * @param token the answering replica's fencing token while it leads, else 0
 * @param leaderToken the lease's fencing token as last read
 * @param leaseExpiresAtMs when the lease runs out unless renewed (0 when unknown)
 * @param actUntilMs while leading: when the replica stops acting unless it renews (0 otherwise)
 * @param lastError the last lease renewal's failure, or null
 */
public record Cluster(
    String mode, String replica, String role, String leader, String leaderUrl, long token, long leaderToken,
    long leaseExpiresAtMs, long actUntilMs, String lastError) {
  /** Several replicas on one database (not the single SQLite server). */
  public boolean replicated() {
    return "replicated".equals(mode);
  }

  /** The answering replica leads. */
  public boolean leads() {
    return "leader".equals(role);
  }

  /** A leader is known. */
  public boolean leaderKnown() {
    return leader != null && !leader.isBlank();
  }
}

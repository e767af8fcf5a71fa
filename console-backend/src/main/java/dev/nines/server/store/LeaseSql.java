package dev.nines.server.store;

import dev.nines.server.leader.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The leader lease's statements (table {@code leader_lease}), run by a store inside one of its
 * write transactions. Portable SQL; each step is a single-row conditional UPDATE or INSERT, so two
 * replicas racing for a lapsed lease cannot both win: on PostgreSQL the second UPDATE waits for the
 * first's row lock and then finds its condition false; on SQLite writers are serialised anyway.
 */
final class LeaseSql {
  private LeaseSql() {}

  /** {@link dev.nines.server.leader.LeaseStore#acquire}, in the caller's transaction. */
  static Lease acquire(Connection c, String name, String holder, String holderUrl, long token, long nowMs, long ttlMs)
      throws SQLException {
    long expires = nowMs + ttlMs;
    boolean done = false;
    if (token > 0) {
      try (PreparedStatement renew =
          c.prepareStatement(
              "UPDATE leader_lease SET expires_at_ms = ?, holder_url = ? WHERE name = ? AND holder = ? AND token = ?"
                  + " AND expires_at_ms > ?")) {
        renew.setLong(1, expires);
        renew.setString(2, holderUrl);
        renew.setString(3, name);
        renew.setString(4, holder);
        renew.setLong(5, token);
        renew.setLong(6, nowMs);
        done = renew.executeUpdate() == 1;
      }
    }
    if (!done) {
      try (PreparedStatement take =
          c.prepareStatement(
              "UPDATE leader_lease SET holder = ?, holder_url = ?, token = token + 1, acquired_at_ms = ?,"
                  + " expires_at_ms = ? WHERE name = ? AND expires_at_ms <= ?")) {
        take.setString(1, holder);
        take.setString(2, holderUrl);
        take.setLong(3, nowMs);
        take.setLong(4, expires);
        take.setString(5, name);
        take.setLong(6, nowMs);
        done = take.executeUpdate() == 1;
      }
    }
    if (!done) {
      try (PreparedStatement first =
          c.prepareStatement(
              "INSERT INTO leader_lease (name, holder, holder_url, token, acquired_at_ms, expires_at_ms)"
                  + " VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT (name) DO NOTHING")) {
        first.setString(1, name);
        first.setString(2, holder);
        first.setString(3, holderUrl);
        first.setLong(4, nowMs);
        first.setLong(5, expires);
        first.executeUpdate();
      }
    }
    return read(c, name, "");
  }

  /** {@link dev.nines.server.leader.LeaseStore#release}, in the caller's transaction. */
  static boolean release(Connection c, String name, String holder, long token, long nowMs) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE leader_lease SET expires_at_ms = CASE WHEN acquired_at_ms > ? THEN acquired_at_ms ELSE ? END"
                + " WHERE name = ? AND holder = ? AND token = ?")) {
      ps.setLong(1, nowMs);
      ps.setLong(2, nowMs);
      ps.setString(3, name);
      ps.setString(4, holder);
      ps.setLong(5, token);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Refuses, by throwing {@link FencedException}, when {@code token} is no longer the lease's:
   * the first statement of every leader-only write transaction. {@code lockClause} is appended to
   * the SELECT ({@code " FOR SHARE"} on PostgreSQL, so that no takeover commits before this
   * transaction does; empty on SQLite, whose write transactions exclude each other).
   */
  static void checkFence(Connection c, String name, long token, String lockClause) throws SQLException {
    Lease now = read(c, name, lockClause);
    if (now == null || now.token() != token) {
      throw new FencedException(name, token, now);
    }
  }

  static Lease read(Connection c, String name, String lockClause) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT holder, holder_url, token, acquired_at_ms, expires_at_ms FROM leader_lease WHERE name = ?"
                + lockClause)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new Lease(name, rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)) : null;
      }
    }
  }
}

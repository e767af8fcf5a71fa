package dev.nines.server.store;

import dev.nines.protocol.RoutingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;


/**
 * The SQLite store: one file in WAL mode with {@code synchronous=NORMAL}, so a committed
 * transaction survives a crash of the process (not necessarily a power cut of the machine). One
 * connection writes reports (the writer thread's); a few more serve reads and the rare token write.
 * The SQL itself is portable; only the connection pragmas are SQLite's.
 */
public final class SqliteStore implements Store {
  static final String MIGRATIONS = "/dev/nines/server/store/migrations";
  private static final int READERS = 4;
  private static final int BUSY_TIMEOUT_MS = 10_000;
  /** The writer connection's page cache, in KiB (SQLite's default is 2,000). */
  private static final int WRITER_CACHE_KIB = 64 * 1024;

  private static final String INSERT_REPORT =
      "INSERT INTO reports (agent_id, seq, collected_at_ms, received_at_ms, body)"
          + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (agent_id, seq) DO NOTHING";
  // The latest figures move only forward in seq: a replayed old report refreshes last_seen_ms
  // (the agent is alive) but not the figures.
  private static final String UPSERT_HOST =
      "INSERT INTO hosts (id, pool, labels, first_seen_ms, last_seen_ms, last_seq,"
          + " last_collected_at_ms, last_report) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (id) DO UPDATE SET"
          + " pool = CASE WHEN excluded.last_seq > hosts.last_seq THEN excluded.pool ELSE hosts.pool END,"
          + " labels = CASE WHEN excluded.last_seq > hosts.last_seq THEN excluded.labels ELSE hosts.labels END,"
          + " last_collected_at_ms = CASE WHEN excluded.last_seq > hosts.last_seq"
          + "   THEN excluded.last_collected_at_ms ELSE hosts.last_collected_at_ms END,"
          + " last_report = CASE WHEN excluded.last_seq > hosts.last_seq"
          + "   THEN excluded.last_report ELSE hosts.last_report END,"
          + " last_seen_ms = CASE WHEN excluded.last_seen_ms > hosts.last_seen_ms"
          + "   THEN excluded.last_seen_ms ELSE hosts.last_seen_ms END,"
          + " last_seq = CASE WHEN excluded.last_seq > hosts.last_seq THEN excluded.last_seq ELSE hosts.last_seq END";
  private static final String ENSURE_ROUTING =
      "INSERT INTO routing (host_id, state, reason, changed_at_ms, changed_by)"
          + " VALUES (?, 'ACTIVE', NULL, ?, '" + RoutingRecord.SYSTEM + "') ON CONFLICT (host_id) DO NOTHING";
  private static final String SELECT_ROUTING =
      "SELECT state, reason, changed_at_ms, changed_by FROM routing WHERE host_id = ?";
  private static final String SELECT_HOSTS =
      "SELECT h.id, h.pool, h.labels, h.first_seen_ms, h.last_seen_ms, h.last_seq,"
          + " h.last_collected_at_ms, h.last_report, r.state, r.reason, r.changed_at_ms, r.changed_by"
          + " FROM hosts h LEFT JOIN routing r ON r.host_id = h.id";

  private final String url;
  private final Connection writer;
  private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
  private final List<Connection> all = new ArrayList<>();
  private final Object writeLock = new Object();
  private PreparedStatement insertReport;
  private PreparedStatement upsertHost;
  private PreparedStatement ensureRouting;
  private PreparedStatement selectRouting;
  private volatile boolean closed;

  private SqliteStore(String url) throws SQLException {
    this.url = url;
    this.writer = connect(url);
    for (int i = 0; i < READERS; i++) {
      readers.add(connect(url));
    }
  }

  /**
   * Opens (creating if needed) the SQLite database at this JDBC URL ({@code jdbc:sqlite:<file>})
   * and brings its schema up to date.
   */
  public static SqliteStore open(String jdbcUrl, Clock clock) {
    if (!jdbcUrl.startsWith("jdbc:sqlite:")) {
      throw new IllegalArgumentException("not a SQLite JDBC URL: " + jdbcUrl);
    }
    String file = jdbcUrl.substring("jdbc:sqlite:".length());
    if (file.isEmpty() || file.contains(":memory:") || file.startsWith("file::memory")) {
      throw new IllegalArgumentException(
          "an in-memory SQLite database cannot be shared by the server's connections: give a file");
    }
    try {
      Path parent = Path.of(file.startsWith("file:") ? file.substring(5) : file).toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (Exception e) {
      throw new StoreException("cannot create the folder of the database file " + file, e);
    }
    SqliteStore store;
    try {
      store = new SqliteStore(jdbcUrl);
    } catch (SQLException e) {
      throw new StoreException("cannot open " + jdbcUrl + ": " + e.getMessage(), e);
    }
    try {
      Migrations.apply(store.writer, Migrations.load(MIGRATIONS), clock);
      store.prepareWriter();
      return store;
    } catch (SQLException | RuntimeException e) {
      store.close();
      if (e instanceof IllegalStateException) {
        throw (IllegalStateException) e;
      }
      throw new StoreException("cannot prepare the schema of " + jdbcUrl + ": " + e.getMessage(), e);
    }
  }

  private Connection connect(String jdbcUrl) throws SQLException {
    Connection c = DriverManager.getConnection(jdbcUrl);
    all.add(c);
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
      try (ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
        if (!rs.next() || !"wal".equalsIgnoreCase(rs.getString(1))) {
          throw new SQLException("the database refused WAL journal mode");
        }
      }
      st.execute("PRAGMA synchronous = NORMAL");
      st.execute("PRAGMA foreign_keys = ON");
    }
    return c;
  }

  private void prepareWriter() throws SQLException {
    // The writer's page cache: inserts land all over the (agent_id, seq) key, one place per agent;
    // with SQLite's default 2 MB cache the writer spends its time re-reading pages (measured with
    // IngestThroughputBench#measureWriterAlone: ~40 % more reports/s and ~15 % less CPU per report).
    try (Statement st = writer.createStatement()) {
      st.execute("PRAGMA cache_size = -" + WRITER_CACHE_KIB);
    }
    insertReport = writer.prepareStatement(INSERT_REPORT);
    upsertHost = writer.prepareStatement(UPSERT_HOST);
    ensureRouting = writer.prepareStatement(ENSURE_ROUTING);
    selectRouting = writer.prepareStatement(SELECT_ROUTING);
  }

  @Override
  public List<WriteResult> writeReports(List<ReportRecord> batch) {
    if (batch.isEmpty()) {
      return List.of();
    }
    synchronized (writeLock) {
      checkOpen();
      List<WriteResult> out = new ArrayList<>(batch.size());
      Map<String, RoutingRecord> routingSeen = new HashMap<>();
      try {
        writer.setAutoCommit(false);
        for (ReportRecord r : batch) {
          insertReport.setString(1, r.agentId());
          insertReport.setLong(2, r.seq());
          insertReport.setLong(3, r.collectedAtMs());
          insertReport.setLong(4, r.receivedAtMs());
          insertReport.setString(5, r.bodyJson());
          boolean duplicate = insertReport.executeUpdate() == 0;
          if (!duplicate) {
            upsertHost.setString(1, r.agentId());
            setNullableString(upsertHost, 2, r.pool());
            upsertHost.setString(3, r.labelsJson());
            upsertHost.setLong(4, r.receivedAtMs());
            upsertHost.setLong(5, r.receivedAtMs());
            upsertHost.setLong(6, r.seq());
            upsertHost.setLong(7, r.collectedAtMs());
            upsertHost.setString(8, r.bodyJson());
            upsertHost.executeUpdate();
            if (!routingSeen.containsKey(r.agentId())) {
              ensureRouting.setString(1, r.agentId());
              ensureRouting.setLong(2, r.receivedAtMs());
              ensureRouting.executeUpdate();
            }
          }
          RoutingRecord routing = routingSeen.get(r.agentId());
          if (routing == null) {
            routing = readRouting(r.agentId());
            routingSeen.put(r.agentId(), routing);
          }
          out.add(new WriteResult(r, duplicate, routing));
        }
        writer.commit();
        return out;
      } catch (SQLException e) {
        try {
          writer.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw new StoreException("storing " + batch.size() + " reports failed: " + e.getMessage(), e);
      } finally {
        try {
          writer.setAutoCommit(true);
        } catch (SQLException ignored) {
          // the next batch sets it again
        }
      }
    }
  }

  private RoutingRecord readRouting(String hostId) throws SQLException {
    selectRouting.setString(1, hostId);
    try (ResultSet rs = selectRouting.executeQuery()) {
      if (rs.next()) {
        return new RoutingRecord(
            RoutingState.valueOf(rs.getString(1)), rs.getString(2), rs.getLong(3), rs.getString(4));
      }
      return new RoutingRecord(RoutingState.ACTIVE, null, 0, RoutingRecord.SYSTEM);
    }
  }

  @Override
  public List<HostRecord> hosts() {
    return read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(SELECT_HOSTS + " ORDER BY h.id");
              ResultSet rs = ps.executeQuery()) {
            List<HostRecord> out = new ArrayList<>();
            while (rs.next()) {
              out.add(host(rs));
            }
            return out;
          }
        });
  }

  @Override
  public Optional<HostRecord> host(String id) {
    return read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(SELECT_HOSTS + " WHERE h.id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(host(rs)) : Optional.empty();
            }
          }
        });
  }

  private static HostRecord host(ResultSet rs) throws SQLException {
    String state = rs.getString(9);
    RoutingRecord routing =
        state == null
            ? new RoutingRecord(RoutingState.ACTIVE, null, 0, RoutingRecord.SYSTEM)
            : new RoutingRecord(RoutingState.valueOf(state), rs.getString(10), rs.getLong(11), rs.getString(12));
    return new HostRecord(
        rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
        rs.getLong(6), rs.getLong(7), rs.getString(8), routing);
  }

  @Override
  public void recordHealthChange(HealthInterval change) {
    if (change.toMs() != null) {
      throw new IllegalArgumentException("change.toMs must be null: a new interval is open");
    }
    synchronized (writeLock) {
      checkOpen();
      try {
        writer.setAutoCommit(false);
        try (PreparedStatement open =
            writer.prepareStatement(
                "SELECT MAX(from_ms) FROM health_intervals WHERE host_id = ? AND to_ms IS NULL")) {
          open.setString(1, change.hostId());
          try (ResultSet rs = open.executeQuery()) {
            if (rs.next()) {
              long openFrom = rs.getLong(1);
              if (!rs.wasNull() && openFrom > change.fromMs()) {
                throw new IllegalArgumentException(
                    "change.fromMs (" + change.fromMs() + ") is before the open interval's start ("
                        + openFrom + ") of host " + change.hostId());
              }
            }
          }
        }
        try (PreparedStatement close =
            writer.prepareStatement(
                "UPDATE health_intervals SET to_ms = ? WHERE host_id = ? AND to_ms IS NULL")) {
          close.setLong(1, change.fromMs());
          close.setString(2, change.hostId());
          close.executeUpdate();
        }
        try (PreparedStatement insert =
            writer.prepareStatement(
                "INSERT INTO health_intervals (host_id, state, from_ms, to_ms, rules, reason, figures)"
                    + " VALUES (?, ?, ?, NULL, ?, ?, ?)")) {
          insert.setString(1, change.hostId());
          insert.setString(2, change.state());
          insert.setLong(3, change.fromMs());
          insert.setString(4, change.rulesJson());
          insert.setString(5, change.reason());
          insert.setString(6, change.figuresJson());
          insert.executeUpdate();
        }
        try (PreparedStatement current =
            writer.prepareStatement(
                "INSERT INTO host_health (host_id, state, since_ms, reason, rules) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (host_id) DO UPDATE SET state = excluded.state,"
                    + " since_ms = excluded.since_ms, reason = excluded.reason, rules = excluded.rules")) {
          current.setString(1, change.hostId());
          current.setString(2, change.state());
          current.setLong(3, change.fromMs());
          current.setString(4, change.reason());
          current.setString(5, change.rulesJson());
          current.executeUpdate();
        }
        writer.commit();
      } catch (SQLException | RuntimeException e) {
        try {
          writer.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        if (e instanceof RuntimeException r) {
          throw r;
        }
        throw new StoreException(
            "recording the health of " + change.hostId() + " failed: " + e.getMessage(), e);
      } finally {
        try {
          writer.setAutoCommit(true);
        } catch (SQLException ignored) {
          // the next transaction sets it again
        }
      }
    }
  }

  private static final String SELECT_HEALTH =
      "SELECT host_id, state, since_ms, reason, rules FROM host_health";

  @Override
  public Map<String, HealthRecord> currentHealth() {
    return read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(SELECT_HEALTH);
              ResultSet rs = ps.executeQuery()) {
            Map<String, HealthRecord> out = new HashMap<>();
            while (rs.next()) {
              HealthRecord h = health(rs);
              out.put(h.hostId(), h);
            }
            return out;
          }
        });
  }

  @Override
  public Optional<HealthRecord> currentHealth(String hostId) {
    return read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(SELECT_HEALTH + " WHERE host_id = ?")) {
            ps.setString(1, hostId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(health(rs)) : Optional.empty();
            }
          }
        });
  }

  private static HealthRecord health(ResultSet rs) throws SQLException {
    return new HealthRecord(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5));
  }

  @Override
  public List<HealthInterval> healthIntervals(String hostId, long fromMs, long toMs) {
    return read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT host_id, state, from_ms, to_ms, rules, reason, figures FROM health_intervals"
                      + " WHERE host_id = ? AND from_ms < ? AND (to_ms IS NULL OR to_ms > ?)"
                      + " ORDER BY from_ms")) {
            ps.setString(1, hostId);
            ps.setLong(2, toMs);
            ps.setLong(3, fromMs);
            try (ResultSet rs = ps.executeQuery()) {
              List<HealthInterval> out = new ArrayList<>();
              while (rs.next()) {
                long to = rs.getLong(4);
                Long toOrNull = rs.wasNull() ? null : to;
                out.add(
                    new HealthInterval(
                        rs.getString(1), rs.getString(2), rs.getLong(3), toOrNull, rs.getString(5),
                        rs.getString(6), rs.getString(7)));
              }
              return out;
            }
          }
        });
  }

  @Override
  public long reportCount() {
    return read(
        c -> {
          try (Statement st = c.createStatement();
              ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM reports")) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  @Override
  public void addToken(TokenRecord t) {
    read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO tokens (id, name, role, hash, created_at_ms, revoked_at_ms)"
                      + " VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, t.id());
            ps.setString(2, t.name());
            ps.setString(3, t.role());
            ps.setString(4, t.sha256Hex());
            ps.setLong(5, t.createdAtMs());
            if (t.revokedAtMs() == null) {
              ps.setNull(6, Types.BIGINT);
            } else {
              ps.setLong(6, t.revokedAtMs());
            }
            ps.executeUpdate();
            return null;
          }
        });
  }

  @Override
  public Optional<TokenRecord> tokenByHash(String sha256Hex) {
    return read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, name, role, hash, created_at_ms, revoked_at_ms FROM tokens WHERE hash = ?")) {
            ps.setString(1, sha256Hex);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              long revoked = rs.getLong(6);
              Long revokedAt = rs.wasNull() ? null : revoked;
              return Optional.of(
                  new TokenRecord(
                      rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                      rs.getLong(5), revokedAt));
            }
          }
        });
  }

  @Override
  public boolean hasActiveToken(String role) {
    return read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT COUNT(*) FROM tokens WHERE role = ? AND revoked_at_ms IS NULL")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1) > 0;
            }
          }
        });
  }

  @Override
  public boolean ping() {
    try {
      return read(
          c -> {
            try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM schema_version")) {
              return rs.next();
            }
          });
    } catch (RuntimeException e) {
      return false;
    }
  }

  private interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T read(SqlWork<T> work) {
    checkOpen();
    Connection c;
    try {
      c = readers.poll(BUSY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a database connection");
    }
    if (c == null) {
      throw new StoreException("no database connection free after " + BUSY_TIMEOUT_MS + " ms");
    }
    try {
      return work.run(c);
    } catch (SQLException e) {
      throw new StoreException("database query failed on " + url + ": " + e.getMessage(), e);
    } finally {
      readers.add(c);
    }
  }

  private static void setNullableString(PreparedStatement ps, int i, String v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.VARCHAR);
    } else {
      ps.setString(i, v);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new StoreException("the store is closed");
    }
  }

  @Override
  public void close() {
    synchronized (writeLock) {
      if (closed) {
        return;
      }
      closed = true;
      for (Connection c : all) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // closing anyway
        }
      }
    }
  }

}

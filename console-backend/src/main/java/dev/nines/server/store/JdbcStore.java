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
 * The store over JDBC, for SQLite ({@link SqliteStore}) and PostgreSQL ({@link PostgresStore}): the
 * SQL is portable; what differs between the two is behind {@link Dialect} (how a connection is
 * opened and set up, how ids are made safe for several writers, which errors mean a lost
 * connection). One connection writes (reports, under {@code writeLock}); a few more serve reads and
 * the rare token write. A connection found broken (the server restarted, the network was cut) is
 * closed and opened again on its next use.
 */
abstract class JdbcStore implements Store {
  static final String MIGRATIONS = "/dev/nines/server/store/migrations";
  private static final int READERS = 4;
  private static final int BUSY_TIMEOUT_MS = 10_000;

  /** What differs between the databases. */
  interface Dialect {
    /** Opens one connection to {@code url} and sets it up (SQLite: its PRAGMAs). */
    Connection connect(String url) throws SQLException;

    /**
     * Runs the migrations on {@code c} with whatever keeps two processes from running them at once
     * (PostgreSQL: an advisory lock; SQLite: its write lock is enough).
     */
    default void migrate(Connection c, Clock clock) throws SQLException {
      Migrations.apply(c, Migrations.load(MIGRATIONS), clock);
    }

    /** Extra setup of the writer connection (SQLite: a bigger page cache). */
    default void prepareWriter(Connection writer) throws SQLException {}

    /**
     * Called in a write transaction before the next id of {@code table} is read as MAX + 1: makes
     * that safe against another process writing the same database (PostgreSQL: a table lock held
     * until COMMIT, so ids are also committed in order). SQLite has one writer process: nothing.
     */
    default void lockForIds(Connection c, String table) throws SQLException {}

    /** Whether this failure means the connection is lost and must be opened again. */
    default boolean broken(Connection c, SQLException e) {
      String state = e.getSQLState();
      if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
        return true;
      }
      try {
        return c.isClosed();
      } catch (SQLException ignored) {
        return true;
      }
    }

    /**
     * What a SELECT of the lease row in a fenced write transaction appends so that no takeover of
     * the lease can commit before that transaction does (PostgreSQL: {@code FOR SHARE}). SQLite's
     * write transactions already exclude each other: nothing.
     */
    default String fenceLock() {
      return "";
    }

    /** Whether the transaction failed only because it raced another one (worth one more try). */
    default boolean retryable(SQLException e) {
      return false;
    }

    /**
     * Whether several server processes may write this database (PostgreSQL): then the writer's
     * caches of rows another process may change are re-read after an age limit
     * ({@link #ROUTING_MAX_AGE_MS}, {@link #WATERMARKS_MAX_AGE_MS}). SQLite: one process.
     */
    default boolean sharedByProcesses() {
      return false;
    }
  }

  /** With several processes: how long the writer trusts a host's routing row it read. */
  static final long ROUTING_MAX_AGE_MS = 1_000;
  /** With several processes: how long the writer trusts retention's watermarks it read. */
  static final long WATERMARKS_MAX_AGE_MS = 60_000;

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
  /** Retention keeps each host's latest report: it is the host's last report (SELECT_HOSTS). */
  private static final String NOT_A_HOST_LATEST =
      " AND NOT EXISTS (SELECT 1 FROM hosts h WHERE h.id = reports.agent_id AND h.last_seq = reports.seq)";
  private static final String SELECT_HOSTS =
      "SELECT h.id, h.pool, h.labels, h.first_seen_ms, h.last_seen_ms, h.last_seq,"
          + " h.last_collected_at_ms, COALESCE(rep.body, h.last_report), r.state, r.reason, r.changed_at_ms,"
          + " r.changed_by FROM hosts h LEFT JOIN routing r ON r.host_id = h.id"
          + " LEFT JOIN reports rep ON rep.agent_id = h.id AND rep.seq = h.last_seq";

  private final String url;
  private final Dialect dialect;
  private Connection writer;
  private boolean writerBroken;
  private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
  private final List<Connection> all = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Object writeLock = new Object();
  private PreparedStatement insertReport;
  private PreparedStatement upsertHost;
  private PreparedStatement ensureRouting;
  private PreparedStatement selectRouting;
  private volatile boolean closed;
  /** Times the writer's caches; set by {@link #migrate}, before any use. */
  private Clock clock;

  /** {@code url} is shown in messages: give it without credentials. */
  JdbcStore(String url, Dialect dialect) throws SQLException {
    this.url = url;
    this.dialect = dialect;
    try {
      this.writer = connect();
      for (int i = 0; i < READERS; i++) {
        readers.add(connect());
      }
    } catch (SQLException e) {
      closeAll();
      throw e;
    }
  }

  /** Brings the schema up to date and prepares the writer; closes the store on failure. */
  static <S extends JdbcStore> S migrate(S opened, Clock clock) {
    JdbcStore store = opened;
    store.clock = clock;
    try {
      store.dialect.migrate(store.writer, clock);
      store.prepareWriter();
      return opened;
    } catch (SQLException | RuntimeException e) {
      store.close();
      if (e instanceof IllegalStateException) {
        throw (IllegalStateException) e;
      }
      throw new StoreException("cannot prepare the schema of " + store.url + ": " + e.getMessage(), e);
    }
  }

  private Connection connect() throws SQLException {
    Connection c = dialect.connect(url);
    all.add(c);
    return c;
  }

  private void prepareWriter() throws SQLException {
    dialect.prepareWriter(writer);
    insertReport = writer.prepareStatement(INSERT_REPORT);
    upsertHost = writer.prepareStatement(UPSERT_HOST);
    ensureRouting = writer.prepareStatement(ENSURE_ROUTING);
    selectRouting = writer.prepareStatement(SELECT_ROUTING);
    insertHostSample = null; // prepared again on first use (addSamples)
  }

  /** Under {@code writeLock}: opens the writer again when its connection was found broken. */
  private void ensureWriter() {
    try {
      if (!writerBroken && !writer.isClosed()) {
        return;
      }
    } catch (SQLException e) {
      // treated as broken
    }
    quietlyClose(writer);
    try {
      writer = connect();
      prepareWriter();
      writerBroken = false;
    } catch (SQLException e) {
      writerBroken = true;
      throw new StoreException("cannot reconnect to the database " + url + ": " + e.getMessage(), e);
    }
  }

  /** Under {@code writeLock}: notes that the writer's connection is lost when this failure says so. */
  private void noteWriterFailure(SQLException e) {
    if (dialect.broken(writer, e)) {
      writerBroken = true;
    }
  }

  /** A new connection of this store's kind, set up as its own are; the caller closes it. */
  Connection newConnection() throws SQLException {
    return dialect.connect(url);
  }

  private void quietlyClose(Connection c) {
    all.remove(c);
    try {
      c.close();
    } catch (SQLException ignored) {
      // it is being replaced
    }
  }

  @Override
  public List<WriteResult> writeReports(List<ReportRecord> batch) {
    if (batch.isEmpty()) {
      return List.of();
    }
    synchronized (writeLock) {
      checkOpen();
      ensureWriter();
      for (int attempt = 1; ; attempt++) {
        try {
          return writeReportsOnce(batch);
        } catch (SQLException e) {
          noteWriterFailure(e);
          if (attempt < 3 && !writerBroken && dialect.retryable(e)) {
            continue; // it raced another writer (a deadlock detected by the server): nothing was stored
          }
          throw new StoreException("storing " + batch.size() + " reports failed: " + e.getMessage(), e);
        }
      }
    }
  }

  /** One try of a batch, in one transaction; rolled back on failure. Under {@code writeLock}. */
  private List<WriteResult> writeReportsOnce(List<ReportRecord> batch) throws SQLException {
    {
      discardSamples();
      List<WriteResult> out = new ArrayList<>(batch.size());
      Map<String, RoutingRecord> routingSeen = new HashMap<>();
      long nowMs = clock.millis();
      try {
        writer.setAutoCommit(false);
        refreshRoutingIfOld(nowMs);
        for (ReportRecord r : batch) {
          insertReport.setString(1, r.agentId());
          insertReport.setLong(2, r.seq());
          insertReport.setLong(3, r.collectedAtMs());
          insertReport.setLong(4, r.receivedAtMs());
          insertReport.setString(5, r.bodyJson());
          boolean duplicate = prunedBefore(r, nowMs) || insertReport.executeUpdate() == 0;
          if (!duplicate) {
            addSamples(r);
            upsertHost.setString(1, r.agentId());
            setNullableString(upsertHost, 2, r.pool());
            upsertHost.setString(3, r.labelsJson());
            upsertHost.setLong(4, r.receivedAtMs());
            upsertHost.setLong(5, r.receivedAtMs());
            upsertHost.setLong(6, r.seq());
            upsertHost.setLong(7, r.collectedAtMs());
            // The latest report is read from its row in reports (see SELECT_HOSTS; retention keeps
            // each host's latest row), not written a second time here: '' (it was a copy of it
            // until migration 007; a host not heard from since keeps its old copy).
            upsertHost.setString(8, "");
            upsertHost.executeUpdate();
            if (!routingSeen.containsKey(r.agentId()) && !routingKnown.containsKey(r.agentId())) {
              ensureRouting.setString(1, r.agentId());
              ensureRouting.setLong(2, r.receivedAtMs());
              if (ensureRouting.executeUpdate() == 1) {
                openFirstRouting(r.agentId(), r.receivedAtMs());
              }
            }
          }
          RoutingRecord routing = routingSeen.get(r.agentId());
          if (routing == null) {
            routing = routingKnown.get(r.agentId());
            if (routing == null) {
              routing = readRouting(r.agentId());
            }
            routingSeen.put(r.agentId(), routing);
          }
          out.add(new WriteResult(r, duplicate, routing));
        }
        flushSamples();
        writer.commit();
        rememberRouting(routingSeen);
        return out;
      } catch (SQLException e) {
        discardSamples();
        try {
          writer.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
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
    inWriteTransaction(
        "recording the health of " + change.hostId(),
        c -> {
          closeOpenInterval(c, "health_intervals", change.hostId(), change.fromMs(), "change.fromMs", "interval's");
          try (PreparedStatement insert =
              c.prepareStatement(
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
              c.prepareStatement(
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
          return null;
        });
  }

  /**
   * Closes a host's open interval in {@code table} (health or routing) at {@code atMs}, in the
   * caller's transaction.
   *
   * @throws IllegalArgumentException naming {@code field} when the open interval starts after atMs
   */
  private static void closeOpenInterval(
      Connection c, String table, String hostId, long atMs, String field, String interval) throws SQLException {
    try (PreparedStatement open =
        c.prepareStatement("SELECT MAX(from_ms) FROM " + table + " WHERE host_id = ? AND to_ms IS NULL")) {
      open.setString(1, hostId);
      try (ResultSet rs = open.executeQuery()) {
        if (rs.next()) {
          long openFrom = rs.getLong(1);
          if (!rs.wasNull() && openFrom > atMs) {
            throw new IllegalArgumentException(
                field + " (" + atMs + ") is before the open " + interval + " start (" + openFrom + ") of host "
                    + hostId);
          }
        }
      }
    }
    try (PreparedStatement close =
        c.prepareStatement("UPDATE " + table + " SET to_ms = ? WHERE host_id = ? AND to_ms IS NULL")) {
      close.setLong(1, atMs);
      close.setString(2, hostId);
      close.executeUpdate();
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
    writeOnReader(
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

  /** Runs a query on a reader connection; once more on a new connection when it was broken. */
  private <T> T read(SqlWork<T> work) {
    return onReader(work, true);
  }

  /** Runs a single autocommitted write on a reader connection (the rare token write): no retry. */
  private <T> T writeOnReader(SqlWork<T> work) {
    return onReader(work, false);
  }

  private <T> T onReader(SqlWork<T> work, boolean retryOnBroken) {
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
      for (int attempt = 1; ; attempt++) {
        try {
          if (c.isClosed()) { // found broken by an earlier use
            Connection fresh = connect();
            quietlyClose(c);
            c = fresh;
          }
          return work.run(c);
        } catch (SQLException e) {
          if (!dialect.broken(c, e)) {
            throw e;
          }
          quietlyClose(c); // this slot connects again
          if (attempt == 2 || !retryOnBroken) {
            throw e;
          }
          // a read changes nothing: once more on a new connection (the server restarted, say)
        }
      }
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
      closeAll();
    }
  }

  private void closeAll() {
    synchronized (all) {
      for (Connection c : all) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // closing anyway
        }
      }
      all.clear();
    }
  }

  // --- routing intervals and pools ---

  /** The ACTIVE interval of a host's first report, opened in the writer's transaction. */
  private void openFirstRouting(String hostId, long atMs) throws SQLException {
    try (PreparedStatement ps =
        writer.prepareStatement(
            "INSERT INTO routing_intervals (host_id, state, reason, changed_by, from_ms, to_ms)"
                + " VALUES (?, 'ACTIVE', NULL, '" + RoutingRecord.SYSTEM + "', ?, NULL)")) {
      ps.setString(1, hostId);
      ps.setLong(2, atMs);
      ps.executeUpdate();
    }
  }

  @Override
  public void recordRoutingChange(String hostId, String state, String reason, String changedBy, long atMs) {
    recordRoutingChange(hostId, state, reason, changedBy, atMs, null);
  }

  @Override
  public void recordRoutingChange(
      String hostId, String state, String reason, String changedBy, long atMs, Long untilMs) {
    if (hostId == null || hostId.isEmpty()) {
      throw new IllegalArgumentException("hostId is required");
    }
    RoutingState parsed;
    try {
      parsed = RoutingState.valueOf(state == null ? "" : state);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("state must be ACTIVE, DRAINING, DRAINED or MAINTENANCE (was " + state + ")");
    }
    if (changedBy == null || changedBy.isEmpty()) {
      throw new IllegalArgumentException("changedBy is required");
    }
    inWriteTransaction(
        "recording the routing of " + hostId,
        c -> {
          closeOpenInterval(c, "routing_intervals", hostId, atMs, "atMs", "routing interval's");
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO routing_intervals (host_id, state, reason, changed_by, from_ms, to_ms)"
                      + " VALUES (?, ?, ?, ?, ?, NULL)")) {
            insert.setString(1, hostId);
            insert.setString(2, parsed.name());
            setNullableString(insert, 3, reason);
            insert.setString(4, changedBy);
            insert.setLong(5, atMs);
            insert.executeUpdate();
          }
          try (PreparedStatement current =
              c.prepareStatement(
                  "INSERT INTO routing (host_id, state, reason, changed_at_ms, changed_by, until_ms)"
                      + " VALUES (?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT (host_id) DO UPDATE SET state = excluded.state, reason = excluded.reason,"
                      + " changed_at_ms = excluded.changed_at_ms, changed_by = excluded.changed_by,"
                      + " until_ms = excluded.until_ms")) {
            current.setString(1, hostId);
            current.setString(2, parsed.name());
            setNullableString(current, 3, reason);
            current.setLong(4, atMs);
            current.setString(5, changedBy);
            if (untilMs == null) {
              current.setNull(6, java.sql.Types.BIGINT);
            } else {
              current.setLong(6, untilMs);
            }
            current.executeUpdate();
          }
          // Under the write lock until COMMIT: the next batch re-reads this host's routing row.
          routingKnown.remove(hostId);
          return null;
        });
  }

  @Override
  public List<RoutingInterval> routingIntervals(String hostId, long fromMs, long toMs) {
    return read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT host_id, state, reason, changed_by, from_ms, to_ms FROM routing_intervals"
                      + " WHERE host_id = ? AND from_ms < ? AND (to_ms IS NULL OR to_ms > ?)"
                      + " ORDER BY from_ms")) {
            ps.setString(1, hostId);
            ps.setLong(2, toMs);
            ps.setLong(3, fromMs);
            try (ResultSet rs = ps.executeQuery()) {
              List<RoutingInterval> out = new ArrayList<>();
              while (rs.next()) {
                long to = rs.getLong(6);
                Long toOrNull = rs.wasNull() ? null : to;
                out.add(
                    new RoutingInterval(
                        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), toOrNull));
              }
              return out;
            }
          }
        });
  }


  // --- incidents ---

  /** Runs {@code work} in ONE transaction on the writer connection; rolls back on any failure. */
  private <T> T inWriteTransaction(String what, SqlWork<T> work) {
    synchronized (writeLock) {
      checkOpen();
      ensureWriter();
      try {
        writer.setAutoCommit(false);
        String fenceName = this.fenceName;
        if (fenceName != null) {
          long token = fenceToken.getAsLong();
          if (token <= 0) {
            throw new FencedException(fenceName, token, null);
          }
          LeaseSql.checkFence(writer, fenceName, token, dialect.fenceLock());
        }
        T result = work.run(writer);
        writer.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        if (e instanceof SQLException sql) {
          noteWriterFailure(sql);
        }
        try {
          writer.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        if (e instanceof RuntimeException r) {
          throw r;
        }
        throw new StoreException(what + " failed: " + e.getMessage(), e);
      } finally {
        try {
          writer.setAutoCommit(true);
        } catch (SQLException ignored) {
          // the next transaction sets it again
        }
      }
    }
  }

  // --- the leader lease ---

  private volatile String fenceName;
  private volatile java.util.function.LongSupplier fenceToken = () -> 0;

  @Override
  public dev.nines.server.leader.Lease acquireLease(
      String name, String holder, String holderUrl, long token, long nowMs, long ttlMs) {
    return inLeaseTransaction(
        "renewing the lease " + name, c -> LeaseSql.acquire(c, name, holder, holderUrl, token, nowMs, ttlMs));
  }

  @Override
  public boolean releaseLease(String name, String holder, long token, long nowMs) {
    return inLeaseTransaction("releasing the lease " + name, c -> LeaseSql.release(c, name, holder, token, nowMs));
  }

  @Override
  public Optional<dev.nines.server.leader.Lease> lease(String name) {
    return read(c -> Optional.ofNullable(LeaseSql.read(c, name, "")));
  }

  @Override
  public void fence(String name, java.util.function.LongSupplier token) {
    if (name == null || name.isBlank() || token == null) {
      throw new IllegalArgumentException("name and token are required");
    }
    this.fenceToken = token;
    this.fenceName = name;
  }

  /**
   * The lease's own transactions: on a reader connection of their own (a renewal must not wait
   * behind a long write of this replica, nor be fenced itself).
   */
  private <T> T inLeaseTransaction(String what, SqlWork<T> work) {
    return writeOnReader(
        c -> {
          c.setAutoCommit(false);
          try {
            T result = work.run(c);
            c.commit();
            return result;
          } catch (SQLException | RuntimeException e) {
            try {
              c.rollback();
            } catch (SQLException suppressed) {
              e.addSuppressed(suppressed);
            }
            throw e;
          } finally {
            try {
              c.setAutoCommit(true);
            } catch (SQLException ignored) {
              // a broken connection: its slot connects again at the next use
            }
          }
        });
  }

  private long nextId(Connection c, String table) throws SQLException {
    dialect.lockForIds(c, table);
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(id), 0) FROM " + table)) {
      rs.next();
      return rs.getLong(1) + 1;
    }
  }

  private static void insertIncidentEvent(Connection c, long incidentId, IncidentEventRecord e)
      throws SQLException {
    int seq;
    try (PreparedStatement ps =
        c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM incident_events WHERE incident_id = ?")) {
      ps.setLong(1, incidentId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        seq = rs.getInt(1) + 1;
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO incident_events (incident_id, seq, at_ms, type, state, text, detail)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, incidentId);
      ps.setInt(2, seq);
      ps.setLong(3, e.atMs());
      ps.setString(4, e.type());
      setNullableString(ps, 5, e.state());
      ps.setString(6, e.text());
      ps.setString(7, e.detailJson());
      ps.executeUpdate();
    }
  }

  @Override
  public long openIncident(IncidentRecord incident, IncidentEventRecord first) {
    if (!IncidentRecord.OPEN.equals(incident.state())) {
      throw new IllegalArgumentException("incident.state must be open");
    }
    return inWriteTransaction(
        "opening an incident of " + incident.subject(),
        c -> {
          long id = nextId(c, "incidents");
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO incidents (id, kind, subject, state, severity, current_state, opened_at_ms,"
                      + " closed_at_ms, cause) VALUES (?, ?, ?, 'open', ?, ?, ?, NULL, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, incident.kind());
            ps.setString(3, incident.subject());
            ps.setString(4, incident.severity());
            ps.setString(5, incident.currentState());
            ps.setLong(6, incident.openedAtMs());
            ps.setString(7, incident.causeJson());
            ps.executeUpdate();
          }
          insertIncidentEvent(c, id, first);
          return id;
        });
  }

  @Override
  public void addIncidentEvent(long incidentId, String severity, String currentState, IncidentEventRecord entry) {
    inWriteTransaction(
        "recording a change of incident " + incidentId,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE incidents SET severity = ?, current_state = ? WHERE id = ?")) {
            ps.setString(1, severity);
            ps.setString(2, currentState);
            ps.setLong(3, incidentId);
            if (ps.executeUpdate() == 0) {
              throw new IllegalArgumentException("no incident with id " + incidentId);
            }
          }
          insertIncidentEvent(c, incidentId, entry);
          return null;
        });
  }

  @Override
  public void closeIncident(long incidentId, long closedAtMs, String currentState, IncidentEventRecord entry) {
    inWriteTransaction(
        "closing incident " + incidentId,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE incidents SET state = 'closed', closed_at_ms = ?, current_state = ?"
                      + " WHERE id = ? AND state = 'open'")) {
            ps.setLong(1, closedAtMs);
            ps.setString(2, currentState);
            ps.setLong(3, incidentId);
            if (ps.executeUpdate() == 0) {
              throw new IllegalArgumentException("no open incident with id " + incidentId);
            }
          }
          insertIncidentEvent(c, incidentId, entry);
          return null;
        });
  }

  private static final String SELECT_INCIDENT =
      "SELECT id, kind, subject, state, severity, current_state, opened_at_ms, closed_at_ms, cause"
          + " FROM incidents";

  private static IncidentRecord incident(ResultSet rs) throws SQLException {
    long closed = rs.getLong(8);
    Long closedAt = rs.wasNull() ? null : closed;
    return new IncidentRecord(
        rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
        rs.getLong(7), closedAt, rs.getString(9));
  }

  private static List<IncidentRecord> incidents(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      List<IncidentRecord> out = new ArrayList<>();
      while (rs.next()) {
        out.add(incident(rs));
      }
      return out;
    }
  }

  @Override
  public List<IncidentRecord> openIncidents() {
    return read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(SELECT_INCIDENT + " WHERE state = 'open' ORDER BY opened_at_ms, id")) {
            return incidents(ps);
          }
        });
  }

  @Override
  public Optional<IncidentRecord> incident(long id) {
    return read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(SELECT_INCIDENT + " WHERE id = ?")) {
            ps.setLong(1, id);
            return incidents(ps).stream().findFirst();
          }
        });
  }

  @Override
  public List<IncidentRecord> incidents(IncidentQuery q) {
    StringBuilder sql = new StringBuilder(SELECT_INCIDENT + " WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (q.state() != null) {
      sql.append(" AND state = ?");
      args.add(q.state());
    }
    if (q.kind() != null) {
      sql.append(" AND kind = ?");
      args.add(q.kind());
    }
    if (q.subject() != null) {
      sql.append(" AND subject = ?");
      args.add(q.subject());
    }
    if (q.toMs() != null) {
      sql.append(" AND opened_at_ms < ?");
      args.add(q.toMs());
    }
    if (q.fromMs() != null) {
      sql.append(" AND (closed_at_ms IS NULL OR closed_at_ms > ?)");
      args.add(q.fromMs());
    }
    if (q.afterId() != null) {
      sql.append(" AND (opened_at_ms < ? OR (opened_at_ms = ? AND id < ?))");
      args.add(q.afterOpenedAtMs());
      args.add(q.afterOpenedAtMs());
      args.add(q.afterId());
    }
    sql.append(" ORDER BY opened_at_ms DESC, id DESC LIMIT ?");
    args.add((long) q.limit());
    return read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
              Object a = args.get(i);
              if (a instanceof Long l) {
                ps.setLong(i + 1, l);
              } else {
                ps.setString(i + 1, (String) a);
              }
            }
            return incidents(ps);
          }
        });
  }

  @Override
  public Map<Long, List<IncidentEventRecord>> incidentEvents(java.util.Collection<Long> incidentIds, String type) {
    Map<Long, List<IncidentEventRecord>> out = new java.util.LinkedHashMap<>();
    if (incidentIds.isEmpty()) {
      return out;
    }
    List<Long> ids = List.copyOf(new java.util.LinkedHashSet<>(incidentIds));
    String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
    String sql =
        "SELECT incident_id, seq, at_ms, type, state, text, detail FROM incident_events WHERE incident_id IN ("
            + marks + ")" + (type == null ? "" : " AND type = ?") + " ORDER BY incident_id, seq";
    return read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < ids.size(); i++) {
              ps.setLong(i + 1, ids.get(i));
            }
            if (type != null) {
              ps.setString(ids.size() + 1, type);
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                IncidentEventRecord e =
                    new IncidentEventRecord(
                        rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7));
                out.computeIfAbsent(e.incidentId(), k -> new ArrayList<>()).add(e);
              }
            }
            return out;
          }
        });
  }

  @Override
  public long appendEvent(String type, long atMs, String dataJson) {
    StoredEvent checked = new StoredEvent(0, atMs, type, dataJson);
    return inWriteTransaction(
        "storing a " + type + " event",
        c -> {
          long id = nextId(c, "events");
          try (PreparedStatement ps =
              c.prepareStatement("INSERT INTO events (id, at_ms, type, data) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setLong(2, checked.atMs());
            ps.setString(3, checked.type());
            ps.setString(4, checked.dataJson());
            ps.executeUpdate();
          }
          return id;
        });
  }

  @Override
  public List<StoredEvent> eventsAfter(long afterId, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1 (was " + limit + ")");
    }
    return read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT id, at_ms, type, data FROM events WHERE id > ? ORDER BY id LIMIT ?")) {
            ps.setLong(1, afterId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
              List<StoredEvent> out = new ArrayList<>();
              while (rs.next()) {
                out.add(new StoredEvent(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
              }
              return out;
            }
          }
        });
  }

  /** Reports read by key per query ({@link #reports(List)}). */
  private static final int REPORTS_BY_KEY = 100;

  @Override
  public List<ReportKey> reportKeysReceivedAfter(long receivedAtMs, String agentId, long seq, int limit) {
    if (agentId == null) {
      throw new IllegalArgumentException("agentId is required (\"\" for the first page)");
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1 (was " + limit + ")");
    }
    return read(
        c -> {
          // The first bound alone lets the reports_received index serve the range.
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT agent_id, seq, received_at_ms, collected_at_ms FROM reports"
                      + " WHERE received_at_ms >= ? AND (received_at_ms > ? OR (received_at_ms = ?"
                      + " AND (agent_id > ? OR (agent_id = ? AND seq > ?))))"
                      + " ORDER BY received_at_ms, agent_id, seq LIMIT ?")) {
            ps.setLong(1, receivedAtMs);
            ps.setLong(2, receivedAtMs);
            ps.setLong(3, receivedAtMs);
            ps.setString(4, agentId);
            ps.setString(5, agentId);
            ps.setLong(6, seq);
            ps.setInt(7, limit);
            try (ResultSet rs = ps.executeQuery()) {
              List<ReportKey> out = new ArrayList<>();
              while (rs.next()) {
                out.add(new ReportKey(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
              }
              return out;
            }
          }
        });
  }

  @Override
  public List<ReportRecord> reports(List<ReportKey> keys) {
    if (keys.isEmpty()) {
      return List.of();
    }
    Map<String, ReportRecord> found = new HashMap<>();
    for (int from = 0; from < keys.size(); from += REPORTS_BY_KEY) {
      List<ReportKey> chunk = keys.subList(from, Math.min(keys.size(), from + REPORTS_BY_KEY));
      StringBuilder sql =
          new StringBuilder(
              "SELECT r.agent_id, r.seq, r.collected_at_ms, r.received_at_ms, r.body, h.pool, h.labels"
                  + " FROM reports r LEFT JOIN hosts h ON h.id = r.agent_id WHERE ");
      for (int i = 0; i < chunk.size(); i++) {
        sql.append(i == 0 ? "" : " OR ").append("(r.agent_id = ? AND r.seq = ?)");
      }
      read(
          c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
              int p = 1;
              for (ReportKey k : chunk) {
                ps.setString(p++, k.agentId());
                ps.setLong(p++, k.seq());
              }
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  String labels = rs.getString(7);
                  ReportRecord r =
                      new ReportRecord(
                          rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(6),
                          labels == null ? "{}" : labels, rs.getString(5));
                  found.put(r.agentId() + '\n' + r.seq(), r);
                }
              }
            }
            return null;
          });
    }
    List<ReportRecord> out = new ArrayList<>(found.size());
    for (ReportKey k : keys) {
      ReportRecord r = found.get(k.agentId() + '\n' + k.seq());
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  @Override
  public long lastEventId() {
    return read(
        c -> {
          try (Statement st = c.createStatement();
              ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(id), 0) FROM events")) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  @Override
  public int pruneEvents(long olderThanMs, int keepNewest) {
    if (keepNewest < 1) {
      throw new IllegalArgumentException("keepNewest must be >= 1 (was " + keepNewest + ")");
    }
    return inWriteTransaction(
        "pruning events",
        c -> {
          long newest;
          try (Statement st = c.createStatement();
              ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(id), 0) FROM events")) {
            rs.next();
            newest = rs.getLong(1);
          }
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM events WHERE id < ? AND (at_ms < ? OR id <= ?)")) {
            ps.setLong(1, newest);
            ps.setLong(2, olderThanMs);
            ps.setLong(3, newest - keepNewest);
            return ps.executeUpdate();
          }
        });
  }

  // --- samples ---

  private static final long MINUTE_MS = 60_000;
  private static final long HOUR_MS = 3_600_000;
  private static final String MINUTE = Resolution.MINUTE.label();
  private static final String HOUR = Resolution.HOUR.label();

  /**
   * Per agent, the highest seq whose report row retention removed; loaded on first use (and, with
   * several processes on the database, again when older than {@link #WATERMARKS_MAX_AGE_MS}: another
   * replica's retention raises them), under writeLock.
   */
  private Map<String, Long> prunedThrough;
  private long prunedThroughReadAtMs;
  private PreparedStatement insertHostSample;
  private PreparedStatement insertGpuSample;
  private PreparedStatement insertEndpointSample;
  private PreparedStatement markMinuteDirty;
  // Sorted: two writers on one database mark shared minutes in the same order (no deadlock).
  private final java.util.Set<Long> dirtyMinutes = new java.util.TreeSet<>();
  private boolean samplesPending;

  /** True when retention already removed this agent's reports up to this seq or beyond. */
  private boolean prunedBefore(ReportRecord r, long nowMs) throws SQLException {
    if (prunedThrough == null
        || (dialect.sharedByProcesses() && nowMs - prunedThroughReadAtMs > WATERMARKS_MAX_AGE_MS)) {
      Map<String, Long> loaded = new HashMap<>();
      try (Statement st = writer.createStatement();
          ResultSet rs = st.executeQuery("SELECT agent_id, pruned_through_seq FROM report_watermarks")) {
        while (rs.next()) {
          loaded.put(rs.getString(1), rs.getLong(2));
        }
      }
      prunedThrough = loaded;
      prunedThroughReadAtMs = nowMs;
    }
    Long through = prunedThrough.get(r.agentId());
    return through != null && r.seq() <= through;
  }

  /** Queues the report's samples in the batch of this transaction (no round trip). */
  private void addSamples(ReportRecord r) throws SQLException {
    ReportSamples s = r.samples();
    if (s.host() == null && s.gpus().isEmpty() && s.endpoints().isEmpty()) {
      return;
    }
    if (insertHostSample == null) {
      insertHostSample = writer.prepareStatement(SampleSchema.HOST.insertRaw());
      insertGpuSample = writer.prepareStatement(SampleSchema.GPU.insertRaw());
      insertEndpointSample = writer.prepareStatement(SampleSchema.ENDPOINT.insertRaw());
      markMinuteDirty =
          writer.prepareStatement(
              "INSERT INTO rollup_dirty (resolution, bucket_ms) VALUES ('" + MINUTE + "', ?)"
                  + " ON CONFLICT (resolution, bucket_ms) DO NOTHING");
    }
    long ts = r.collectedAtMs();
    if (s.host() != null) {
      ReportSamples.HostSample h = s.host();
      PreparedStatement ps = insertHostSample;
      ps.setString(1, r.agentId());
      ps.setLong(2, ts);
      setNullableDouble(ps, 3, h.cpuUtilRatio());
      setNullableDouble(ps, 4, h.memoryUsedRatio());
      setNullableDouble(ps, 5, h.memoryUsedBytes());
      setNullableDouble(ps, 6, h.load1());
      setNullableDouble(ps, 7, h.netRxBytesPerSecond());
      setNullableDouble(ps, 8, h.netTxBytesPerSecond());
      ps.addBatch();
    }
    for (ReportSamples.GpuSample g : s.gpus()) {
      PreparedStatement ps = insertGpuSample;
      ps.setString(1, r.agentId());
      ps.setInt(2, g.index());
      ps.setLong(3, ts);
      setNullableDouble(ps, 4, g.utilRatio());
      setNullableDouble(ps, 5, g.memoryUsedRatio());
      setNullableDouble(ps, 6, g.temperatureCelsius());
      setNullableDouble(ps, 7, g.powerWatts());
      setNullableDouble(ps, 8, g.eccUncorrected());
      ps.addBatch();
    }
    for (ReportSamples.EndpointSample e : s.endpoints()) {
      PreparedStatement ps = insertEndpointSample;
      ps.setString(1, r.agentId());
      ps.setString(2, e.endpoint());
      ps.setLong(3, ts);
      setNullableDouble(ps, 4, e.healthOk());
      setNullableDouble(ps, 5, e.healthLatencyMs());
      setNullableDouble(ps, 6, e.generationOk());
      setNullableDouble(ps, 7, e.generationLatencyMs());
      setNullableDouble(ps, 8, e.latencyP95Ms());
      setNullableLong(ps, 9, e.requests());
      setNullableLong(ps, 10, e.errors());
      setNullableDouble(ps, 11, e.latencyP50Ms());
      setNullableDouble(ps, 12, e.latencyP99Ms());
      ps.addBatch();
    }
    dirtyMinutes.add(Math.floorDiv(ts, MINUTE_MS) * MINUTE_MS);
    samplesPending = true;
  }

  /** Writes the queued samples and marks their minutes for the rollup job, in the open transaction. */
  private void flushSamples() throws SQLException {
    if (!samplesPending) {
      return;
    }
    insertHostSample.executeBatch();
    insertGpuSample.executeBatch();
    insertEndpointSample.executeBatch();
    for (long minute : dirtyMinutes) {
      markMinuteDirty.setLong(1, minute);
      markMinuteDirty.addBatch();
    }
    markMinuteDirty.executeBatch();
    dirtyMinutes.clear();
    samplesPending = false;
  }

  private void discardSamples() {
    dirtyMinutes.clear();
    if (!samplesPending) {
      return;
    }
    samplesPending = false;
    for (PreparedStatement ps :
        List.of(insertHostSample, insertGpuSample, insertEndpointSample, markMinuteDirty)) {
      try {
        ps.clearBatch();
      } catch (SQLException ignored) {
        // the statement is reset by the next batch anyway
      }
    }
  }

  private static void setNullableDouble(PreparedStatement ps, int i, Double v) throws SQLException {
    if (v == null || v.isNaN() || v.isInfinite()) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, v);
    }
  }

  private static void setNullableLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }


  @Override
  public RollupRun rollUp(long nowMs, long rawFloorMs, long minuteFloorMs, int maxBuckets) {
    if (maxBuckets < 1) {
      throw new IllegalArgumentException("maxBuckets must be >= 1 (was " + maxBuckets + ")");
    }
    int[] counts = new int[3];
    for (long bucket : dirtyBuckets(MINUTE, nowMs - MINUTE_MS, maxBuckets)) {
      boolean drop = bucket < rawFloorMs;
      inWriteTransaction(
          "rolling up the minute at " + bucket,
          c -> {
            if (!drop) {
              recompute(c, Resolution.MINUTE, bucket);
              markDirty(c, HOUR, Math.floorDiv(bucket, HOUR_MS) * HOUR_MS);
            }
            clearDirty(c, MINUTE, bucket);
            return null;
          });
      counts[drop ? 2 : 0]++;
    }
    for (long bucket : dirtyBuckets(HOUR, nowMs - HOUR_MS, maxBuckets)) {
      boolean drop = bucket < minuteFloorMs;
      inWriteTransaction(
          "rolling up the hour at " + bucket,
          c -> {
            if (!drop) {
              recompute(c, Resolution.HOUR, bucket);
            }
            clearDirty(c, HOUR, bucket);
            return null;
          });
      counts[drop ? 2 : 1]++;
    }
    boolean more =
        inWriteTransaction(
            "recording the rollup watermarks",
            c -> {
              long minuteEnd = Math.floorDiv(nowMs, MINUTE_MS) * MINUTE_MS;
              long hourEnd = Math.floorDiv(nowMs, HOUR_MS) * HOUR_MS;
              Long oldestMinute = oldestDirty(c, MINUTE);
              Long oldestHour = oldestDirty(c, HOUR);
              long through1m = oldestMinute == null ? minuteEnd : Math.min(minuteEnd, oldestMinute);
              long through1h =
                  Math.min(
                      Math.min(hourEnd, Math.floorDiv(through1m, HOUR_MS) * HOUR_MS),
                      oldestHour == null ? Long.MAX_VALUE : oldestHour);
              setThrough(c, MINUTE, through1m);
              setThrough(c, HOUR, through1h);
              return (oldestMinute != null && oldestMinute + MINUTE_MS <= nowMs)
                  || (oldestHour != null && oldestHour + HOUR_MS <= nowMs);
            });
    return new RollupRun(counts[0], counts[1], counts[2], more);
  }

  private List<Long> dirtyBuckets(String resolution, long startAtMost, int limit) {
    return inWriteTransaction(
        "reading the changed " + resolution + " buckets",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT bucket_ms FROM rollup_dirty WHERE resolution = ? AND bucket_ms <= ?"
                      + " ORDER BY bucket_ms LIMIT ?")) {
            ps.setString(1, resolution);
            ps.setLong(2, startAtMost);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
              List<Long> out = new ArrayList<>();
              while (rs.next()) {
                out.add(rs.getLong(1));
              }
              return out;
            }
          }
        });
  }

  private static void recompute(Connection c, Resolution target, long bucket) throws SQLException {
    for (SampleSchema.Table t : SampleSchema.TABLES) {
      try (PreparedStatement del = c.prepareStatement(t.deleteBucket(target))) {
        del.setLong(1, bucket);
        del.executeUpdate();
      }
      try (PreparedStatement ins = c.prepareStatement(t.rollUp(target))) {
        ins.setLong(1, bucket);
        ins.setLong(2, bucket);
        ins.setLong(3, bucket + target.bucketMs());
        ins.executeUpdate();
      }
    }
  }

  private static void markDirty(Connection c, String resolution, long bucket) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO rollup_dirty (resolution, bucket_ms) VALUES (?, ?)"
                + " ON CONFLICT (resolution, bucket_ms) DO NOTHING")) {
      ps.setString(1, resolution);
      ps.setLong(2, bucket);
      ps.executeUpdate();
    }
  }

  private static void clearDirty(Connection c, String resolution, long bucket) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM rollup_dirty WHERE resolution = ? AND bucket_ms = ?")) {
      ps.setString(1, resolution);
      ps.setLong(2, bucket);
      ps.executeUpdate();
    }
  }

  private static Long oldestDirty(Connection c, String resolution) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT MIN(bucket_ms) FROM rollup_dirty WHERE resolution = ?")) {
      ps.setString(1, resolution);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long v = rs.getLong(1);
        return rs.wasNull() ? null : v;
      }
    }
  }

  private static void setThrough(Connection c, String resolution, long throughMs) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO rollup_state (resolution, through_ms) VALUES (?, ?)"
                + " ON CONFLICT (resolution) DO UPDATE SET through_ms = excluded.through_ms")) {
      ps.setString(1, resolution);
      ps.setLong(2, throughMs);
      ps.executeUpdate();
    }
  }

  @Override
  public java.util.OptionalLong rolledThrough(Resolution resolution) {
    if (resolution == Resolution.RAW) {
      throw new IllegalArgumentException("resolution: raw samples are not rolled up");
    }
    return read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT through_ms FROM rollup_state WHERE resolution = ?")) {
            ps.setString(1, resolution.label());
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? java.util.OptionalLong.of(rs.getLong(1)) : java.util.OptionalLong.empty();
            }
          }
        });
  }

  @Override
  public long prune(Resolution resolution, long beforeMs, long sliceMs) {
    if (sliceMs < 1) {
      throw new IllegalArgumentException("sliceMs must be >= 1 (was " + sliceMs + ")");
    }
    return inWriteTransaction(
        "pruning " + resolution.label() + " samples before " + beforeMs,
        c -> {
          long deleted = 0;
          for (SampleSchema.Table t : SampleSchema.TABLES) {
            String table = t.name(resolution);
            String time = t.timeColumn(resolution);
            Long oldest = oldest(c, "SELECT MIN(" + time + ") FROM " + table + " WHERE " + time + " < ?", beforeMs);
            if (oldest == null) {
              continue;
            }
            try (PreparedStatement del = c.prepareStatement("DELETE FROM " + table + " WHERE " + time + " < ?")) {
              del.setLong(1, Math.min(beforeMs, oldest + sliceMs));
              deleted += del.executeUpdate();
            }
          }
          return deleted;
        });
  }

  private static Long oldest(Connection c, String sql, long param) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long v = rs.getLong(1);
        return rs.wasNull() ? null : v;
      }
    }
  }

  @Override
  public long pruneReports(long beforeMs, long sliceMs) {
    if (sliceMs < 1) {
      throw new IllegalArgumentException("sliceMs must be >= 1 (was " + sliceMs + ")");
    }
    Map<String, Long> raised = new HashMap<>();
    long deleted =
        inWriteTransaction(
            "pruning reports received before " + beforeMs,
            c -> {
              Long oldest =
                  oldest(
                      c, "SELECT MIN(received_at_ms) FROM reports WHERE received_at_ms < ?" + NOT_A_HOST_LATEST,
                      beforeMs);
              if (oldest == null) {
                return 0L;
              }
              long end = Math.min(beforeMs, oldest + sliceMs);
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT agent_id, MAX(seq) FROM reports WHERE received_at_ms < ?" + NOT_A_HOST_LATEST
                          + " GROUP BY agent_id")) {
                ps.setLong(1, end);
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    raised.put(rs.getString(1), rs.getLong(2));
                  }
                }
              }
              try (PreparedStatement up =
                  c.prepareStatement(
                      "INSERT INTO report_watermarks (agent_id, pruned_through_seq) VALUES (?, ?)"
                          + " ON CONFLICT (agent_id) DO UPDATE SET pruned_through_seq = CASE"
                          + " WHEN excluded.pruned_through_seq > report_watermarks.pruned_through_seq"
                          + " THEN excluded.pruned_through_seq ELSE report_watermarks.pruned_through_seq END")) {
                for (Map.Entry<String, Long> e : raised.entrySet()) {
                  up.setString(1, e.getKey());
                  up.setLong(2, e.getValue());
                  up.addBatch();
                }
                up.executeBatch();
              }
              try (PreparedStatement del =
                  c.prepareStatement("DELETE FROM reports WHERE received_at_ms < ?" + NOT_A_HOST_LATEST)) {
                del.setLong(1, end);
                return (long) del.executeUpdate();
              }
            });
    synchronized (writeLock) {
      if (prunedThrough != null) {
        raised.forEach((agent, seq) -> prunedThrough.merge(agent, seq, Math::max));
      }
    }
    return deleted;
  }

  @Override
  public SeriesResult series(
      String hostId, Resolution primary, long fromMs, long toMs, long stepMs, java.util.Set<String> metrics) {
    if (fromMs >= toMs) {
      throw new IllegalArgumentException("fromMs must be before toMs");
    }
    if (stepMs < 1) {
      throw new IllegalArgumentException("stepMs must be >= 1 (was " + stepMs + ")");
    }
    List<SeriesResult.Segment> segments = new ArrayList<>();
    long cursor = fromMs;
    if (primary == Resolution.HOUR) {
      long end = clamp(rolledThrough(Resolution.HOUR).orElse(Long.MIN_VALUE), cursor, toMs);
      if (end > cursor) {
        segments.add(new SeriesResult.Segment(Resolution.HOUR, cursor, end));
        cursor = end;
      }
    }
    if (primary != Resolution.RAW) {
      long end = clamp(rolledThrough(Resolution.MINUTE).orElse(Long.MIN_VALUE), cursor, toMs);
      if (end > cursor) {
        segments.add(new SeriesResult.Segment(Resolution.MINUTE, cursor, end));
        cursor = end;
      }
    }
    if (cursor < toMs) {
      segments.add(new SeriesResult.Segment(Resolution.RAW, cursor, toMs));
    }
    List<MetricSeries> out = new ArrayList<>();
    for (SampleSchema.Table t : SampleSchema.TABLES) {
      List<SampleSchema.Metric> wanted = new ArrayList<>();
      for (SampleSchema.Metric m : t.metrics()) {
        if (metrics == null || metrics.isEmpty() || metrics.contains(m.name())) {
          wanted.add(m);
        }
      }
      if (wanted.isEmpty()) {
        continue;
      }
      // metric -> key -> step start -> point
      Map<String, Map<String, java.util.TreeMap<Long, MetricPoint>>> acc = new java.util.LinkedHashMap<>();
      for (SeriesResult.Segment seg : segments) {
        bucketed(t, seg.source(), hostId, fromMs, stepMs, seg.fromMs(), seg.toMs(), acc);
      }
      for (SampleSchema.Metric m : wanted) {
        Map<String, java.util.TreeMap<Long, MetricPoint>> byKey = acc.getOrDefault(m.name(), Map.of());
        List<String> keys = new ArrayList<>(byKey.keySet());
        if (t == SampleSchema.GPU) {
          keys.sort(java.util.Comparator.comparingInt(Integer::parseInt));
        } else {
          java.util.Collections.sort(keys);
        }
        for (String key : keys) {
          Map<String, String> labels = t.keyColumn() == null ? Map.of() : Map.of(t.label(), key);
          out.add(new MetricSeries(m.name(), labels, m.count(), new ArrayList<>(byKey.get(key).values())));
        }
      }
    }
    return new SeriesResult(segments, out);
  }

  private static long clamp(long v, long lo, long hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  /** Adds the aggregates of one table and source over [fromMs, toMs) to acc, by step. */
  private void bucketed(
      SampleSchema.Table t, Resolution source, String hostId, long originMs, long stepMs, long fromMs,
      long toMs, Map<String, Map<String, java.util.TreeMap<Long, MetricPoint>>> acc) {
    read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(t.series(source))) {
            ps.setLong(1, originMs);
            ps.setLong(2, stepMs);
            ps.setString(3, hostId);
            ps.setLong(4, fromMs);
            ps.setLong(5, toMs);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                int col = 1;
                String key = "";
                if (t.keyColumn() != null) {
                  key = rs.getString(col++);
                }
                long stepStart = originMs + rs.getLong(col++) * stepMs;
                for (SampleSchema.Metric m : t.metrics()) {
                  double sum = rs.getDouble(col++);
                  double min = Double.NaN;
                  double max = Double.NaN;
                  if (!m.count()) {
                    min = rs.getDouble(col++);
                    max = rs.getDouble(col++);
                  }
                  long n = rs.getLong(col++);
                  if (n < 1) {
                    continue;
                  }
                  MetricPoint p = new MetricPoint(stepStart, sum, min, max, n);
                  acc.computeIfAbsent(m.name(), k -> new java.util.LinkedHashMap<>())
                      .computeIfAbsent(key, k -> new java.util.TreeMap<>())
                      .merge(stepStart, p, MetricPoint::merge);
                }
              }
            }
          }
          return null;
        });
  }

  @Override
  public List<dev.nines.server.availability.RequestCount> requestCounts(String hostId, long fromMs, long toMs) {
    return requestCountsOf(List.of(hostId), fromMs, toMs).get(hostId);
  }


  /** A segment read from the hour rollups, summed per host in SQL: one count per host. */
  private static final long SUM_HOURS = -1;
  /** A segment read from the minute rollups, summed per host in SQL: one count per host. */
  private static final long SUM_MINUTES = -2;

  /**
   * Adds each host's requests and errors over {@code [fromMs, toMs)} from a rollup table into acc
   * as ONE bucket at {@code fromMs}: summed by the database per host (one row per host, not one per
   * bucket and endpoint). A figure counts only where it had at least one value, as
   * in the bucketed reads.
   */
  private void sumRequestsOf(
      Resolution source, List<String> hostIds, long fromMs, long toMs, Map<String, java.util.TreeMap<Long, long[]>> acc) {
    if (fromMs >= toMs) {
      return;
    }
    String sql =
        "SELECT host_id, SUM(CASE WHEN requests_n > 0 THEN requests_sum ELSE 0 END), SUM(requests_n),"
            + " SUM(CASE WHEN errors_n > 0 THEN errors_sum ELSE 0 END), SUM(errors_n)"
            + " FROM " + SampleSchema.ENDPOINT.name(source) + " WHERE host_id IN (" + marks(hostIds.size())
            + ") AND bucket_ms >= ? AND bucket_ms < ? GROUP BY host_id";
    read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            for (String id : hostIds) {
              ps.setString(p++, id);
            }
            ps.setLong(p++, fromMs);
            ps.setLong(p, toMs);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                boolean requests = rs.getLong(3) > 0;
                boolean errors = rs.getLong(5) > 0;
                if (requests || errors) {
                  long[] bucket = acc.get(rs.getString(1)).computeIfAbsent(fromMs, k -> new long[2]);
                  bucket[0] += requests ? rs.getLong(2) : 0;
                  bucket[1] += errors ? rs.getLong(4) : 0;
                }
              }
            }
          }
          return null;
        });
  }

  /**
   * Where request counts over {@code [fromMs, toMs)} are read from, as {resolution ordinal, from, to,
   * step} segments in time order. Every whole hour that the hour rollups hold (below their
   * watermark) comes from them, summed per host by the database ({@link #SUM_HOURS}): a 30-day
   * window is one row per host, not 720 hours or 43,200 minutes per endpoint. The ends of the window (the partial hours, and what the hour rollups do not hold yet)
   * come from the finest source still kept: hours before the minute rollups begin, minutes before
   * the raw samples begin, raw samples after (where retention cut a bucket, the coarser rollup
   * serves all of it).
   */
  private List<long[]> requestSegments(long fromMs, long toMs) {
    SampleSchema.Table t = SampleSchema.ENDPOINT;
    long[] starts =
        read(
            c -> {
              Long rawOldest = oldest(c, "SELECT MIN(ts_ms) FROM " + t.name(Resolution.RAW) + " WHERE ts_ms < ?", Long.MAX_VALUE);
              Long minuteOldest =
                  oldest(c, "SELECT MIN(bucket_ms) FROM " + t.name(Resolution.MINUTE) + " WHERE bucket_ms < ?", Long.MAX_VALUE);
              Long hourOldest =
                  oldest(c, "SELECT MIN(bucket_ms) FROM " + t.name(Resolution.HOUR) + " WHERE bucket_ms < ?", Long.MAX_VALUE);
              long raw = Long.MAX_VALUE;
              if (rawOldest != null) {
                long first = Math.floorDiv(rawOldest, MINUTE_MS) * MINUTE_MS;
                raw = minuteOldest != null && minuteOldest <= first ? ceil(rawOldest, MINUTE_MS) : first;
              }
              long minute = raw;
              if (minuteOldest != null) {
                long first = Math.floorDiv(minuteOldest, HOUR_MS) * HOUR_MS;
                minute = Math.min(raw, hourOldest != null && hourOldest <= first ? ceil(minuteOldest, HOUR_MS) : minuteOldest);
              }
              return new long[] {minute, raw, hourOldest == null ? Long.MAX_VALUE : hourOldest, Long.MIN_VALUE};
            });
    java.util.OptionalLong minutesThrough = rolledThrough(Resolution.MINUTE);
    if (minutesThrough.isPresent() && starts[0] != Long.MAX_VALUE) {
      starts[3] = Math.floorDiv(minutesThrough.getAsLong(), MINUTE_MS) * MINUTE_MS;
    }
    java.util.OptionalLong hoursThrough = rolledThrough(Resolution.HOUR);
    long wholeFrom = ceil(fromMs, HOUR_MS);
    long wholeTo =
        hoursThrough.isEmpty()
            ? wholeFrom
            : Math.min(Math.floorDiv(toMs, HOUR_MS) * HOUR_MS, Math.floorDiv(hoursThrough.getAsLong(), HOUR_MS) * HOUR_MS);
    List<long[]> out = new ArrayList<>();
    if (wholeTo > wholeFrom && wholeFrom >= starts[2]) {
      finestSegments(fromMs, wholeFrom, starts, out);
      out.add(new long[] {SUM_HOURS, wholeFrom, wholeTo, HOUR_MS});
      finestSegments(wholeTo, toMs, starts, out);
    } else {
      finestSegments(fromMs, toMs, starts, out);
    }
    return out;
  }

  /** Hours before {@code starts[0]}, minutes before {@code starts[1]}, raw after, within [from, to). */
  private static void finestSegments(long fromMs, long toMs, long[] starts, List<long[]> out) {
    if (fromMs >= toMs) {
      return;
    }
    long hourEnd = clamp(starts[0], fromMs, toMs);
    // Minutes where they are kept and rolled up (below the minute watermark, starts[3]), even where
    // raw samples are kept too; raw samples only for what is not rolled up yet.
    long minuteEnd = clamp(Math.max(starts[1], starts[3]), hourEnd, toMs);
    out.add(new long[] {SUM_HOURS, fromMs, hourEnd, HOUR_MS});
    out.add(new long[] {SUM_MINUTES, hourEnd, minuteEnd, MINUTE_MS});
    out.add(new long[] {Resolution.RAW.ordinal(), minuteEnd, toMs, MINUTE_MS});
  }

  private static long ceil(long v, long unit) {
    return Math.floorDiv(v + unit - 1, unit) * unit;
  }


  // --- auth and audit ---

  private static final String TOKEN_COLUMNS = "id, name, role, hash, created_at_ms, revoked_at_ms";

  private static TokenRecord tokenRow(ResultSet rs) throws SQLException {
    long revoked = rs.getLong(6);
    Long revokedAt = rs.wasNull() ? null : revoked;
    return new TokenRecord(
        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), revokedAt);
  }

  @Override
  public Optional<TokenRecord> token(String id) {
    return read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT " + TOKEN_COLUMNS + " FROM tokens WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(tokenRow(rs)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public List<TokenRecord> tokens(PageKey before, int limit) {
    if (limit < 1 || limit > 1001) {
      throw new IllegalArgumentException("limit must be 1..1001 (was " + limit + ")");
    }
    return read(
        c -> {
          String where =
              before == null ? "" : " WHERE created_at_ms < ? OR (created_at_ms = ? AND id < ?)";
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT " + TOKEN_COLUMNS + " FROM tokens" + where
                      + " ORDER BY created_at_ms DESC, id DESC LIMIT ?")) {
            int i = 1;
            if (before != null) {
              ps.setLong(i++, before.atMs());
              ps.setLong(i++, before.atMs());
              ps.setString(i++, before.id());
            }
            ps.setInt(i, limit);
            List<TokenRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(tokenRow(rs));
              }
            }
            return out;
          }
        });
  }

  @Override
  public TokenRevocation revokeToken(String id, long atMs) {
    return writeOnReader(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE tokens SET revoked_at_ms = ? WHERE id = ? AND revoked_at_ms IS NULL"
                      + " AND (role <> 'admin' OR (SELECT COUNT(*) FROM tokens a"
                      + " WHERE a.role = 'admin' AND a.revoked_at_ms IS NULL) > 1)")) {
            ps.setLong(1, atMs);
            ps.setString(2, id);
            if (ps.executeUpdate() == 1) {
              return TokenRevocation.REVOKED;
            }
          }
          try (PreparedStatement ps = c.prepareStatement("SELECT revoked_at_ms FROM tokens WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return TokenRevocation.UNKNOWN;
              }
              rs.getLong(1);
              return rs.wasNull() ? TokenRevocation.LAST_ADMIN : TokenRevocation.ALREADY_REVOKED;
            }
          }
        });
  }

  @Override
  public void addAudit(AuditRecord a) {
    read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO audit (id, at_ms, actor, actor_name, action, target, detail)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, a.id());
            ps.setLong(2, a.atMs());
            ps.setString(3, a.actor());
            ps.setString(4, a.actorName());
            ps.setString(5, a.action());
            ps.setString(6, a.target());
            ps.setString(7, a.detailJson());
            ps.executeUpdate();
            return null;
          }
        });
  }

  @Override
  public List<AuditRecord> audit(AuditQuery q) {
    StringBuilder sql =
        new StringBuilder("SELECT id, at_ms, actor, actor_name, action, target, detail FROM audit WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (q.fromMs() != null) {
      sql.append(" AND at_ms >= ?");
      args.add(q.fromMs());
    }
    if (q.toMs() != null) {
      sql.append(" AND at_ms < ?");
      args.add(q.toMs());
    }
    if (q.actor() != null) {
      sql.append(" AND (actor = ? OR actor_name = ?)");
      args.add(q.actor());
      args.add(q.actor());
    }
    if (q.action() != null) {
      sql.append(" AND action = ?");
      args.add(q.action());
    }
    if (q.before() != null) {
      sql.append(" AND (at_ms < ? OR (at_ms = ? AND id < ?))");
      args.add(q.before().atMs());
      args.add(q.before().atMs());
      args.add(q.before().id());
    }
    sql.append(" ORDER BY at_ms DESC, id DESC LIMIT ?");
    args.add(q.limit());
    return read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
              Object v = args.get(i);
              if (v instanceof String str) {
                ps.setString(i + 1, str);
              } else if (v instanceof Integer n) {
                ps.setInt(i + 1, n);
              } else {
                ps.setLong(i + 1, (Long) v);
              }
            }
            List<AuditRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new AuditRecord(
                        rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7)));
              }
            }
            return out;
          }
        });
  }

  // --- availability reports ---

  /** Hosts per IN list: far below every driver's limit on parameters. */
  private static final int IN_CHUNK = 500;

  private static List<List<String>> chunks(java.util.Collection<String> hostIds) {
    if (hostIds == null) {
      throw new IllegalArgumentException("hostIds is required");
    }
    List<String> sorted = new ArrayList<>(new java.util.TreeSet<>(hostIds));
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i += IN_CHUNK) {
      out.add(sorted.subList(i, Math.min(sorted.size(), i + IN_CHUNK)));
    }
    return out;
  }

  private static String marks(int n) {
    StringBuilder sb = new StringBuilder("?");
    for (int i = 1; i < n; i++) {
      sb.append(", ?");
    }
    return sb.toString();
  }

  @Override
  public List<HealthInterval> healthIntervalsOf(java.util.Collection<String> hostIds, long fromMs, long toMs) {
    List<HealthInterval> out = new ArrayList<>();
    for (List<String> chunk : chunks(hostIds)) {
      read(
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT host_id, state, from_ms, to_ms, rules, reason, figures FROM health_intervals"
                        + " WHERE host_id IN (" + marks(chunk.size()) + ") AND from_ms < ?"
                        + " AND (to_ms IS NULL OR to_ms > ?) ORDER BY host_id, from_ms")) {
              int p = 1;
              for (String id : chunk) {
                ps.setString(p++, id);
              }
              ps.setLong(p++, toMs);
              ps.setLong(p, fromMs);
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  long to = rs.getLong(4);
                  Long toOrNull = rs.wasNull() ? null : to;
                  out.add(
                      new HealthInterval(
                          rs.getString(1), rs.getString(2), rs.getLong(3), toOrNull, rs.getString(5),
                          rs.getString(6), rs.getString(7)));
                }
              }
              return null;
            }
          });
    }
    return out;
  }

  @Override
  public List<RoutingInterval> routingIntervalsOf(java.util.Collection<String> hostIds, long fromMs, long toMs) {
    List<RoutingInterval> out = new ArrayList<>();
    for (List<String> chunk : chunks(hostIds)) {
      read(
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT host_id, state, reason, changed_by, from_ms, to_ms FROM routing_intervals"
                        + " WHERE host_id IN (" + marks(chunk.size()) + ") AND from_ms < ?"
                        + " AND (to_ms IS NULL OR to_ms > ?) ORDER BY host_id, from_ms")) {
              int p = 1;
              for (String id : chunk) {
                ps.setString(p++, id);
              }
              ps.setLong(p++, toMs);
              ps.setLong(p, fromMs);
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  long to = rs.getLong(6);
                  Long toOrNull = rs.wasNull() ? null : to;
                  out.add(
                      new RoutingInterval(
                          rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                          toOrNull));
                }
              }
              return null;
            }
          });
    }
    return out;
  }

  @Override
  public Map<String, List<dev.nines.server.availability.RequestCount>> requestCountsOf(
      java.util.Collection<String> hostIds, long fromMs, long toMs) {
    List<List<String>> chunks = chunks(hostIds);
    Map<String, List<dev.nines.server.availability.RequestCount>> out = new java.util.TreeMap<>();
    Map<String, java.util.TreeMap<Long, long[]>> buckets = new java.util.HashMap<>();
    for (List<String> chunk : chunks) {
      for (String id : chunk) {
        out.put(id, new ArrayList<>());
        buckets.put(id, new java.util.TreeMap<>());
      }
    }
    if (fromMs >= toMs || out.isEmpty()) {
      return out;
    }
    List<long[]> segments = requestSegments(fromMs, toMs);
    for (List<String> chunk : chunks) {
      for (long[] seg : segments) {
        if (seg[0] < 0) {
          sumRequestsOf(seg[0] == SUM_HOURS ? Resolution.HOUR : Resolution.MINUTE, chunk, seg[1], seg[2], buckets);
        } else {
          countRequestsOf(chunk, Resolution.values()[(int) seg[0]], seg[1], seg[2], seg[3], buckets);
        }
      }
    }
    for (Map.Entry<String, java.util.TreeMap<Long, long[]>> host : buckets.entrySet()) {
      List<dev.nines.server.availability.RequestCount> list = out.get(host.getKey());
      for (Map.Entry<Long, long[]> e : host.getValue().entrySet()) {
        long total = e.getValue()[0];
        long good = Math.max(0, total - e.getValue()[1]);
        list.add(
            new dev.nines.server.availability.RequestCount(
                java.time.Instant.ofEpochMilli(Math.max(fromMs, e.getKey())), good, total));
      }
    }
    return out;
  }

  /**
   * Adds requests and errors of the hosts over [fromMs, toMs) by buckets of stepMs (aligned to UTC)
   * into acc, per host: the figures countRequests gives one host, in one grouped query.
   */
  private void countRequestsOf(
      List<String> hostIds, Resolution source, long fromMs, long toMs, long stepMs,
      Map<String, java.util.TreeMap<Long, long[]>> acc) {
    if (fromMs >= toMs) {
      return;
    }
    long origin = Math.floorDiv(fromMs, stepMs) * stepMs;
    boolean raw = source == Resolution.RAW;
    String time = raw ? "ts_ms" : "bucket_ms";
    // Rows in index order, grouped here: every (host, endpoint, step) group's rows are consecutive
    // (rollups by their key, raw samples by host and time), so a group is summed, then added as
    // countRequests adds it (only a figure with at least one value counts). No GROUP BY: SQLite's
    // sorter would cost ten times the read.
    String sql =
        "SELECT host_id, endpoint, " + time + ", " + (raw ? "requests, errors" : "requests_sum, requests_n, errors_sum, errors_n")
            + " FROM " + SampleSchema.ENDPOINT.name(source) + " WHERE host_id IN (" + marks(hostIds.size()) + ") AND "
            + time + " >= ? AND " + time + " < ? ORDER BY host_id, " + (raw ? "" : "endpoint, ") + time;
    read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            for (String id : hostIds) {
              ps.setString(p++, id);
            }
            ps.setLong(p++, fromMs);
            ps.setLong(p, toMs);
            try (ResultSet rs = ps.executeQuery()) {
              String host = null;
              long step = Long.MIN_VALUE;
              // endpoint -> {requests, requests n, errors, errors n} of the current host and step
              Map<String, long[]> group = new java.util.HashMap<>();
              while (rs.next()) {
                String h = rs.getString(1);
                String endpoint = rs.getString(2);
                long stepStart = origin + (rs.getLong(3) - origin) / stepMs * stepMs;
                if (!h.equals(host) || stepStart != step) {
                  addRequestGroup(acc, host, step, group);
                  host = h;
                  step = stepStart;
                }
                long[] g = group.computeIfAbsent(endpoint, k -> new long[4]);
                if (raw) {
                  long requests = rs.getLong(4);
                  if (!rs.wasNull()) {
                    g[0] += requests;
                    g[1]++;
                  }
                  long errors = rs.getLong(5);
                  if (!rs.wasNull()) {
                    g[2] += errors;
                    g[3]++;
                  }
                } else {
                  g[0] += rs.getLong(4);
                  g[1] += rs.getLong(5);
                  g[2] += rs.getLong(6);
                  g[3] += rs.getLong(7);
                }
              }
              addRequestGroup(acc, host, step, group);
            }
            return null;
          }
        });
  }

  private static void addRequestGroup(
      Map<String, java.util.TreeMap<Long, long[]>> acc, String host, long step, Map<String, long[]> group) {
    for (long[] g : group.values()) {
      if (g[1] >= 1) {
        acc.get(host).computeIfAbsent(step, k -> new long[2])[0] += g[0];
      }
      if (g[3] >= 1) {
        acc.get(host).computeIfAbsent(step, k -> new long[2])[1] += g[2];
      }
    }
    group.clear();
  }

  // --- ingest performance ---

  private static final String SELECT_POOL_MEMBERS =
      "SELECT h.id, h.pool, hh.state, r.state FROM hosts h"
          + " LEFT JOIN host_health hh ON hh.host_id = h.id LEFT JOIN routing r ON r.host_id = h.id"
          + " WHERE h.pool IS NOT NULL";

  @Override
  public List<PoolMemberRecord> poolMembers(String pool) {
    return read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(SELECT_POOL_MEMBERS + (pool == null ? "" : " AND h.pool = ?") + " ORDER BY h.id")) {
            if (pool != null) {
              ps.setString(1, pool);
            }
            try (ResultSet rs = ps.executeQuery()) {
              List<PoolMemberRecord> out = new ArrayList<>();
              while (rs.next()) {
                String routing = rs.getString(4);
                out.add(
                    new PoolMemberRecord(
                        rs.getString(1), rs.getString(2), rs.getString(3),
                        routing == null ? RoutingState.ACTIVE : RoutingState.valueOf(routing)));
              }
              return out;
            }
          }
        });
  }

  /**
   * The stored routing row of hosts the writer has seen, so that storing a report needs neither the
   * routing INSERT (the row exists) nor its SELECT. Guarded by {@code writeLock}: every write of the
   * {@code routing} table happens under it and drops the host's entry after its commit. Bounded by
   * the number of hosts (as the health state is).
   */
  private final Map<String, RoutingRecord> routingKnown = new HashMap<>();
  /** With several processes: when {@code routingKnown} was last read whole (the clock's epoch ms). */
  private long routingReadAtMs = Long.MIN_VALUE;

  /**
   * Under {@code writeLock}, in a batch's transaction: with several processes on the database,
   * reads every routing row again when the cache is older than {@link #ROUTING_MAX_AGE_MS} (another
   * replica may have changed one). One query per second for all hosts, instead of one per report.
   */
  private void refreshRoutingIfOld(long nowMs) throws SQLException {
    if (!dialect.sharedByProcesses()
        || (routingReadAtMs != Long.MIN_VALUE && nowMs - routingReadAtMs <= ROUTING_MAX_AGE_MS)) {
      return;
    }
    Map<String, RoutingRecord> all = new HashMap<>();
    try (Statement st = writer.createStatement();
        ResultSet rs = st.executeQuery("SELECT host_id, state, reason, changed_at_ms, changed_by FROM routing")) {
      while (rs.next()) {
        all.put(
            rs.getString(1),
            new RoutingRecord(RoutingState.valueOf(rs.getString(2)), rs.getString(3), rs.getLong(4), rs.getString(5)));
      }
    }
    routingKnown.clear();
    routingKnown.putAll(all);
    routingReadAtMs = nowMs;
  }

  /** Remembers the routing rows read or confirmed by a committed batch (under {@code writeLock}). */
  private void rememberRouting(Map<String, RoutingRecord> seen) {
    for (Map.Entry<String, RoutingRecord> e : seen.entrySet()) {
      if (e.getValue().changedAtMs() != 0) { // 0: no row was found (readRouting's default)
        routingKnown.put(e.getKey(), e.getValue());
      }
    }
  }

  @Override
  public void forgetRouting(String hostId) {
    synchronized (writeLock) {
      routingKnown.remove(hostId);
    }
  }

  // --- routing actions ---

  @Override
  public List<RoutingRow> routingRows() {
    return read(
        c -> {
          try (PreparedStatement q =
                  c.prepareStatement(
                      "SELECT r.host_id, h.pool, r.state, r.reason, r.changed_at_ms, r.changed_by, r.until_ms"
                          + " FROM routing r LEFT JOIN hosts h ON h.id = r.host_id ORDER BY r.host_id");
              ResultSet rs = q.executeQuery()) {
            List<RoutingRow> out = new ArrayList<>();
            while (rs.next()) {
              long until = rs.getLong(7);
              Long untilMs = rs.wasNull() ? null : until;
              out.add(
                  new RoutingRow(
                      rs.getString(1), rs.getString(2),
                      new RoutingRecord(RoutingState.valueOf(rs.getString(3)), rs.getString(4), rs.getLong(5), rs.getString(6)),
                      untilMs));
            }
            return out;
          }
        });
  }

  @Override
  public java.util.Optional<String> activeSide(String pool) {
    return read(
        c -> {
          try (PreparedStatement q = c.prepareStatement("SELECT active_side FROM pool_sides WHERE pool = ?")) {
            q.setString(1, pool);
            try (ResultSet rs = q.executeQuery()) {
              return rs.next() ? java.util.Optional.of(rs.getString(1)) : java.util.Optional.<String>empty();
            }
          }
        });
  }

  @Override
  public void recordActiveSide(String pool, String side, String changedBy, long atMs) {
    if (pool == null || pool.isBlank() || side == null || side.isBlank() || changedBy == null || changedBy.isBlank()) {
      throw new IllegalArgumentException("pool, side and changedBy are required");
    }
    inWriteTransaction(
        "recording the active side of pool " + pool,
        c -> {
          try (PreparedStatement u =
              c.prepareStatement(
                  "INSERT INTO pool_sides (pool, active_side, changed_at_ms, changed_by) VALUES (?, ?, ?, ?)"
                      + " ON CONFLICT (pool) DO UPDATE SET active_side = excluded.active_side,"
                      + " changed_at_ms = excluded.changed_at_ms, changed_by = excluded.changed_by")) {
            u.setString(1, pool);
            u.setString(2, side);
            u.setLong(3, atMs);
            u.setString(4, changedBy);
            u.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public java.util.Map<String, String> policyMemories() {
    return read(
        c -> {
          try (PreparedStatement q = c.prepareStatement("SELECT pool, memory FROM policy_memory");
              ResultSet rs = q.executeQuery()) {
            java.util.Map<String, String> out = new java.util.TreeMap<>();
            while (rs.next()) {
              out.put(rs.getString(1), rs.getString(2));
            }
            return out;
          }
        });
  }

  @Override
  public void savePolicyMemory(String pool, String json, long atMs) {
    if (pool == null || pool.isBlank() || json == null) {
      throw new IllegalArgumentException("pool and json are required");
    }
    inWriteTransaction(
        "saving the policy memory of pool " + pool,
        c -> {
          try (PreparedStatement u =
              c.prepareStatement(
                  "INSERT INTO policy_memory (pool, memory, updated_at_ms) VALUES (?, ?, ?)"
                      + " ON CONFLICT (pool) DO UPDATE SET memory = excluded.memory, updated_at_ms = excluded.updated_at_ms")) {
            u.setString(1, pool);
            u.setString(2, json);
            u.setLong(3, atMs);
            u.executeUpdate();
          }
          return null;
        });
  }

  // --- pool overrides ---

  @Override
  public java.util.Map<String, String> poolOverrides() {
    return read(
        c -> {
          try (PreparedStatement q = c.prepareStatement("SELECT pool, body FROM pool_overrides ORDER BY pool");
              ResultSet rs = q.executeQuery()) {
            java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
            while (rs.next()) {
              out.put(rs.getString(1), rs.getString(2));
            }
            return out;
          }
        });
  }

  @Override
  public void savePoolOverride(String pool, String body, long atMs, String by) {
    if (pool == null || pool.isBlank() || body == null || by == null || by.isBlank()) {
      throw new IllegalArgumentException("pool, body and by are required");
    }
    inWriteTransaction(
        "storing the settings of pool " + pool,
        c -> {
          try (PreparedStatement u =
              c.prepareStatement(
                  "INSERT INTO pool_overrides (pool, body, updated_at_ms, updated_by) VALUES (?, ?, ?, ?)"
                      + " ON CONFLICT (pool) DO UPDATE SET body = excluded.body,"
                      + " updated_at_ms = excluded.updated_at_ms, updated_by = excluded.updated_by")) {
            u.setString(1, pool);
            u.setString(2, body);
            u.setLong(3, atMs);
            u.setString(4, by);
            u.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public boolean deletePoolOverride(String pool) {
    return inWriteTransaction(
        "dropping the settings of pool " + pool,
        c -> {
          try (PreparedStatement d = c.prepareStatement("DELETE FROM pool_overrides WHERE pool = ?")) {
            d.setString(1, pool);
            return d.executeUpdate() > 0;
          }
        });
  }

  // --- maintenance windows ---

  @Override
  public List<MaintenanceWindowRecord> maintenanceWindows() {
    return read(
        c -> {
          try (PreparedStatement q =
                  c.prepareStatement(
                      "SELECT id, pool, spec, comment, author, created_at_ms, cancelled_at_ms, cancelled_by"
                          + " FROM maintenance_windows ORDER BY created_at_ms, id");
              ResultSet rs = q.executeQuery()) {
            List<MaintenanceWindowRecord> out = new ArrayList<>();
            while (rs.next()) {
              long cancelled = rs.getLong(7);
              Long cancelledAt = rs.wasNull() ? null : cancelled;
              out.add(
                  new MaintenanceWindowRecord(
                      rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                      rs.getLong(6), cancelledAt, rs.getString(8)));
            }
            return out;
          }
        });
  }

  @Override
  public void addMaintenanceWindow(MaintenanceWindowRecord w) {
    if (w == null) {
      throw new IllegalArgumentException("window is required");
    }
    inWriteTransaction(
        "storing maintenance window " + w.id(),
        c -> {
          try (PreparedStatement u =
              c.prepareStatement(
                  "INSERT INTO maintenance_windows (id, pool, spec, comment, author, created_at_ms,"
                      + " cancelled_at_ms, cancelled_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            u.setString(1, w.id());
            u.setString(2, w.pool());
            u.setString(3, w.specJson());
            u.setString(4, w.comment());
            u.setString(5, w.author());
            u.setLong(6, w.createdAtMs());
            if (w.cancelledAtMs() == null) {
              u.setNull(7, java.sql.Types.BIGINT);
            } else {
              u.setLong(7, w.cancelledAtMs());
            }
            u.setString(8, w.cancelledBy());
            u.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public boolean cancelMaintenanceWindow(String id, long atMs, String by) {
    if (id == null || by == null) {
      throw new IllegalArgumentException("id and by are required");
    }
    return inWriteTransaction(
        "cancelling maintenance window " + id,
        c -> {
          try (PreparedStatement u =
              c.prepareStatement(
                  "UPDATE maintenance_windows SET cancelled_at_ms = ?, cancelled_by = ?"
                      + " WHERE id = ? AND cancelled_at_ms IS NULL")) {
            u.setLong(1, atMs);
            u.setString(2, by);
            u.setString(3, id);
            return u.executeUpdate() > 0;
          }
        });
  }

  // --- alerts ---

  private static void alertSetLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

  private static Long alertGetLong(ResultSet rs, int i) throws SQLException {
    long v = rs.getLong(i);
    return rs.wasNull() ? null : v;
  }

  @Override
  public List<AlertRecord> alerts() {
    return read(
        c -> {
          try (PreparedStatement q =
                  c.prepareStatement(
                      "SELECT fingerprint, alertname, state, labels, annotations, active_since_ms, starts_at_ms,"
                          + " ends_at_ms, hold_until_ms, ack_by, ack_comment, ack_at_ms, suppressed_by, updated_at_ms"
                          + " FROM alerts ORDER BY fingerprint");
              ResultSet rs = q.executeQuery()) {
            List<AlertRecord> out = new ArrayList<>();
            while (rs.next()) {
              out.add(
                  new AlertRecord(
                      rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                      rs.getLong(6), alertGetLong(rs, 7), alertGetLong(rs, 8), alertGetLong(rs, 9), rs.getString(10),
                      rs.getString(11), alertGetLong(rs, 12), rs.getString(13), rs.getLong(14)));
            }
            return out;
          }
        });
  }

  @Override
  public void saveAlerts(List<AlertRecord> upserts, java.util.Collection<String> deleteFingerprints) {
    if (upserts.isEmpty() && deleteFingerprints.isEmpty()) {
      return;
    }
    inWriteTransaction(
        "saving " + upserts.size() + " alerts",
        c -> {
          try (PreparedStatement u =
                  c.prepareStatement(
                      "INSERT INTO alerts (fingerprint, alertname, state, labels, annotations, active_since_ms,"
                          + " starts_at_ms, ends_at_ms, hold_until_ms, ack_by, ack_comment, ack_at_ms, suppressed_by,"
                          + " updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                          + " ON CONFLICT (fingerprint) DO UPDATE SET alertname = excluded.alertname,"
                          + " state = excluded.state, labels = excluded.labels, annotations = excluded.annotations,"
                          + " active_since_ms = excluded.active_since_ms, starts_at_ms = excluded.starts_at_ms,"
                          + " ends_at_ms = excluded.ends_at_ms, hold_until_ms = excluded.hold_until_ms,"
                          + " ack_by = excluded.ack_by, ack_comment = excluded.ack_comment,"
                          + " ack_at_ms = excluded.ack_at_ms, suppressed_by = excluded.suppressed_by,"
                          + " updated_at_ms = excluded.updated_at_ms");
              PreparedStatement d = c.prepareStatement("DELETE FROM alerts WHERE fingerprint = ?")) {
            for (AlertRecord r : upserts) {
              u.setString(1, r.fingerprint());
              u.setString(2, r.alertname());
              u.setString(3, r.state());
              u.setString(4, r.labelsJson());
              u.setString(5, r.annotationsJson());
              u.setLong(6, r.activeSinceMs());
              alertSetLong(u, 7, r.startsAtMs());
              alertSetLong(u, 8, r.endsAtMs());
              alertSetLong(u, 9, r.holdUntilMs());
              setNullableString(u, 10, r.ackBy());
              setNullableString(u, 11, r.ackComment());
              alertSetLong(u, 12, r.ackAtMs());
              u.setString(13, r.suppressedByJson());
              u.setLong(14, r.updatedAtMs());
              u.addBatch();
            }
            if (!upserts.isEmpty()) {
              u.executeBatch();
            }
            for (String f : deleteFingerprints) {
              d.setString(1, f);
              d.addBatch();
            }
            if (!deleteFingerprints.isEmpty()) {
              d.executeBatch();
            }
          }
          return null;
        });
  }

  @Override
  public int pruneResolvedAlerts(long endedBeforeMs) {
    return inWriteTransaction(
        "pruning resolved alerts",
        c -> {
          try (PreparedStatement d =
              c.prepareStatement("DELETE FROM alerts WHERE state = 'resolved' AND ends_at_ms < ?")) {
            d.setLong(1, endedBeforeMs);
            return d.executeUpdate();
          }
        });
  }

  @Override
  public List<AlertGroupRecord> alertGroups() {
    return read(
        c -> {
          try (PreparedStatement q =
                  c.prepareStatement(
                      "SELECT group_key, receiver_id, group_labels, first_seen_ms, last_sent_ms, sent, seq,"
                          + " last_event_id, updated_at_ms FROM alert_groups ORDER BY group_key");
              ResultSet rs = q.executeQuery()) {
            List<AlertGroupRecord> out = new ArrayList<>();
            while (rs.next()) {
              out.add(
                  new AlertGroupRecord(
                      rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), alertGetLong(rs, 5),
                      rs.getString(6), rs.getLong(7), rs.getString(8), rs.getLong(9)));
            }
            return out;
          }
        });
  }

  @Override
  public void saveAlertGroups(List<AlertGroupRecord> upserts, java.util.Collection<String> deleteGroupKeys) {
    if (upserts.isEmpty() && deleteGroupKeys.isEmpty()) {
      return;
    }
    inWriteTransaction(
        "saving " + upserts.size() + " alert groups",
        c -> {
          try (PreparedStatement u =
                  c.prepareStatement(
                      "INSERT INTO alert_groups (group_key, receiver_id, group_labels, first_seen_ms, last_sent_ms,"
                          + " sent, seq, last_event_id, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                          + " ON CONFLICT (group_key) DO UPDATE SET receiver_id = excluded.receiver_id,"
                          + " group_labels = excluded.group_labels, first_seen_ms = excluded.first_seen_ms,"
                          + " last_sent_ms = excluded.last_sent_ms, sent = excluded.sent, seq = excluded.seq,"
                          + " last_event_id = excluded.last_event_id, updated_at_ms = excluded.updated_at_ms");
              PreparedStatement d = c.prepareStatement("DELETE FROM alert_groups WHERE group_key = ?")) {
            for (AlertGroupRecord r : upserts) {
              u.setString(1, r.groupKey());
              u.setString(2, r.receiverId());
              u.setString(3, r.groupLabelsJson());
              u.setLong(4, r.firstSeenMs());
              alertSetLong(u, 5, r.lastSentMs());
              u.setString(6, r.sentJson());
              u.setLong(7, r.seq());
              setNullableString(u, 8, r.lastEventId());
              u.setLong(9, r.updatedAtMs());
              u.addBatch();
            }
            if (!upserts.isEmpty()) {
              u.executeBatch();
            }
            for (String k : deleteGroupKeys) {
              d.setString(1, k);
              d.addBatch();
            }
            if (!deleteGroupKeys.isEmpty()) {
              d.executeBatch();
            }
          }
          return null;
        });
  }

  @Override
  public List<SilenceRecord> silences() {
    return read(
        c -> {
          try (PreparedStatement q =
                  c.prepareStatement(
                      "SELECT id, matchers, author, comment, starts_at_ms, ends_at_ms, created_at_ms, updated_at_ms"
                          + " FROM silences ORDER BY created_at_ms, id");
              ResultSet rs = q.executeQuery()) {
            List<SilenceRecord> out = new ArrayList<>();
            while (rs.next()) {
              out.add(
                  new SilenceRecord(
                      rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                      rs.getLong(6), rs.getLong(7), rs.getLong(8)));
            }
            return out;
          }
        });
  }

  @Override
  public void saveSilence(SilenceRecord s) {
    inWriteTransaction(
        "saving silence " + s.id(),
        c -> {
          try (PreparedStatement u =
              c.prepareStatement(
                  "INSERT INTO silences (id, matchers, author, comment, starts_at_ms, ends_at_ms, created_at_ms,"
                      + " updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT (id) DO UPDATE SET matchers = excluded.matchers, author = excluded.author,"
                      + " comment = excluded.comment, starts_at_ms = excluded.starts_at_ms,"
                      + " ends_at_ms = excluded.ends_at_ms, updated_at_ms = excluded.updated_at_ms")) {
            u.setString(1, s.id());
            u.setString(2, s.matchersJson());
            u.setString(3, s.author());
            u.setString(4, s.comment());
            u.setLong(5, s.startsAtMs());
            u.setLong(6, s.endsAtMs());
            u.setLong(7, s.createdAtMs());
            u.setLong(8, s.updatedAtMs());
            u.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public int pruneSilences(long endedBeforeMs) {
    return inWriteTransaction(
        "pruning silences",
        c -> {
          try (PreparedStatement d = c.prepareStatement("DELETE FROM silences WHERE ends_at_ms < ?")) {
            d.setLong(1, endedBeforeMs);
            return d.executeUpdate();
          }
        });
  }

  // --- alert delivery ---

  private static final String OUTBOX_COLUMNS =
      "seq, event_id, receiver_id, group_key, notification, state, attempts, next_attempt_ms, created_ms,"
          + " age_from_ms, delivered_ms, last_status, last_error";

  @Override
  public List<ReceiverRecord> receivers() {
    return read(
        c -> {
          try (PreparedStatement q =
                  c.prepareStatement("SELECT id, spec, created_at_ms, updated_at_ms FROM receivers ORDER BY id");
              ResultSet rs = q.executeQuery()) {
            List<ReceiverRecord> out = new ArrayList<>();
            while (rs.next()) {
              out.add(new ReceiverRecord(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
            }
            return out;
          }
        });
  }

  @Override
  public boolean insertReceiver(ReceiverRecord receiver) {
    return inWriteTransaction(
        "storing receiver " + receiver.id(),
        c -> {
          try (PreparedStatement u =
              c.prepareStatement(
                  "INSERT INTO receivers (id, spec, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?)"
                      + " ON CONFLICT (id) DO NOTHING")) {
            u.setString(1, receiver.id());
            u.setString(2, receiver.specJson());
            u.setLong(3, receiver.createdAtMs());
            u.setLong(4, receiver.updatedAtMs());
            return u.executeUpdate() == 1;
          }
        });
  }

  @Override
  public boolean updateReceiver(String id, String specJson, long atMs) {
    if (specJson == null || specJson.isBlank()) {
      throw new IllegalArgumentException("specJson is required");
    }
    return inWriteTransaction(
        "replacing receiver " + id,
        c -> {
          try (PreparedStatement u =
              c.prepareStatement("UPDATE receivers SET spec = ?, updated_at_ms = ? WHERE id = ?")) {
            u.setString(1, specJson);
            u.setLong(2, atMs);
            u.setString(3, id);
            return u.executeUpdate() == 1;
          }
        });
  }

  @Override
  public boolean deleteReceiver(String id) {
    return inWriteTransaction(
        "dropping receiver " + id,
        c -> {
          try (PreparedStatement d = c.prepareStatement("DELETE FROM receivers WHERE id = ?")) {
            d.setString(1, id);
            return d.executeUpdate() == 1;
          }
        });
  }

  @Override
  public int enqueueOutbox(List<OutboxRow> rows) {
    if (rows.isEmpty()) {
      return 0;
    }
    return inWriteTransaction(
        "enqueueing " + rows.size() + " alert messages",
        c -> {
          long seq;
          dialect.lockForIds(c, "outbox");
          try (Statement st = c.createStatement();
              ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM outbox")) {
            rs.next();
            seq = rs.getLong(1);
          }
          int stored = 0;
          try (PreparedStatement ins =
              c.prepareStatement(
                  "INSERT INTO outbox (" + OUTBOX_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT (event_id) DO NOTHING")) {
            for (OutboxRow r : rows) {
              ins.setLong(1, seq + 1);
              ins.setString(2, r.eventId());
              ins.setString(3, r.receiverId());
              ins.setString(4, r.groupKey());
              ins.setString(5, r.notificationJson());
              ins.setString(6, r.state());
              ins.setInt(7, r.attempts());
              ins.setLong(8, r.nextAttemptMs());
              ins.setLong(9, r.createdMs());
              ins.setLong(10, r.ageFromMs());
              setNullableLong(ins, 11, r.deliveredMs());
              if (r.lastStatus() == null) {
                ins.setNull(12, Types.INTEGER);
              } else {
                ins.setInt(12, r.lastStatus());
              }
              setNullableString(ins, 13, r.lastError());
              if (ins.executeUpdate() == 1) {
                seq++;
                stored++;
              }
            }
          }
          return stored;
        });
  }

  private static OutboxRow outboxRow(ResultSet rs) throws SQLException {
    long delivered = rs.getLong(11);
    Long deliveredMs = rs.wasNull() ? null : delivered;
    int status = rs.getInt(12);
    Integer lastStatus = rs.wasNull() ? null : status;
    return new OutboxRow(
        rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
        rs.getInt(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), deliveredMs, lastStatus, rs.getString(13));
  }

  @Override
  public List<OutboxRow> outboxDue(long nowMs, java.util.Set<Long> skipSeqs, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive (was " + limit + ")");
    }
    return read(
        c -> {
          try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT " + OUTBOX_COLUMNS + " FROM outbox o WHERE o.state = 'pending' AND o.next_attempt_ms <= ?"
                      + " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.group_key = o.group_key"
                      + " AND p.state = 'pending' AND p.seq < o.seq)"
                      + " ORDER BY o.seq LIMIT ?")) {
            q.setLong(1, nowMs);
            q.setInt(2, limit + skipSeqs.size());
            List<OutboxRow> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
              while (rs.next() && out.size() < limit) {
                OutboxRow r = outboxRow(rs);
                if (!skipSeqs.contains(r.seq())) {
                  out.add(r);
                }
              }
            }
            return out;
          }
        });
  }

  @Override
  public java.util.OptionalLong outboxNextDueMs() {
    return read(
        c -> {
          try (PreparedStatement q =
                  c.prepareStatement("SELECT MIN(next_attempt_ms) FROM outbox WHERE state = 'pending'");
              ResultSet rs = q.executeQuery()) {
            if (rs.next()) {
              long v = rs.getLong(1);
              if (!rs.wasNull()) {
                return java.util.OptionalLong.of(v);
              }
            }
            return java.util.OptionalLong.empty();
          }
        });
  }

  @Override
  public boolean recordOutboxAttempt(
      long seq, String state, int attempts, long nextAttemptMs, Long deliveredMs, Integer lastStatus, String lastError) {
    if (!OutboxRow.PENDING.equals(state) && !OutboxRow.DELIVERED.equals(state) && !OutboxRow.DEAD.equals(state)) {
      throw new IllegalArgumentException("state must be pending, delivered or dead (was " + state + ")");
    }
    return inWriteTransaction(
        "recording a delivery attempt of outbox message " + seq,
        c -> {
          try (PreparedStatement u =
              c.prepareStatement(
                  "UPDATE outbox SET state = ?, attempts = ?, next_attempt_ms = ?, delivered_ms = ?,"
                      + " last_status = ?, last_error = ? WHERE seq = ? AND state = 'pending'")) {
            u.setString(1, state);
            u.setInt(2, attempts);
            u.setLong(3, nextAttemptMs);
            setNullableLong(u, 4, deliveredMs);
            if (lastStatus == null) {
              u.setNull(5, Types.INTEGER);
            } else {
              u.setInt(5, lastStatus);
            }
            setNullableString(u, 6, lastError);
            u.setLong(7, seq);
            return u.executeUpdate() == 1;
          }
        });
  }

  @Override
  public Optional<OutboxRow> outboxRow(long seq) {
    return read(
        c -> {
          try (PreparedStatement q = c.prepareStatement("SELECT " + OUTBOX_COLUMNS + " FROM outbox WHERE seq = ?")) {
            q.setLong(1, seq);
            try (ResultSet rs = q.executeQuery()) {
              return rs.next() ? Optional.of(outboxRow(rs)) : Optional.<OutboxRow>empty();
            }
          }
        });
  }

  @Override
  public List<OutboxRow> outbox(String state, String receiverId, Long beforeSeq, int limit) {
    if (limit < 1 || limit > 1001) {
      throw new IllegalArgumentException("limit must be 1..1001 (was " + limit + ")");
    }
    return read(
        c -> {
          List<String> where = new ArrayList<>();
          if (state != null) {
            where.add("state = ?");
          }
          if (receiverId != null) {
            where.add("receiver_id = ?");
          }
          if (beforeSeq != null) {
            where.add("seq < ?");
          }
          String sql =
              "SELECT " + OUTBOX_COLUMNS + " FROM outbox"
                  + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                  + " ORDER BY seq DESC LIMIT ?";
          try (PreparedStatement q = c.prepareStatement(sql)) {
            int i = 1;
            if (state != null) {
              q.setString(i++, state);
            }
            if (receiverId != null) {
              q.setString(i++, receiverId);
            }
            if (beforeSeq != null) {
              q.setLong(i++, beforeSeq);
            }
            q.setInt(i, limit);
            List<OutboxRow> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
              while (rs.next()) {
                out.add(outboxRow(rs));
              }
            }
            return out;
          }
        });
  }

  @Override
  public boolean redriveOutbox(long seq, long nowMs) {
    return inWriteTransaction(
        "re-driving outbox message " + seq,
        c -> {
          try (PreparedStatement u =
              c.prepareStatement(
                  "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_ms = ?, age_from_ms = ?"
                      + " WHERE seq = ? AND state = 'dead'")) {
            u.setLong(1, nowMs);
            u.setLong(2, nowMs);
            u.setLong(3, seq);
            return u.executeUpdate() == 1;
          }
        });
  }

  @Override
  public java.util.Map<String, Long> outboxCounts() {
    return read(
        c -> {
          java.util.Map<String, Long> out = new java.util.TreeMap<>();
          out.put(OutboxRow.PENDING, 0L);
          out.put(OutboxRow.DELIVERED, 0L);
          out.put(OutboxRow.DEAD, 0L);
          try (PreparedStatement q = c.prepareStatement("SELECT state, COUNT(*) FROM outbox GROUP BY state");
              ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
              out.put(rs.getString(1), rs.getLong(2));
            }
          }
          return out;
        });
  }

  @Override
  public java.util.Map<String, Integer> outboxDeadByReceiver() {
    return read(
        c -> {
          java.util.Map<String, Integer> out = new java.util.TreeMap<>();
          try (PreparedStatement q =
                  c.prepareStatement(
                      "SELECT receiver_id, COUNT(*) FROM outbox WHERE state = 'dead' GROUP BY receiver_id");
              ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
              out.put(rs.getString(1), rs.getInt(2));
            }
          }
          return out;
        });
  }

  @Override
  public int pruneOutbox(long beforeMs) {
    return inWriteTransaction(
        "pruning delivered alert messages",
        c -> {
          try (PreparedStatement d =
              c.prepareStatement("DELETE FROM outbox WHERE state = 'delivered' AND delivered_ms < ?")) {
            d.setLong(1, beforeMs);
            return d.executeUpdate();
          }
        });
  }
}

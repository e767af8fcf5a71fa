package dev.nines.server.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;

/**
 * The SQLite store: one file in WAL mode with {@code synchronous=NORMAL}, so a committed
 * transaction survives a crash of the process (not necessarily a power cut of the machine). The SQL
 * is {@link JdbcStore}'s; only the connection pragmas are SQLite's. One process writes the file.
 */
public final class SqliteStore extends JdbcStore {
  private static final int BUSY_TIMEOUT_MS = 10_000;
  /** The writer connection's page cache, in KiB (SQLite's default is 2,000). */
  private static final int WRITER_CACHE_KIB = 64 * 1024;

  private static final Dialect SQLITE =
      new Dialect() {
        @Override
        public Connection connect(String url) throws SQLException {
          Connection c = DriverManager.getConnection(url);
          try (Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
            try (ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
              if (!rs.next() || !"wal".equalsIgnoreCase(rs.getString(1))) {
                throw new SQLException("the database refused WAL journal mode");
              }
            }
            st.execute("PRAGMA synchronous = NORMAL");
            st.execute("PRAGMA foreign_keys = ON");
          } catch (SQLException e) {
            c.close();
            throw e;
          }
          return c;
        }

        @Override
        public void prepareWriter(Connection writer) throws SQLException {
          // The writer's page cache: inserts land all over the (agent_id, seq) key, one place per
          // agent; with SQLite's default 2 MB cache the writer spends its time re-reading pages
          // (measured with IngestThroughputBench#measureWriterAlone: ~40 % more reports/s and ~15 %
          // less CPU per report).
          try (Statement st = writer.createStatement()) {
            st.execute("PRAGMA cache_size = -" + WRITER_CACHE_KIB);
          }
        }

        @Override
        public boolean broken(Connection c, SQLException e) {
          return false; // a file does not go away between calls; errors are the statement's
        }
      };

  private SqliteStore(String url) throws SQLException {
    super(url, SQLITE);
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
    return migrate(store, clock);
  }
}

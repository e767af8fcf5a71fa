package dev.nines.server.store;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The PostgreSQL store: the SQL and migrations of {@link JdbcStore}, on a server that several Nines
 * processes may share. Every connection runs with {@code synchronous_commit = on}, so a report
 * acknowledged after COMMIT is durable on the server. Ids made as MAX + 1 (incidents, events,
 * outbox) are taken under a table lock held until COMMIT, so two processes never take the same
 * one and commit them in order. A connection lost (server restart, cut network) is opened again on
 * its next use.
 */
public final class PostgresStore extends JdbcStore {
  /** The environment variable read for the password when the URL has none. */
  public static final String PASSWORD_ENV = "NINES_DB_PASSWORD";
  /** Any fixed number: the advisory lock that serialises the migrations of several processes. */
  private static final long MIGRATION_LOCK = 0x4e494e4553L; // "NINES"
  private static final Set<String> TABLES_WITH_IDS = Set.of("incidents", "events", "outbox");

  private PostgresStore(String displayUrl, Dialect dialect) throws SQLException {
    super(displayUrl, dialect);
  }

  /**
   * Opens the PostgreSQL database at {@code jdbc:postgresql://host:port/db[?user=..&password=..]}
   * and brings its schema up to date. Without a password in the URL, {@value #PASSWORD_ENV} is
   * used when set.
   */
  public static PostgresStore open(String jdbcUrl, Clock clock) {
    return open(jdbcUrl, System.getenv(PASSWORD_ENV), clock);
  }

  /** As {@link #open(String, Clock)}, with the password to use when the URL has none (may be null). */
  public static PostgresStore open(String jdbcUrl, String fallbackPassword, Clock clock) {
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
    }
    Properties props = new Properties();
    String url = withoutPassword(jdbcUrl, props);
    if (!props.containsKey("password") && fallbackPassword != null && !fallbackPassword.isEmpty()) {
      props.setProperty("password", fallbackPassword);
    }
    props.putIfAbsent("ApplicationName", "nines");
    props.putIfAbsent("tcpKeepAlive", "true");
    props.putIfAbsent("connectTimeout", "10");
    // A cut network fails a call within this bound instead of hanging it (retention's deletes are
    // far shorter).
    props.putIfAbsent("socketTimeout", "300");
    PostgresStore store;
    try {
      store = new PostgresStore(url, new Postgres(props));
    } catch (SQLException e) {
      throw new StoreException("cannot open " + url + ": " + e.getMessage(), e);
    }
    return migrate(store, clock);
  }

  /** The URL without its {@code password} parameter, which goes into {@code props}. */
  static String withoutPassword(String jdbcUrl, Properties props) {
    int q = jdbcUrl.indexOf('?');
    if (q < 0) {
      return jdbcUrl;
    }
    List<String> kept = new ArrayList<>();
    for (String param : jdbcUrl.substring(q + 1).split("&")) {
      if (param.startsWith("password=")) {
        props.setProperty("password", URLDecoder.decode(param.substring(9), StandardCharsets.UTF_8));
      } else if (!param.isEmpty()) {
        kept.add(param);
      }
    }
    return jdbcUrl.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
  }

  private static final class Postgres implements Dialect {
    private final Properties props;

    Postgres(Properties props) {
      this.props = props;
    }

    @Override
    public Connection connect(String url) throws SQLException {
      Connection c = DriverManager.getConnection(url, props);
      try (Statement st = c.createStatement()) {
        // Whatever the server's default: a report is acknowledged only once it is durable.
        st.execute("SET synchronous_commit = on");
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      return c;
    }

    @Override
    public void migrate(Connection c, Clock clock) throws SQLException {
      try (Statement st = c.createStatement()) {
        st.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
      }
      try {
        Dialect.super.migrate(c, clock);
      } finally {
        try (Statement st = c.createStatement()) {
          st.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
        }
      }
    }

    @Override
    public String fenceLock() {
      return " FOR SHARE";
    }

    @Override
    public void lockForIds(Connection c, String table) throws SQLException {
      if (!TABLES_WITH_IDS.contains(table)) {
        throw new IllegalArgumentException("no ids are made for table " + table);
      }
      try (Statement st = c.createStatement()) {
        // Conflicts with itself (and any write), not with plain reads: readers go on.
        st.execute("LOCK TABLE " + table + " IN SHARE ROW EXCLUSIVE MODE");
      }
    }

    @Override
    public boolean sharedByProcesses() {
      return true;
    }

    @Override
    public boolean retryable(SQLException e) {
      String state = e.getSQLState();
      return "40P01".equals(state) || "40001".equals(state);
    }
  }
}

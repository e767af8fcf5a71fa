package dev.nines.server.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * The databases of a store test, on SQLite (files in a temp folder) or, in a subclass whose {@link
 * #postgres()} is true, on the test JVM's {@link PostgresServer} (a fresh database per name and test
 * instance). A test class extends this and names its databases; its {@code ...OnPostgresTest}
 * subclass runs every test again on PostgreSQL.
 */
public abstract class OnBothBackends {
  @TempDir protected Path dir;
  private final Map<String, String> postgresUrls = new HashMap<>();

  /** False: SQLite. A subclass that returns true runs the same tests on PostgreSQL. */
  protected boolean postgres() {
    return false;
  }

  /** The {@code --db} value of this test's database {@code name} (created on first use). */
  protected String db(String name) {
    if (!postgres()) {
      return dir.resolve(name).toString();
    }
    return postgresUrls.computeIfAbsent(name, n -> PostgresServer.get().newDatabase().urlWithCredentials());
  }

  /** Opens the store on this test's database {@code name}. */
  protected Store open(String name, Clock clock) {
    return Stores.open(db(name), clock);
  }

  /** A plain JDBC connection to this test's database {@code name}. */
  protected Connection connect(String name) throws SQLException {
    return DriverManager.getConnection(Stores.jdbcUrl(db(name)));
  }
}

package dev.nines.server.store;

import java.nio.file.Path;
import java.time.Clock;

/** Opens the store that a {@code --db} value names. */
public final class Stores {
  private Stores() {}

  /**
   * Opens the store for a SQLite file path or a {@code jdbc:sqlite:} URL (creating the file and its
   * folders if needed), or a PostgreSQL database for a {@code jdbc:postgresql:} URL (the password
   * in the URL or in env {@value PostgresStore#PASSWORD_ENV}).
   *
   * @throws IllegalArgumentException for any other JDBC URL or a blank value
   */
  public static Store open(String db, Clock clock) {
    String url = jdbcUrl(db);
    return url.startsWith("jdbc:postgresql:") ? PostgresStore.open(url, clock) : SqliteStore.open(url, clock);
  }

  /** The JDBC URL for a {@code --db} value. */
  public static String jdbcUrl(String db) {
    if (db == null || db.isBlank()) {
      throw new IllegalArgumentException(
          "db is required: a SQLite file path, a jdbc:sqlite: or a jdbc:postgresql: URL");
    }
    if (db.startsWith("jdbc:sqlite:") || db.startsWith("jdbc:postgresql:")) {
      return db;
    }
    if (db.startsWith("jdbc:")) {
      String kind = db.substring(5, Math.max(5, db.indexOf(':', 5)));
      throw new IllegalArgumentException(
          "db: " + (kind.isEmpty() ? "this JDBC URL" : kind) + " is not supported yet;"
              + " give a SQLite file path, a jdbc:sqlite: or a jdbc:postgresql: URL");
    }
    return "jdbc:sqlite:" + Path.of(db).toAbsolutePath();
  }

  /** The {@code --db} value as it may be shown: a PostgreSQL URL without its password. */
  public static String describe(String db) {
    if (db != null && db.startsWith("jdbc:postgresql:")) {
      return PostgresStore.withoutPassword(db, new java.util.Properties());
    }
    return db;
  }
}

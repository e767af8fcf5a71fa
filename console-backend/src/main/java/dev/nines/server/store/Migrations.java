package dev.nines.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small migration runner. The numbered SQL files named in {@code index.txt} of a resource folder
 * are applied in order, each in its own transaction together with its row in {@code
 * schema_version}; the checksum of every applied file is compared with the shipped one, so an
 * edited migration fails the start instead of drifting silently.
 */
final class Migrations {
  private static final Pattern NAME = Pattern.compile("(\\d{3})-[a-z0-9-]+\\.sql");

  /** One migration file. */
  record Migration(int version, String name, String sql, String checksum) {}

  private Migrations() {}

  /** Loads the migrations listed in {@code <folder>/index.txt} from the class path. */
  static List<Migration> load(String folder) {
    String index = resource(folder + "/index.txt");
    List<Migration> out = new ArrayList<>();
    for (String line : index.split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      Matcher m = NAME.matcher(name);
      if (!m.matches()) {
        throw new IllegalStateException("migration file name '" + name + "' must look like 001-what.sql");
      }
      int version = Integer.parseInt(m.group(1));
      // Numbers only grow; gaps are allowed because numbers are handed out to parallel branches.
      int previous = out.isEmpty() ? 0 : out.get(out.size() - 1).version();
      if (version <= previous) {
        throw new IllegalStateException(
            "migration " + name + " is out of order: expected a version above " + previous);
      }
      String sql = resource(folder + "/" + name).replace("\r\n", "\n");
      out.add(new Migration(version, name, sql, sha256(sql)));
    }
    return List.copyOf(out);
  }

  /** Applies every pending migration; returns how many were applied. */
  static int apply(Connection c, List<Migration> migrations, Clock clock) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE IF NOT EXISTS schema_version ("
              + " version INTEGER NOT NULL PRIMARY KEY,"
              + " name VARCHAR(256) NOT NULL,"
              + " checksum CHAR(64) NOT NULL,"
              + " applied_at_ms BIGINT NOT NULL)");
    }
    Map<Integer, String> applied = new LinkedHashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT version, checksum FROM schema_version ORDER BY version")) {
      while (rs.next()) {
        applied.put(rs.getInt(1), rs.getString(2));
      }
    }
    Map<Integer, Migration> byVersion = new LinkedHashMap<>();
    for (Migration m : migrations) {
      byVersion.put(m.version(), m);
    }
    int newest = migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
    for (Map.Entry<Integer, String> e : applied.entrySet()) {
      int v = e.getKey();
      Migration known = byVersion.get(v);
      if (known == null) {
        throw new IllegalStateException(
            "the database has schema version " + v + " but this server knows only up to "
                + newest + (v > newest ? ": run a newer server" : " and not that one"));
      }
      if (!known.checksum().equals(e.getValue())) {
        throw new IllegalStateException(
            "migration " + known.name() + " was changed after it was applied (checksum "
                + e.getValue() + " in the database, " + known.checksum() + " shipped)");
      }
    }
    int count = 0;
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      for (Migration m : migrations) {
        if (applied.containsKey(m.version())) {
          continue;
        }
        try (Statement st = c.createStatement()) {
          for (String statement : statements(m.sql())) {
            st.execute(statement);
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO schema_version (version, name, checksum, applied_at_ms) VALUES (?, ?, ?, ?)")) {
            ps.setInt(1, m.version());
            ps.setString(2, m.name());
            ps.setString(3, m.checksum());
            ps.setLong(4, clock.millis());
            ps.executeUpdate();
          }
          c.commit();
          count++;
        } catch (SQLException e) {
          c.rollback();
          throw new SQLException("migration " + m.name() + " failed: " + e.getMessage(), e);
        }
      }
    } finally {
      c.setAutoCommit(autoCommit);
    }
    return count;
  }

  /** Splits a migration into statements: a statement ends with ';' at the end of a line. */
  static List<String> statements(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : sql.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String s = current.toString().strip();
        out.add(s.substring(0, s.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      throw new IllegalStateException("migration ends without ';': " + current.toString().strip());
    }
    return out;
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private static String resource(String path) {
    try (InputStream in = Migrations.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("resource " + path + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read resource " + path, e);
    }
  }
}

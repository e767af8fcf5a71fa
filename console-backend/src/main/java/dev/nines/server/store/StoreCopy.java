package dev.nines.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Copies an installation's whole history from one store to another (a SQLite file to PostgreSQL):
 * both schemas are brought up to date by the migrations, then every table but {@code
 * schema_version} is copied in one pass, in batches, one transaction per table, and the row counts
 * are compared.
 */
public final class StoreCopy {
  /** Rows per INSERT batch. */
  public static final int BATCH = 1_000;

  /** One table's rows in the source and, after the copy, in the target. */
  public record TableCount(String table, long sourceRows, long targetRows) {
    public boolean matches() {
      return sourceRows == targetRows;
    }
  }

  /** Progress of one table: rows done of total. */
  public record Progress(String table, long done, long total) {}

  /** The target already holds rows (and {@code force} was not given). */
  public static final class TargetNotEmptyException extends RuntimeException {
    TargetNotEmptyException(String message) {
      super(message);
    }
  }

  private StoreCopy() {}

  /**
   * Copies {@code fromDb} (a {@code --db} value) into {@code toDb}. A target holding any row is
   * refused unless {@code force}, which empties its tables first.
   *
   * @throws TargetNotEmptyException when the target holds data and force is false
   * @throws StoreException when a database cannot be read or written
   */
  public static List<TableCount> copy(
      String fromDb, String toDb, boolean force, Clock clock, Consumer<Progress> progress) {
    try (JdbcStore from = (JdbcStore) Stores.open(fromDb, clock);
        JdbcStore to = (JdbcStore) Stores.open(toDb, clock);
        Connection src = from.newConnection();
        Connection dst = to.newConnection()) {
      List<String> tables = tables(dst);
      List<String> holding = new ArrayList<>();
      for (String t : tables) {
        if (count(dst, t) > 0) {
          holding.add(t);
        }
      }
      if (!holding.isEmpty() && !force) {
        throw new TargetNotEmptyException(
            "the target already holds data (tables " + String.join(", ", holding) + "); give --force to replace it");
      }
      dst.setAutoCommit(false);
      for (String t : holding) {
        try (Statement st = dst.createStatement()) {
          st.executeUpdate("DELETE FROM " + t);
        }
      }
      dst.commit();
      List<TableCount> out = new ArrayList<>();
      for (String t : tables) {
        long total = count(src, t);
        copyTable(src, dst, t, total, progress);
        out.add(new TableCount(t, total, count(dst, t)));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("copying the database failed: " + e.getMessage(), e);
    }
  }

  /** The target's tables (the migrations made them), schema_version excepted, in name order. */
  private static List<String> tables(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    String schema = c.getSchema();
    try (ResultSet rs = c.getMetaData().getTables(null, schema, "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        String name = rs.getString("TABLE_NAME");
        if (!"schema_version".equalsIgnoreCase(name) && !name.startsWith("sqlite_")) {
          out.add(name);
        }
      }
    }
    out.sort(null);
    return out;
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void copyTable(Connection src, Connection dst, String table, long total, Consumer<Progress> progress)
      throws SQLException {
    List<String> columns = new ArrayList<>();
    List<Integer> types = new ArrayList<>();
    try (Statement st = dst.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
      ResultSetMetaData md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        columns.add(md.getColumnName(i));
        types.add(md.getColumnType(i));
      }
    }
    String list = String.join(", ", columns);
    String marks = String.join(", ", java.util.Collections.nCopies(columns.size(), "?"));
    long done = 0;
    progress.accept(new Progress(table, 0, total));
    try (Statement read = src.createStatement();
        ResultSet rs = read.executeQuery("SELECT " + list + " FROM " + table);
        PreparedStatement ins = dst.prepareStatement("INSERT INTO " + table + " (" + list + ") VALUES (" + marks + ")")) {
      read.setFetchSize(BATCH);
      int pending = 0;
      while (rs.next()) {
        for (int i = 0; i < columns.size(); i++) {
          bind(rs, ins, i + 1, types.get(i));
        }
        ins.addBatch();
        if (++pending == BATCH) {
          ins.executeBatch();
          done += pending;
          pending = 0;
          progress.accept(new Progress(table, done, total));
        }
      }
      if (pending > 0) {
        ins.executeBatch();
        done += pending;
        progress.accept(new Progress(table, done, total));
      }
      dst.commit();
    } catch (SQLException e) {
      dst.rollback();
      throw new SQLException("table " + table + ": " + e.getMessage(), e);
    }
  }

  private static void bind(ResultSet rs, PreparedStatement ps, int i, int type) throws SQLException {
    switch (type) {
      case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> {
        long v = rs.getLong(i);
        if (rs.wasNull()) {
          ps.setNull(i, type);
        } else if (type == Types.BIGINT) {
          ps.setLong(i, v);
        } else {
          ps.setInt(i, Math.toIntExact(v));
        }
      }
      case Types.DOUBLE, Types.FLOAT, Types.REAL, Types.NUMERIC, Types.DECIMAL -> {
        double v = rs.getDouble(i);
        if (rs.wasNull()) {
          ps.setNull(i, Types.DOUBLE);
        } else {
          ps.setDouble(i, v);
        }
      }
      default -> {
        String v = rs.getString(i);
        if (v == null) {
          ps.setNull(i, Types.VARCHAR);
        } else {
          ps.setString(i, v);
        }
      }
    }
  }
}

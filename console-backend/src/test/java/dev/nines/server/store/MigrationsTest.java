package dev.nines.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest extends OnBothBackends {
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

  @Test
  void appliesShippedMigrationsOnceAndRecordsThem() throws Exception {
    List<Migrations.Migration> shipped = Migrations.load(SqliteStore.MIGRATIONS);
    assertThat(shipped).isNotEmpty();
    try (Connection c = connect("m.db")) {
      assertThat(Migrations.apply(c, shipped, CLOCK)).isEqualTo(shipped.size());
      assertThat(Migrations.apply(c, shipped, CLOCK)).isZero();
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT version, name, applied_at_ms FROM schema_version")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
        assertThat(rs.getString(2)).isEqualTo("001-initial.sql");
        assertThat(rs.getLong(3)).isEqualTo(1_700_000_000_000L);
      }
    }
  }

  @Test
  void refusesAMigrationThatChangedAfterItWasApplied() throws Exception {
    List<Migrations.Migration> shipped = Migrations.load(SqliteStore.MIGRATIONS);
    try (Connection c = connect("m.db")) {
      Migrations.apply(c, shipped, CLOCK);
      Migrations.Migration first = shipped.get(0);
      String edited = first.sql() + "\n-- edited\n";
      List<Migrations.Migration> changed =
          List.of(new Migrations.Migration(1, first.name(), edited, Migrations.sha256(edited)));
      assertThatThrownBy(() -> Migrations.apply(c, changed, CLOCK))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("001-initial.sql was changed");
    }
  }

  @Test
  void failedMigrationLeavesNothingBehind() throws Exception {
    List<Migrations.Migration> shipped = new ArrayList<>(Migrations.load(SqliteStore.MIGRATIONS));
    String bad = "CREATE TABLE half_done (x INTEGER);\nTHIS IS NOT SQL;\n";
    int good = shipped.get(shipped.size() - 1).version();
    shipped.add(new Migrations.Migration(good + 1, String.format("%03d-bad.sql", good + 1), bad, Migrations.sha256(bad)));
    try (Connection c = connect("m.db")) {
      assertThatThrownBy(() -> Migrations.apply(c, shipped, CLOCK)).hasMessageContaining(String.format("%03d-bad.sql", good + 1));
      try (ResultSet rs = c.getMetaData().getTables(null, null, "half_done", null)) {
        assertThat(rs.next()).as("table half_done exists").isFalse();
      }
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT MAX(version) FROM schema_version")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(good);
      }
    }
  }

  @Test
  void refusesADatabaseNewerThanTheServer() throws Exception {
    List<Migrations.Migration> shipped = Migrations.load(SqliteStore.MIGRATIONS);
    try (Connection c = connect("m.db")) {
      Migrations.apply(c, shipped, CLOCK);
      try (Statement st = c.createStatement()) {
        st.execute("INSERT INTO schema_version VALUES (99, '099-future.sql', 'x', 0)");
      }
      assertThatThrownBy(() -> Migrations.apply(c, shipped, CLOCK)).hasMessageContaining("newer server");
    }
  }

  @Test
  void splitsStatementsAtSemicolonsThatEndALine() {
    assertThat(Migrations.statements("-- note\nCREATE TABLE a (x INT);\n\nCREATE TABLE b (\n y INT\n);\n"))
        .containsExactly("CREATE TABLE a (x INT)", "CREATE TABLE b (\n y INT\n)");
  }
}

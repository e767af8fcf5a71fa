package dev.nines.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresServerTest {
  @Test
  void handsOutAFreshEmptyDatabaseEachTimeOnLoopback() throws Exception {
    PostgresServer server = PostgresServer.get();
    PostgresServer.Database a = server.newDatabase();
    PostgresServer.Database b = server.newDatabase();
    assertThat(a.name()).isNotEqualTo(b.name());
    assertThat(a.url()).startsWith("jdbc:postgresql://127.0.0.1:" + server.port() + "/");
    try (Connection c = DriverManager.getConnection(a.url(), a.user(), a.password());
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (x INTEGER)");
    }
    try (Connection c = DriverManager.getConnection(b.urlWithCredentials());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }
}

package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.report;
import static dev.nines.server.Fixtures.rows;
import static dev.nines.server.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurabilityTest {
  @TempDir Path dir;

  @Test
  void everythingAcknowledgedIsThereAfterReopeningTheSameFile() {
    String agentToken;
    int acknowledged = 0;
    try (NinesServer server = Fixtures.start(dir)) {
      Fixtures.Api api = new Fixtures.Api(server);
      agentToken = server.createToken("agent", "node agents");
      for (int seq = 1; seq <= 50; seq++) {
        String host = "node-" + (seq % 5);
        if (api.postReport(agentToken, report(host, seq, seq / 100.0, 50)).statusCode() == 200) {
          acknowledged++;
        }
      }
    }
    assertThat(acknowledged).isEqualTo(50);
    assertThat(rows(dir, "reports")).isEqualTo(50);

    try (NinesServer again = Fixtures.start(dir)) {
      Fixtures.Api api = new Fixtures.Api(again);
      JsonNode hosts = tree(api.get("/api/v1/hosts", ADMIN).body());
      assertThat(hosts).hasSize(5);
      JsonNode node0 = tree(api.get("/api/v1/hosts/node-0", ADMIN).body());
      assertThat(node0.get("lastSeq").asLong()).isEqualTo(50);
      assertThat(node0.get("summary").get("cpuUtilRatio").asDouble()).isEqualTo(0.5);
      // Tokens survive too, and a replay after the restart is recognised as a duplicate.
      JsonNode replay = tree(api.postReport(agentToken, report("node-0", 50, 0.5, 50)).body());
      assertThat(replay.get("duplicate").asBoolean()).isTrue();
    }
    assertThat(rows(dir, "reports")).isEqualTo(50);
    assertThat(rows(dir, "schema_version")).isEqualTo(shippedMigrations()); // one row per shipped migration
  }

  @Test
  void generatedAdminTokenIsPrintedOnlyAtTheFirstStart() {
    ServerSettings settings = new ServerSettings("127.0.0.1", 0, dir.resolve("a/b/nines.db").toString(), null, null);
    String first;
    try (NinesServer server = NinesServer.start(settings, Clock.systemUTC())) {
      first = server.generatedAdminToken().orElseThrow();
      Fixtures.Api api = new Fixtures.Api(server);
      assertThat(api.get("/api/v1/hosts", first).statusCode()).isEqualTo(200);
    }
    assertThat(Files.exists(dir.resolve("a/b/nines.db"))).isTrue();
    try (NinesServer server = NinesServer.start(settings, Clock.systemUTC())) {
      assertThat(server.generatedAdminToken()).isEmpty();
      assertThat(new Fixtures.Api(server).get("/api/v1/hosts", first).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void unsupportedDatabaseUrlIsRefusedClearly() {
    ServerSettings mysql = new ServerSettings("127.0.0.1", 0, "jdbc:mysql://db:3306/nines", null, ADMIN);
    assertThatThrownBy(() -> NinesServer.start(mysql, Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mysql is not supported");
  }

  @Test
  void missingConfigFileIsRefused() {
    ServerSettings s =
        new ServerSettings("127.0.0.1", 0, dir.resolve("n.db").toString(), dir.resolve("nope.yaml"), ADMIN);
    assertThatThrownBy(() -> NinesServer.start(s, Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope.yaml");
  }

  @Test
  void settingsNameTheOffendingField() {
    assertThatThrownBy(() -> new ServerSettings("0.0.0.0", 70_000, "x.db", null, null)).hasMessageContaining("port");
    assertThatThrownBy(() -> new ServerSettings("0.0.0.0", 0, " ", null, null)).hasMessageContaining("db");
    assertThatThrownBy(() -> new ServerSettings("0.0.0.0", 0, "x.db", null, "short")).hasMessageContaining("adminToken");
  }

  /** The number of migrations listed in the shipped index. */
  static long shippedMigrations() {
    try (java.io.InputStream in = DurabilityTest.class.getResourceAsStream("/dev/nines/server/store/migrations/index.txt")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          .lines().map(String::strip).filter(l -> l.endsWith(".sql")).count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

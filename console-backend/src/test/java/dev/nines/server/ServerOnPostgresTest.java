package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.T0;
import static dev.nines.server.Fixtures.report;
import static dev.nines.server.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nines.server.store.PostgresServer;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** A real server on a real PostgreSQL: reports in over HTTP, hosts and metrics out, across a restart. */
class ServerOnPostgresTest {
  @Test
  void aServerOnPostgresServesWhatItAcknowledgedAndKeepsItAcrossARestart() {
    PostgresServer.Database db = PostgresServer.get().newDatabase();
    ServerSettings settings = new ServerSettings("127.0.0.1", 0, db.urlWithCredentials(), null, ADMIN);
    String agentToken;
    String metricsPath = "/api/v1/hosts/node-0/metrics?from=" + (T0 - 3_600_000) + "&to=" + (T0 + 3_600_000);
    String metricsBefore;
    try (NinesServer server = NinesServer.start(settings, Clock.systemUTC())) {
      Fixtures.Api api = new Fixtures.Api(server);
      agentToken = server.createToken("agent", "node agents");
      for (int seq = 1; seq <= 30; seq++) {
        assertThat(api.postReport(agentToken, report("node-" + (seq % 3), seq, seq / 100.0, 50)).statusCode())
            .isEqualTo(200);
      }
      assertThat(tree(api.get("/api/v1/hosts", ADMIN).body())).hasSize(3);
      var metrics = api.get(metricsPath, ADMIN);
      assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
      metricsBefore = metrics.body();
      assertThat(metricsBefore).contains("cpu");
    }
    try (NinesServer again = NinesServer.start(settings, Clock.systemUTC())) {
      Fixtures.Api api = new Fixtures.Api(again);
      assertThat(tree(api.get("/api/v1/hosts", ADMIN).body())).hasSize(3);
      JsonNode node0 = tree(api.get("/api/v1/hosts/node-0", ADMIN).body());
      assertThat(node0.get("lastSeq").asLong()).isEqualTo(30);
      assertThat(node0.get("summary").get("cpuUtilRatio").asDouble()).isEqualTo(0.3);
      assertThat(api.get(metricsPath, ADMIN).body()).isEqualTo(metricsBefore);
      JsonNode replay = tree(api.postReport(agentToken, report("node-0", 30, 0.3, 50)).body());
      assertThat(replay.get("duplicate").asBoolean()).isTrue();
    }
  }
}

package dev.nines.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.protocol.AgentReport;
import dev.nines.server.api.Json;
import dev.nines.server.store.ReportRecord;
import dev.nines.server.store.ReportSamples;
import dev.nines.server.store.SqliteStore;
import dev.nines.server.store.Store;
import dev.nines.server.store.WriteResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * XID counting from stored bodies, as when the writer has no parsed report: a real SQLite store,
 * the collector scraped directly.
 */
class FleetMetricsXidTest {
  static final ObjectMapper JSON = Json.api();
  @TempDir Path dir;
  final Clock clock = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

  private static ReportRecord record(AgentReport r, String body) {
    return new ReportRecord(
        r.agentId(), r.seq(), r.collectedAtMs(), r.collectedAtMs(), "llama", "{\"pool\":\"llama\"}", body,
        ReportSamples.of(r));
  }

  @Test
  void storedBodiesWithXidEventsAreCountedOnceEvenWhenIndentedAndReplaysAreNot() throws Exception {
    try (Store store = SqliteStore.open("jdbc:sqlite:" + dir.resolve("nines.db"), clock)) {
      FleetMetrics fleet = new FleetMetrics(store, now -> List.of(), JSON, clock, Duration.ZERO, Duration.ZERO);
      AgentReport withXid = XidCountsTest.report("h1", 1, 79, 79);
      AgentReport without = XidCountsTest.report("h2", 0);
      String indented = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(withXid);

      List<WriteResult> first =
          store.writeReports(List.of(record(withXid, indented), record(without, JSON.writeValueAsString(without))));
      fleet.committed(first);
      List<WriteResult> replay = store.writeReports(List.of(record(withXid, indented)));
      assertThat(replay.get(0).duplicate()).isTrue();
      fleet.committed(replay);

      String page = FleetPageTest.text(fleet.collect().stream().toList());
      assertThat(page)
          .contains("nines_gpu_xid_errors_total{gpu=\"1\",host=\"h1\",pool=\"llama\",xid=\"79\"} 2.0")
          .doesNotContain("host=\"h2\",pool=\"llama\",xid=");
    }
  }
}

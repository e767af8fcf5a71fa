package dev.nines.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.server.store.AlertRecord;
import dev.nines.server.store.AuditQuery;
import dev.nines.server.store.AuditRecord;
import dev.nines.server.store.HealthInterval;
import dev.nines.server.store.IncidentEventRecord;
import dev.nines.server.store.IncidentRecord;
import dev.nines.server.store.MaintenanceWindowRecord;
import dev.nines.server.store.OutboxRow;
import dev.nines.server.store.PostgresServer;
import dev.nines.server.store.ReportRecord;
import dev.nines.server.store.ReportSamples;
import dev.nines.server.store.Resolution;
import dev.nines.server.store.Store;
import dev.nines.server.store.Stores;
import dev.nines.server.store.TokenRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MigrateCommandTest {
  static final long H = 1_700_000_000_000L / 3_600_000 * 3_600_000;
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(H + 3 * 3_600_000), ZoneOffset.UTC);
  static final String HASH = "a".repeat(64);

  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new ServerCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static void fill(Store s) {
    List<ReportRecord> reports = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) { // more than one batch of the copy
      long ts = H + i * 2_000L;
      ReportSamples samples =
          new ReportSamples(
              new ReportSamples.HostSample(0.25, 0.5, 1e9, 1.0, 100.0, null),
              List.of(new ReportSamples.GpuSample(0, 0.9, 0.3, 60.0, 300.0, 0.0)),
              List.of(new ReportSamples.EndpointSample("http://e:8000", 1.0, 2.0, null, null, 80.0, 10L, 1L)));
      reports.add(new ReportRecord("h" + (i % 2), i / 2 + 1, ts, ts + 100, "p", "{}", "{\"i\":" + i + "}", samples));
    }
    s.writeReports(reports);
    s.recordHealthChange(new HealthInterval("h0", "HEALTHY", H, null, "[]", "ok", "{}"));
    s.recordHealthChange(new HealthInterval("h0", "DEGRADED", H + 60_000, null, "[\"slow\"]", "slow", "{}"));
    s.recordRoutingChange("h1", "DRAINING", "slow", "policy", H + 120_000);
    long incident =
        s.openIncident(
            new IncidentRecord(0, "host", "h0", "open", "warning", "DEGRADED", H + 60_000, null, "{}"),
            new IncidentEventRecord(0, 0, H + 60_000, "opened", "DEGRADED", "opened", "{}"));
    s.closeIncident(incident, H + 90_000, "HEALTHY", new IncidentEventRecord(0, 0, H + 90_000, "closed", "HEALTHY", "closed", "{}"));
    s.appendEvent("health", H + 60_000, "{\"host\":\"h0\"}");
    s.addAudit(new AuditRecord("a1", H, "system", "system", "token.create", "token:t1", "{}"));
    s.addToken(new TokenRecord("t1", "admin", "admin", HASH, H, null));
    s.saveAlerts(
        List.of(new AlertRecord("f1", "HostDown", "firing", "{}", "{}", H, H, null, null, null, null, null, "[]", H)),
        List.of());
    s.enqueueOutbox(List.of(new OutboxRow(0, "e1", "r1", "g", "{}", "pending", 0, H, H, H, null, null, null)));
    s.addMaintenanceWindow(new MaintenanceWindowRecord("m1", "p", "{}", "rack", "bob", H, null, null));
    s.rollUp(H + 3 * 3_600_000, 0, 0, 10_000);
  }

  @Test
  void copiesASqliteInstallationIntoPostgresAndReadsTheSameAnswersBack() {
    String sqlite = dir.resolve("nines.db").toString();
    try (Store s = Stores.open(sqlite, CLOCK)) {
      fill(s);
    }
    PostgresServer.Database db = PostgresServer.get().newDatabase();

    Run run = run("migrate", "--from", sqlite, "--to", db.urlWithCredentials());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains("reports 1000/2500").contains("reports 2500/2500");
    assertThat(run.out()).contains("copied").doesNotContain(db.password());
    try (Store from = Stores.open(sqlite, CLOCK);
        Store to = Stores.open(db.urlWithCredentials(), CLOCK)) {
      assertThat(to.hosts()).isEqualTo(from.hosts());
      assertThat(to.reportCount()).isEqualTo(2_500);
      long to3h = H + 3 * 3_600_000;
      assertThat(to.series("h0", Resolution.MINUTE, H, to3h, 600_000, null))
          .isEqualTo(from.series("h0", Resolution.MINUTE, H, to3h, 600_000, null));
      assertThat(to.requestCounts("h1", H, to3h)).isEqualTo(from.requestCounts("h1", H, to3h)).isNotEmpty();
      assertThat(to.healthIntervals("h0", 0, to3h)).isEqualTo(from.healthIntervals("h0", 0, to3h)).hasSize(2);
      assertThat(to.routingIntervals("h1", 0, to3h)).isEqualTo(from.routingIntervals("h1", 0, to3h)).hasSize(2);
      assertThat(to.incident(1)).isEqualTo(from.incident(1)).isPresent();
      assertThat(to.eventsAfter(0, 10)).isEqualTo(from.eventsAfter(0, 10)).hasSize(1);
      assertThat(to.appendEvent("next", to3h, "{}")).as("ids go on after the copied ones").isEqualTo(2);
      assertThat(to.tokenByHash(HASH)).isEqualTo(from.tokenByHash(HASH)).isPresent();
      assertThat(to.audit(new AuditQuery(null, null, null, null, null, 10))).hasSize(1);
      assertThat(to.maintenanceWindows()).isEqualTo(from.maintenanceWindows()).hasSize(1);
    }
  }

  @Test
  void refusesATargetThatHoldsDataUnlessForced() {
    String sqlite = dir.resolve("nines.db").toString();
    try (Store s = Stores.open(sqlite, CLOCK)) {
      s.appendEvent("health", H, "{}");
    }
    PostgresServer.Database db = PostgresServer.get().newDatabase();
    assertThat(run("migrate", "--from", sqlite, "--to", db.urlWithCredentials()).exit()).isZero();

    Run again = run("migrate", "--from", sqlite, "--to", db.urlWithCredentials());
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).contains("already holds data").contains("events").contains("--force");

    Run forced = run("migrate", "--from", sqlite, "--to", db.urlWithCredentials(), "--force");
    assertThat(forced.exit()).as(forced.err()).isZero();
    try (Store to = Stores.open(db.urlWithCredentials(), CLOCK)) {
      assertThat(to.lastEventId()).isEqualTo(1);
    }
  }

  @Test
  void refusesAMissingSourceFile() {
    Run run = run("migrate", "--from", dir.resolve("none.db").toString(), "--to", "jdbc:postgresql://127.0.0.1:1/x");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("no database at");
  }
}

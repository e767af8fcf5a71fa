package dev.nines.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.server.NinesServer;
import dev.nines.server.ServerSettings;
import dev.nines.server.store.HealthInterval;
import dev.nines.server.store.IncidentEventRecord;
import dev.nines.server.store.IncidentRecord;
import dev.nines.server.store.ReportRecord;
import dev.nines.server.store.Store;
import dev.nines.server.store.Stores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code nines report uptime} against a real server on an ephemeral port, over a database written
 * beforehand: pool llama, a1 down 30 minutes on 2026-11-03 with an incident.
 */
class ReportCommandTest {
  static final String ADMIN = "admin-token-for-report-tests";
  static final Instant NOW = Instant.parse("2026-12-01T01:00:00Z");
  static final long NOV3 = Instant.parse("2026-11-03T10:00:00Z").toEpochMilli();

  @TempDir Path dir;
  NinesServer server;
  String viewer;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @BeforeEach
  void start() {
    String db = dir.resolve("nines.db").toString();
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    try (Store store = Stores.open(db, clock)) {
      long first = Instant.parse("2026-10-31T00:00:00Z").toEpochMilli();
      for (String h : List.of("a1", "a2")) {
        store.writeReports(List.of(new ReportRecord(h, 1, first, first, "llama", "{}", "{}")));
        store.recordHealthChange(new HealthInterval(h, "HEALTHY", first, null, "[]", "ok", "{}"));
      }
      store.recordHealthChange(new HealthInterval("a1", "UNHEALTHY", NOV3, null, "[]", "down", "{}"));
      store.recordHealthChange(new HealthInterval("a1", "HEALTHY", NOV3 + 1_800_000, null, "[]", "ok", "{}"));
      long id =
          store.openIncident(
              new IncidentRecord(0, "host", "a1", "open", "UNHEALTHY", "UNHEALTHY", NOV3, null,
                  "{\"state\":\"UNHEALTHY\",\"reason\":\"vLLM stopped answering\"}"),
              new IncidentEventRecord(0, 0, NOV3, "opened", "UNHEALTHY", "a1 unhealthy", "{}"));
      store.addIncidentEvent(id, "UNHEALTHY", "UNHEALTHY",
          new IncidentEventRecord(0, 0, NOV3 + 60_000, "action", null, "routing ACTIVE -> DRAINING by policy: down", "{}"));
      store.closeIncident(id, NOV3 + 1_800_000, "HEALTHY",
          new IncidentEventRecord(0, 0, NOV3 + 1_800_000, "closed", "HEALTHY", "a1 healthy", "{}"));
    }
    server = NinesServer.start(new ServerSettings("127.0.0.1", 0, db, null, ADMIN), clock);
    viewer = server.createToken("viewer", "manager");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private int run(String... args) {
    CommandLine cl = Nines.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private String[] with(String... args) {
    String[] all = new String[args.length + 6];
    all[0] = "report";
    all[1] = "uptime";
    all[2] = "--server";
    all[3] = server.url();
    all[4] = "--token";
    all[5] = viewer;
    System.arraycopy(args, 0, all, 6, args.length);
    return all;
  }

  @Test
  void writesEachFormatToAFileOrStandardOutput() throws Exception {
    Path csv = dir.resolve("november.csv");
    assertThat(run(with("--month", "2026-11", "--out", csv.toString()))).as(err.toString()).isZero();
    String text = Files.readString(csv);
    assertThat(text).startsWith("kind,id,pool,from,to,").contains("pool,llama,llama,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z");
    assertThat(text).contains("a1,llama", "routing ACTIVE -> DRAINING by policy: down", "vLLM stopped answering");
    assertThat(err.toString()).contains("nines report uptime: csv, ").contains("-> " + csv);

    Path pdf = dir.resolve("reports/november.pdf");
    assertThat(run(with("--month", "2026-11", "--out", pdf.toString(), "--progress"))).as(err.toString()).isZero();
    byte[] bytes = Files.readAllBytes(pdf);
    assertThat(new String(bytes, 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
    assertThat(err.toString()).contains("nines report uptime: pdf, ");
    try (var files = Files.list(pdf.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("november.pdf"); // no .part left
    }

    Path html = dir.resolve("a1.htm");
    assertThat(run(with("--from", "2026-11-03", "--to", "2026-11-03", "--host", "a1", "--out", html.toString())))
        .as(err.toString()).isZero();
    assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>").contains("2026-11-03T00:00:00Z", "2026-11-04T00:00:00Z");

    out.getBuffer().setLength(0);
    assertThat(run(with("--from", "2026-11-03T00:00:00Z", "--to", "2026-11-04T00:00:00Z", "--pool", "llama")))
        .as(err.toString()).isZero();
    assertThat(out.toString()).startsWith("{").contains("\"fromMs\":" + Instant.parse("2026-11-03T00:00:00Z").toEpochMilli())
        .contains("\"downtimeMinutes\":30.0", "\"actor\":\"policy\"");
  }

  @Test
  void thePeriodMustBeGivenExactlyOneWay() {
    assertThat(run(with("--month", "2026-11", "--last", "7d"))).isEqualTo(2);
    assertThat(err.toString()).contains("give the period one way, not --month and --last");
    err.getBuffer().setLength(0);
    assertThat(run(with("--pool", "llama"))).isEqualTo(2);
    assertThat(err.toString()).contains("no period given");
    err.getBuffer().setLength(0);
    assertThat(run(with("--from", "2026-11-01", "--month", "2026-11"))).isEqualTo(2);
    assertThat(run(with("--month", "November"))).isEqualTo(2);
    assertThat(err.toString()).contains("--month: 'November' is not a month like 2026-11");
    assertThat(run(with("--last", "week"))).isEqualTo(2);
    assertThat(run(with("--from", "yesterday"))).isEqualTo(2);
    assertThat(err.toString()).contains("--from: 'yesterday' is neither an ISO-8601 instant");
    err.getBuffer().setLength(0);
    assertThat(run(with("--last", "7d", "--format", "pdf"))).isEqualTo(2);
    assertThat(err.toString()).contains("a pdf is binary: give --out FILE");
    assertThat(run(with("--last", "7d", "--format", "xml"))).isEqualTo(2);
    assertThat(run(with("--last", "7d", "--pool", "llama", "--host", "a1"))).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void theServersErrorIsPrintedAndTheExitCodeIsOne() throws Exception {
    assertThat(run(with("--month", "2026-11", "--pool", "nope"))).isEqualTo(1);
    assertThat(err.toString()).contains("the server answered 404", "\"error\":\"not found\"", "no pool named 'nope'");
    err.getBuffer().setLength(0);
    assertThat(run("report", "uptime", "--server", server.url(), "--token", "wrong", "--last", "7d")).isEqualTo(1);
    assertThat(err.toString()).contains("the server answered 401");
    err.getBuffer().setLength(0);
    int closed;
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    assertThat(run("report", "uptime", "--server", "http://127.0.0.1:" + closed, "--last", "7d")).isEqualTo(1);
    assertThat(err.toString()).contains("cannot reach http://127.0.0.1:" + closed);
    assertThat(run("report")).isEqualTo(2);
  }
}

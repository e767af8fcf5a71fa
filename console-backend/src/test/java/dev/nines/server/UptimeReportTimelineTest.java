package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nines.server.store.HealthInterval;
import dev.nines.server.store.IncidentEventRecord;
import dev.nines.server.store.IncidentRecord;
import dev.nines.server.store.ReportRecord;
import dev.nines.server.store.ReportSamples;
import dev.nines.server.store.Store;
import dev.nines.server.store.Stores;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The uptime report against a scripted three-day timeline whose true figures are known by hand:
 * outages that overlap into a pool outage, a maintenance window, a long degradation that counts half
 * (pool alpha's {@code degraded: 0.5}), incidents with actions taken by the policy and by an
 * operator, one incident after the period. Checks the figures, then the JSON and CSV against golden
 * files byte for byte, then the PDF rendered with poppler-utils (pages, text, embedded fonts).
 *
 * <p>Golden files live in {@code src/test/resources/dev/nines/server/report/golden/}. After a
 * deliberate change of the report, rewrite them with {@code mvn -o -pl console-backend test
 * -Dtest=UptimeReportTimelineTest -Dnines.golden.update=true} and review the diff.
 */
class UptimeReportTimelineTest {
  static final long MIN = 60_000L;
  static final long HOUR = 60 * MIN;
  static final long DAY = 24 * HOUR;
  static final long D0 = Instant.parse("2026-11-02T00:00:00Z").toEpochMilli();
  static final long END = D0 + 3 * DAY;
  static final String PERIOD = "from=2026-11-02T00:00:00Z&to=2026-11-05T00:00:00Z";
  static final Path GOLDEN = Path.of("src/test/resources/dev/nines/server/report/golden");
  static final String CONFIG =
      "pools:\n"
          + "  alpha: {minActive: 2, degraded: 0.5, slo: {target: 0.999, period: 30d}}\n"
          + "  beta: {minActive: 1, slo: {target: 0.99, period: 30d}}\n";

  @TempDir Path dir;
  NinesServer server;
  Fixtures.Api api;
  String viewer;

  @BeforeEach
  void script() throws IOException {
    String db = dir.resolve("nines.db").toString();
    MovableClock clock = new MovableClock(END + HOUR);
    try (Store store = Stores.open(db, clock)) {
      for (String h : List.of("a1", "a2", "a3", "b1", "b2")) {
        long first = D0 - HOUR;
        store.writeReports(List.of(new ReportRecord(h, 1, first, first, h.startsWith("a") ? "alpha" : "beta", "{}", "{}")));
        store.recordHealthChange(health(h, "HEALTHY", first));
      }
      // alpha: a1 down 30 min, a2 down 10 min inside it: alpha (2 of 3 needed) down those 10 min
      store.recordHealthChange(health("a1", "UNHEALTHY", D0 + 2 * HOUR));
      store.recordHealthChange(health("a2", "UNHEALTHY", D0 + 2 * HOUR + 10 * MIN));
      store.recordHealthChange(health("a2", "HEALTHY", D0 + 2 * HOUR + 20 * MIN));
      store.recordHealthChange(health("a1", "HEALTHY", D0 + 2 * HOUR + 30 * MIN));
      // a1 in maintenance for two hours on day 2: not counted; alpha still has a2 and a3
      store.recordRoutingChange("a1", "MAINTENANCE", "kernel update", "operator:alice", D0 + DAY + 10 * HOUR);
      store.recordRoutingChange("a1", "ACTIVE", "kernel update done", "operator:alice", D0 + DAY + 12 * HOUR);
      // a3 degraded six hours on day 3: counts half (180 min down); alpha stays up (a1, a2)
      store.recordHealthChange(health("a3", "DEGRADED", D0 + 2 * DAY));
      store.recordHealthChange(health("a3", "HEALTHY", D0 + 2 * DAY + 6 * HOUR));
      // beta: b1 down an hour on day 2, b2 unknown 15 min inside it: beta (1 needed) down 15 min
      store.recordHealthChange(health("b1", "UNHEALTHY", D0 + DAY + 3 * HOUR));
      store.recordHealthChange(health("b2", "UNKNOWN", D0 + DAY + 3 * HOUR + 30 * MIN));
      store.recordHealthChange(health("b2", "HEALTHY", D0 + DAY + 3 * HOUR + 45 * MIN));
      store.recordHealthChange(health("b1", "HEALTHY", D0 + DAY + 4 * HOUR));
      // b2 served 1000 requests, 10 failed
      long at = D0 + DAY + 5 * HOUR;
      store.writeReports(List.of(new ReportRecord("b2", 2, at, at, "beta", "{}", "{}", new ReportSamples(null, List.of(),
          List.of(new ReportSamples.EndpointSample("http://b2:8000", 1.0, 5.0, null, null, 80.0, 1000L, 10L))))));

      incident(store, "host", "a1", "UNHEALTHY", D0 + 2 * HOUR, D0 + 2 * HOUR + 30 * MIN,
          "{\"state\":\"UNHEALTHY\",\"rules\":[\"generationFailures\"],\"reason\":\"3 generation probes failed\"}",
          List.of(
              action(D0 + 2 * HOUR + 2 * MIN, "routing ACTIVE -> DRAINING by policy: host unhealthy for 2 m"),
              action(D0 + 2 * HOUR + 33 * MIN, "routing DRAINED -> ACTIVE by policy: healthy again for 3 m")));
      incident(store, "host", "a2", "UNHEALTHY", D0 + 2 * HOUR + 10 * MIN, D0 + 2 * HOUR + 20 * MIN,
          "{\"state\":\"UNHEALTHY\",\"rules\":[\"healthLatency\"],\"reason\":\"health check timed out\"}",
          List.of(action(D0 + 2 * HOUR + 11 * MIN, "drain refused by the capacity guard: alpha needs 2 active")));
      incident(store, "pool", "alpha", "DOWN", D0 + 2 * HOUR + 10 * MIN, D0 + 2 * HOUR + 20 * MIN,
          "{\"state\":\"DOWN\",\"active\":1,\"required\":2}", List.of());
      incident(store, "host", "a3", "DEGRADED", D0 + 2 * DAY, D0 + 2 * DAY + 6 * HOUR,
          "{\"state\":\"DEGRADED\",\"rules\":[\"gpuTemperature\"],\"reason\":\"GPU 0 at 91 C\"}", List.of());
      incident(store, "host", "b1", "UNHEALTHY", D0 + DAY + 3 * HOUR, D0 + DAY + 4 * HOUR,
          "{\"state\":\"UNHEALTHY\",\"rules\":[\"processDown\"],\"reason\":\"model server not listening\"}",
          List.of(action(D0 + DAY + 3 * HOUR + 5 * MIN, "routing ACTIVE -> DRAINED by operator:alice: restarting vLLM")));
      incident(store, "host", "b2", "UNKNOWN", D0 + DAY + 3 * HOUR + 30 * MIN, D0 + DAY + 3 * HOUR + 45 * MIN,
          "{\"state\":\"UNKNOWN\",\"reason\":\"no report for 45 s\"}", List.of());
      incident(store, "pool", "beta", "DOWN", D0 + DAY + 3 * HOUR + 30 * MIN, D0 + DAY + 3 * HOUR + 45 * MIN,
          "{\"state\":\"DOWN\",\"active\":0,\"required\":1}", List.of());
      // after the period: not in the report
      incident(store, "host", "b1", "UNHEALTHY", END + 10 * MIN, END + 20 * MIN, "{\"state\":\"UNHEALTHY\"}", List.of());
    }
    Path config = dir.resolve("nines.yaml");
    Files.writeString(config, CONFIG);
    server = NinesServer.start(new ServerSettings("127.0.0.1", 0, db, config, ADMIN), clock, null);
    api = new Fixtures.Api(server);
    viewer = server.createToken("viewer", "manager");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static HealthInterval health(String host, String state, long at) {
    return new HealthInterval(host, state, at, null, "[]", state, "{}");
  }

  private static IncidentEventRecord action(long at, String text) {
    return new IncidentEventRecord(0, 0, at, "action", null, text, "{}");
  }

  private static void incident(
      Store store, String kind, String subject, String state, long from, long to, String cause,
      List<IncidentEventRecord> actions) {
    long id =
        store.openIncident(
            new IncidentRecord(0, kind, subject, IncidentRecord.OPEN, state, state, from, null, cause),
            new IncidentEventRecord(0, 0, from, "opened", state, subject + " became " + state, "{}"));
    for (IncidentEventRecord a : actions) {
      store.addIncidentEvent(id, state, state, a);
    }
    String good = kind.equals("pool") ? "UP" : "HEALTHY";
    store.closeIncident(id, to, good, new IncidentEventRecord(0, 0, to, "closed", good, subject + " recovered", "{}"));
  }

  private static JsonNode row(JsonNode rows, String id) {
    for (JsonNode r : rows) {
      if (r.path("id").asText().equals(id)) {
        return r;
      }
    }
    throw new AssertionError("no row " + id + " in " + rows);
  }

  @Test
  void theReportCountsTheScriptedTimelineExactly() {
    HttpResponse<String> res = api.get("/api/v1/reports/uptime?" + PERIOD, viewer);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    JsonNode r = tree(res.body());
    double period = 3 * 24 * 60;

    JsonNode a1 = row(r.path("hosts"), "a1");
    assertThat(a1.path("downtimeMinutes").asDouble()).isEqualTo(30.0);
    assertThat(a1.path("maintenanceMinutes").asDouble()).isEqualTo(120.0);
    assertThat(a1.path("availability").asDouble()).isCloseTo((period - 120 - 30) / (period - 120), within(1e-12));
    assertThat(a1.path("incidents").asInt()).isEqualTo(1);
    assertThat(a1.path("longestOutageMinutes").asDouble()).isEqualTo(30.0);
    JsonNode a2 = row(r.path("hosts"), "a2");
    assertThat(a2.path("downtimeMinutes").asDouble()).isEqualTo(10.0);
    JsonNode a3 = row(r.path("hosts"), "a3");
    assertThat(a3.path("downtimeMinutes").asDouble()).isEqualTo(180.0); // 360 min degraded, counted half
    assertThat(a3.path("availability").asDouble()).isCloseTo((period - 180) / period, within(1e-12));
    JsonNode alpha = row(r.path("pools"), "alpha");
    assertThat(alpha.path("downtimeMinutes").asDouble()).isEqualTo(10.0);
    assertThat(alpha.path("maintenanceMinutes").asDouble()).isEqualTo(0.0);
    assertThat(alpha.path("availability").asDouble()).isCloseTo((period - 10) / period, within(1e-12));
    assertThat(alpha.path("sloMet").asBoolean()).isFalse();
    assertThat(alpha.path("errorBudgetUsed").asDouble()).isCloseTo((10 / period) / 0.001, within(1e-9));

    JsonNode b1 = row(r.path("hosts"), "b1");
    assertThat(b1.path("downtimeMinutes").asDouble()).isEqualTo(60.0);
    assertThat(b1.path("sloMet").asBoolean()).isFalse();
    JsonNode beta = row(r.path("pools"), "beta");
    assertThat(beta.path("downtimeMinutes").asDouble()).isEqualTo(15.0);
    assertThat(beta.path("availability").asDouble()).isCloseTo((period - 15) / period, within(1e-12));
    assertThat(beta.path("sloTarget").asDouble()).isEqualTo(0.99);
    assertThat(beta.path("sloMet").asBoolean()).isTrue();
    assertThat(beta.path("requestAvailability").asDouble()).isEqualTo(0.99);
    assertThat(row(r.path("hosts"), "b2").path("requestAvailability").asDouble()).isEqualTo(0.99);
    assertThat(row(r.path("hosts"), "b1").path("requestAvailability").isNull()).isTrue();

    // the incidents of the period with their actions; the one after it is left out
    assertThat(r.path("incidents")).hasSize(7);
    JsonNode first = r.path("incidents").get(0);
    assertThat(first.path("subject").asText()).isEqualTo("a1");
    assertThat(first.path("durationMinutes").asDouble()).isEqualTo(30.0);
    assertThat(first.path("actions")).hasSize(2);
    assertThat(first.path("actions").get(0).path("actor").asText()).isEqualTo("policy");
    assertThat(first.path("actions").get(0).path("text").asText()).startsWith("routing ACTIVE -> DRAINING");
    JsonNode b1Incident = r.path("incidents").get(3);
    assertThat(b1Incident.path("subject").asText()).isEqualTo("b1");
    assertThat(b1Incident.path("actions").get(0).path("actor").asText()).isEqualTo("operator:alice");
    assertThat(r.path("incidents").get(1).path("actions").get(0).path("actor").isNull()).isTrue();

    // the daily series: one bar per UTC day; alpha lost its 10 minutes on day 1 only
    JsonNode alphaDays = r.path("daily").get(0);
    assertThat(alphaDays.path("id").asText()).isEqualTo("alpha");
    assertThat(alphaDays.path("days")).hasSize(3);
    assertThat(alphaDays.path("days").get(0).path("availability").asDouble()).isCloseTo(1 - 10.0 / 1440, within(1e-12));
    assertThat(alphaDays.path("days").get(1).path("availability").asDouble()).isEqualTo(1.0);
    assertThat(alphaDays.path("days").get(2).path("fromMs").asLong()).isEqualTo(D0 + 2 * DAY);
    JsonNode betaDays = r.path("daily").get(1);
    assertThat(betaDays.path("days").get(1).path("availability").asDouble()).isCloseTo(1 - 15.0 / 1440, within(1e-12));
  }

  @Test
  void theJsonAndCsvAreTheGoldenFilesByteForByte() throws IOException {
    HttpResponse<String> json = api.get("/api/v1/reports/uptime?" + PERIOD, viewer);
    assertThat(json.statusCode()).isEqualTo(200);
    // pretty-printed in the order and with the numbers the server sent, so a change reads as a diff
    ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    golden("uptime-report.json", m.writeValueAsString(m.readTree(json.body())) + "\n");
    HttpResponse<String> csv = api.get("/api/v1/reports/uptime?format=csv&" + PERIOD, viewer);
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Disposition").orElse(""))
        .isEqualTo("attachment; filename=\"nines-uptime-20261102T0000Z-20261105T0000Z.csv\"");
    golden("uptime-report.csv", csv.body());
  }

  private static void golden(String name, String actual) throws IOException {
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("nines.golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(file).as("golden file %s (write it with -Dnines.golden.update=true)", file).exists();
    assertThat(actual).as("%s; rewrite it with -Dnines.golden.update=true after a deliberate change", file)
        .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }

  @Test
  void thePdfHasPagesTheTextAndOnlyEmbeddedFonts() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<byte[]> res =
        http.send(
            HttpRequest.newBuilder(URI.create(api.base + "/api/v1/reports/uptime?format=pdf&" + PERIOD))
                .header("Authorization", "Bearer " + viewer).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/pdf");
    assertThat(res.headers().firstValue("Content-Disposition").orElse(""))
        .isEqualTo("attachment; filename=\"nines-uptime-20261102T0000Z-20261105T0000Z.pdf\"");
    byte[] pdf = res.body();
    assertThat(new String(pdf, 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
    // kept under target/ for a person to look at
    Path out = Path.of("target", "uptime-report-pdf");
    if (Files.isDirectory(out)) {
      try (var old = Files.list(out)) {
        for (Path p : old.toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(out);
    Path file = out.resolve("uptime-report.pdf");
    Files.write(file, pdf);

    run(List.of("pdftoppm", "-png", "-r", "60", file.toString(), out.resolve("page").toString()));
    List<Path> pages;
    try (var s = Files.list(out)) {
      pages = s.filter(p -> p.getFileName().toString().matches("page-\\d+\\.png")).sorted().toList();
    }
    assertThat(pages).hasSizeGreaterThanOrEqualTo(2);
    for (Path p : pages) {
      assertThat(Files.size(p)).isGreaterThan(1000);
    }

    String text = run(List.of("pdftotext", "-layout", file.toString(), "-"));
    assertThat(text)
        .contains("Nines uptime report", "Period (UTC): 2026-11-02 00:00 to 2026-11-05 00:00", "alpha", "beta",
            "Daily availability: pool alpha", "model server not listening", "operator:alice", "restarting vLLM",
            "How this was counted", "page 1 of " + pages.size(), "99.769 %");

    String fonts = run(List.of("pdffonts", file.toString()));
    List<String> rows = new ArrayList<>(fonts.lines().skip(2).toList());
    assertThat(rows).as(fonts).isNotEmpty();
    for (String row : rows) {
      // name type encoding emb sub uni object ID: "emb" is the third column from the right of the flags
      String[] cols = row.trim().split("\\s+");
      assertThat(cols[cols.length - 5]).as("embedded? %s", row).isEqualTo("yes");
    }
  }

  /** Runs a poppler tool (bounded) and returns its standard output; fails on a non-zero exit. */
  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out;
    try (var in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish in 60 s");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("%s: %s", command, text).isZero();
    return text;
  }
}

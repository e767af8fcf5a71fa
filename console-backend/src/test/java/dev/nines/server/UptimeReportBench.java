package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.server.store.HealthInterval;
import dev.nines.server.store.IncidentEventRecord;
import dev.nines.server.store.IncidentRecord;
import dev.nines.server.store.ReportRecord;
import dev.nines.server.store.Store;
import dev.nines.server.store.Stores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a test: run with {@code mvn -o -pl console-backend test -Dnines.bench=true
 * -Dtest=UptimeReportBench -Dsurefire.failIfNoSpecifiedTests=false}. A 30-day report of 1,000 hosts
 * (10 pools of 100) with 2-5 outages per host in the month (a few of them with actions) and one
 * maintenance window per host, fetched over HTTP in every format; the goal is at most 5 s each.
 * Prints the figures (second run: the first warms the JIT and SQLite's page cache).
 */
@EnabledIfSystemProperty(named = "nines.bench", matches = "true")
class UptimeReportBench {
  static final long MIN = 60_000L;
  static final long DAY = 86_400_000L;
  static final long START = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
  static final long END = START + 30 * DAY;

  @TempDir Path dir;

  @Test
  void aThirtyDayReportOfAThousandHostsInEveryFormat() throws Exception {
    String db = dir.resolve("bench.db").toString();
    MovableClock clock = new MovableClock(END + 60 * MIN);
    Random random = new Random(20261101L);
    long seeded = System.nanoTime();
    int changes = 0;
    int incidents = 0;
    try (Store store = Stores.open(db, clock)) {
      List<ReportRecord> hosts = new ArrayList<>();
      for (int p = 0; p < 10; p++) {
        for (int h = 0; h < 100; h++) {
          String id = String.format(Locale.ROOT, "gpu-%02d-%03d", p, h);
          long first = START - DAY;
          hosts.add(new ReportRecord(id, 1, first, first, "pool-" + p, "{}", "{}"));
        }
      }
      store.writeReports(hosts);
      for (ReportRecord r : hosts) {
        String id = r.agentId();
        store.recordHealthChange(new HealthInterval(id, "HEALTHY", r.collectedAtMs(), null, "[]", "ok", "{}"));
        int outages = 2 + random.nextInt(4);
        long slot = 30 * DAY / outages;
        List<long[]> windows = new ArrayList<>();
        for (int o = 0; o < outages; o++) {
          long at = START + o * slot + random.nextInt((int) (slot / MIN / 2)) * MIN;
          long length = (1 + random.nextInt(45)) * MIN;
          windows.add(new long[] {at, at + length});
        }
        long maintenance = START + random.nextInt(29) * DAY + 2 * 60 * MIN;
        boolean recorded = false;
        for (long[] w : windows) {
          if (!recorded && maintenance < w[0]) {
            store.recordRoutingChange(id, "MAINTENANCE", "patching", "operator:bench", maintenance);
            store.recordRoutingChange(id, "ACTIVE", "patched", "operator:bench", maintenance + 60 * MIN);
            recorded = true;
            changes += 2;
          }
          if (w[0] < maintenance + 60 * MIN && w[1] > maintenance) {
            continue; // overlaps the maintenance hour: left out
          }
          String state = random.nextInt(4) == 0 ? "DEGRADED" : "UNHEALTHY";
          store.recordHealthChange(new HealthInterval(id, state, w[0], null, "[]", "bench", "{}"));
          store.recordHealthChange(new HealthInterval(id, "HEALTHY", w[1], null, "[]", "ok", "{}"));
          changes += 2;
          long inc =
              store.openIncident(
                  new IncidentRecord(0, "host", id, "open", state, state, w[0], null,
                      "{\"state\":\"" + state + "\",\"reason\":\"bench outage\",\"rules\":[\"generationFailures\"]}"),
                  new IncidentEventRecord(0, 0, w[0], "opened", state, id + " " + state, "{}"));
          if (random.nextInt(3) == 0) {
            store.addIncidentEvent(inc, state, state, new IncidentEventRecord(0, 0, w[0] + MIN, "action", null,
                "routing ACTIVE -> DRAINING by policy: " + state.toLowerCase(Locale.ROOT) + " for 1 m", "{}"));
          }
          store.closeIncident(inc, w[1], "HEALTHY", new IncidentEventRecord(0, 0, w[1], "closed", "HEALTHY", "ok", "{}"));
          incidents++;
        }
      }
    }
    System.out.printf(Locale.ROOT, "seeded 1000 hosts, %d state changes, %d incidents in %.1f s%n", changes, incidents,
        (System.nanoTime() - seeded) / 1e9);

    try (NinesServer server =
        NinesServer.start(new ServerSettings("127.0.0.1", 0, db, null, ADMIN), clock, null)) {
      HttpClient http = HttpClient.newHttpClient();
      String url = server.url() + "/api/v1/reports/uptime?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&format=";
      StringBuilder table = new StringBuilder();
      for (int round = 0; round < 2; round++) {
        for (String format : List.of("pdf", "json", "csv", "html")) {
          long t0 = System.nanoTime();
          HttpResponse<byte[]> res =
              http.send(
                  HttpRequest.newBuilder(URI.create(url + format)).header("Authorization", "Bearer " + ADMIN)
                      .timeout(Duration.ofSeconds(120)).build(),
                  HttpResponse.BodyHandlers.ofByteArray());
          double seconds = (System.nanoTime() - t0) / 1e9;
          assertThat(res.statusCode()).as(format).isEqualTo(200);
          if (round == 1) {
            table.append(String.format(Locale.ROOT, "| %s | %.2f s | %,d bytes |%n", format, seconds, res.body().length));
            if (format.equals("pdf")) {
              Files.write(Path.of("target", "uptime-bench.pdf"), res.body());
            }
          }
          System.out.printf(Locale.ROOT, "round %d %-4s %6.2f s %,12d bytes%n", round, format, seconds, res.body().length);
        }
      }
      System.out.print(table);
    }
  }
}

package dev.nines.server.pools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.server.availability.AvailabilityFigures;
import dev.nines.server.availability.HostTimeline;
import dev.nines.server.availability.RequestCount;
import dev.nines.server.availability.Window;
import dev.nines.server.config.ServerConfig;
import dev.nines.server.store.HealthInterval;
import dev.nines.server.store.ReportRecord;
import dev.nines.server.store.ReportSamples;
import dev.nines.server.store.Resolution;
import dev.nines.server.store.RoutingInterval;
import dev.nines.server.store.Store;
import dev.nines.server.store.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk path (one read per table for a whole pool) must give exactly the figures of the host by
 * host path, on a random fleet (seeded): flapping at 10 s steps, routing and maintenance changes,
 * changes at the same millisecond, late joiners, a host never judged, another pool, and request
 * counts served from 1-hour rollups, 1-minute rollups and raw samples.
 */
class PoolReportTest {
  static final long SEC = 1_000L;
  static final long MIN = 60_000L;
  static final long HOUR = 3_600_000L;
  static final long DAY = 86_400_000L;
  static final long START = 1_700_000_000_000L - 1_700_000_000_000L % DAY;
  static final long END = START + 5 * DAY + 7 * HOUR + 20 * SEC;
  static final String[] HEALTH = {"HEALTHY", "HEALTHY", "DEGRADED", "UNHEALTHY", "UNKNOWN"};
  static final String[] ROUTING = {"ACTIVE", "ACTIVE", "DRAINING", "DRAINED", "MAINTENANCE"};
  static final String CONFIG =
      "pools:\n  p: {minActiveFraction: 0.6, degraded: 0.3, slo: {target: 0.999, period: 4d}}\n";

  @TempDir Path dir;
  Store store;

  @BeforeEach
  void open() {
    store = Stores.open(dir.resolve("r.db").toString(), Clock.fixed(Instant.ofEpochMilli(START), ZoneOffset.UTC));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void theBulkReportGivesExactlyTheFiguresOfTheHostByHostPath() {
    List<String> members = seed(new Random(20261129L));
    PoolService service = new PoolService(store, ServerConfig.parse(CONFIG), RequestCounts.of(store), Duration.ofSeconds(10));
    for (Window window :
        List.of(
            new Window(Instant.ofEpochMilli(END - 4 * DAY), Instant.ofEpochMilli(END)),
            new Window(Instant.ofEpochMilli(START + 17 * HOUR + 10 * SEC), Instant.ofEpochMilli(END - 3 * HOUR)),
            new Window(Instant.ofEpochMilli(END - 150 * MIN + 7), Instant.ofEpochMilli(END)))) {
      PoolReport report = service.report("p", window).orElseThrow();
      assertThat(report.hosts()).extracting(AvailabilityReport::id).containsExactlyElementsOf(members);
      // host by host: the per-host reads, one host at a time
      List<HostTimeline> timelines = new ArrayList<>();
      List<RequestCount> allCounts = new ArrayList<>();
      long from = window.from().toEpochMilli();
      long to = window.to().toEpochMilli();
      for (int i = 0; i < members.size(); i++) {
        String id = members.get(i);
        AvailabilityReport alone = service.hostAvailability(id, window).orElseThrow();
        assertThat(report.hosts().get(i)).isEqualTo(alone);
        timelines.add(Timelines.of(id, store.healthIntervals(id, from, to), store.routingIntervals(id, from, to)));
        allCounts.addAll(store.requestCounts(id, from, to));
      }
      AvailabilityFigures pool = PoolService.poolFigures(timelines, service.settings("p"), window);
      assertThat(report.availability().time()).isEqualTo(pool);
      assertThat(report.availability().requests())
          .isEqualTo(dev.nines.server.availability.Availability.requests(allCounts, window));
      assertThat(service.poolAvailability("p", window).orElseThrow()).isEqualTo(report.availability());
      // the SLO at the window's end is the pool status's at that instant
      assertThat(report.slo()).isEqualTo(service.pool("p", window.to()).orElseThrow().slo());
      // the store's bulk reads are the per-host rows
      List<HealthInterval> health = new ArrayList<>();
      List<RoutingInterval> routing = new ArrayList<>();
      for (String id : members) {
        health.addAll(store.healthIntervals(id, from, to));
        routing.addAll(store.routingIntervals(id, from, to));
      }
      assertThat(store.healthIntervalsOf(members, from, to)).isEqualTo(health);
      assertThat(store.routingIntervalsOf(members, from, to)).isEqualTo(routing);
      Map<String, List<RequestCount>> bulk = store.requestCountsOf(members, from, to);
      for (String id : members) {
        assertThat(bulk.get(id)).as(id).isEqualTo(store.requestCounts(id, from, to));
      }
    }
    // the figures are not trivial: outages, request errors and every tier of the counts are used
    PoolReport month = service.report("p", new Window(Instant.ofEpochMilli(START), Instant.ofEpochMilli(END))).orElseThrow();
    assertThat(month.availability().time().incidentCount()).isPositive();
    assertThat(month.availability().requests().total()).isGreaterThan(month.availability().requests().good());
    assertThat(month.hosts()).anySatisfy(h -> assertThat(h.time().availability()).isEmpty());
  }

  @Test
  void anUnknownPoolHasNoReport() {
    seed(new Random(1));
    PoolService service = new PoolService(store, ServerConfig.parse(CONFIG), RequestCounts.of(store), Duration.ofSeconds(10));
    assertThat(service.report("nope", new Window(Instant.ofEpochMilli(START), Instant.ofEpochMilli(END)))).isEmpty();
  }

  /** Seeds the fleet; returns the members of pool p, ordered by id. */
  private List<String> seed(Random random) {
    List<String> members = new ArrayList<>();
    for (int h = 0; h < 14; h++) {
      String id = String.format("h-%02d", h);
      String pool = h < 12 ? "p" : "q";
      if (pool.equals("p")) {
        members.add(id);
      }
      long first = h == 3 ? START + 2 * DAY + 10 * SEC : START + random.nextInt(60) * 10 * SEC;
      store.writeReports(List.of(new ReportRecord(id, 1, first, first, pool, "{}", "{}")));
      if (h == 5) {
        continue; // reported, never judged
      }
      long t = first;
      store.recordHealthChange(interval(id, "HEALTHY", t));
      while (true) {
        // flapping every few 10 s steps on some hosts, every few hours on the others
        boolean flapping = h % 4 == 0 && t > START + DAY && t < START + 2 * DAY;
        t += (1 + random.nextInt(flapping ? 6 : 1200)) * 10 * SEC;
        if (t >= END) {
          break;
        }
        store.recordHealthChange(interval(id, HEALTH[random.nextInt(HEALTH.length)], t));
        if (random.nextInt(5) == 0) {
          store.recordHealthChange(interval(id, HEALTH[random.nextInt(HEALTH.length)], t)); // same ms
        }
        if (random.nextInt(8) == 0) {
          long at = random.nextBoolean() ? t : t + random.nextInt(30) * 10 * SEC;
          store.recordRoutingChange(id, ROUTING[random.nextInt(ROUTING.length)], "test", "test", at);
          t = Math.max(t, at);
        }
      }
    }
    // request counts every 30 s over the last 3 h; two endpoints; some minutes with more errors
    // than requests (clamped per bucket)
    long seq = 2;
    List<ReportRecord> batch = new ArrayList<>();
    for (long ts = END - 3 * HOUR - 17 * SEC; ts < END; ts += 30 * SEC) {
      for (int h = 0; h < 14; h++) {
        long requests = random.nextInt(100);
        long errors = random.nextInt(10) == 0 ? requests + random.nextInt(5) : random.nextInt(3);
        ReportSamples s =
            new ReportSamples(
                null, List.of(),
                List.of(
                    new ReportSamples.EndpointSample("http://a:8000", 1.0, 2.0, null, null, 80.0, requests, errors),
                    new ReportSamples.EndpointSample("http://b:8000", 1.0, 2.0, null, null, 80.0, requests / 2, 0L)));
        String id = String.format("h-%02d", h);
        batch.add(new ReportRecord(id, seq, ts, ts, h < 12 ? "p" : "q", "{}", "{}", s));
      }
      seq++;
    }
    store.writeReports(batch);
    store.rollUp(END, 0, 0, 100_000);
    // as retention leaves them: hours only before END - 2 h, minutes up to END - 40 min, then raw
    while (store.prune(Resolution.MINUTE, END - 2 * HOUR - 13 * MIN, HOUR) > 0) {
      // next slice
    }
    while (store.prune(Resolution.RAW, END - 40 * MIN - 7 * SEC, HOUR) > 0) {
      // next slice
    }
    return members;
  }

  private static HealthInterval interval(String host, String state, long at) {
    return new HealthInterval(host, state, at, null, "[]", state, "{}");
  }
}

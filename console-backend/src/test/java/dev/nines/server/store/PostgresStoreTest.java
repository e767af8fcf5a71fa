package dev.nines.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** What only PostgreSQL has: several processes writing one database, and lost connections. */
class PostgresStoreTest {
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
  static final long H = 1_700_000_000_000L / 3_600_000 * 3_600_000;

  @Test
  void twoStoresOnOneDatabaseLoseNoRowAndNeverShareAnId() throws Exception {
    PostgresServer.Database db = PostgresServer.get().newDatabase();
    int perWriter = 60;
    try (Store a = Stores.open(db.urlWithCredentials(), CLOCK);
        Store b = Stores.open(db.urlWithCredentials(), CLOCK)) {
      List<Store> stores = List.of(a, b);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<Long>>> eventIds = new ArrayList<>();
      List<Future<List<Long>>> incidentIds = new ArrayList<>();
      List<Future<Integer>> outboxStored = new ArrayList<>();
      try {
        for (int w = 0; w < 2; w++) {
          Store s = stores.get(w);
          String writer = "w" + w;
          long sharedSeq = w + 1;
          eventIds.add(
              pool.submit(
                  () -> {
                    start.await();
                    List<Long> ids = new ArrayList<>();
                    for (int i = 0; i < perWriter; i++) {
                      ids.add(s.appendEvent("test", H + i, "{\"writer\":\"" + writer + "\",\"i\":" + i + "}"));
                      // reports from the same writer, in the same minutes as the other writer's
                      s.writeReports(
                          List.of(
                              SampleStoreTest.report(writer + "-h" + (i % 3), i + 1, H + i * 1_000L, 0.1, 50, 1, 0),
                              SampleStoreTest.report("shared-" + i, sharedSeq, H + i * 1_000L, 0.1, 50, 1, 0)));
                    }
                    return ids;
                  }));
          incidentIds.add(
              pool.submit(
                  () -> {
                    start.await();
                    List<Long> ids = new ArrayList<>();
                    for (int i = 0; i < perWriter / 2; i++) {
                      long id =
                          s.openIncident(
                              new IncidentRecord(0, "host", writer + "-" + i, "open", "critical", "UNHEALTHY", H + i, null, "{}"),
                              new IncidentEventRecord(0, 0, H + i, "opened", "UNHEALTHY", "opened", "{}"));
                      s.addIncidentEvent(id, "critical", "UNHEALTHY", new IncidentEventRecord(0, 0, H + i + 1, "changed", "UNHEALTHY", "x", "{}"));
                      ids.add(id);
                    }
                    return ids;
                  }));
        }
        for (int w = 0; w < 2; w++) {
          Store s = stores.get(w);
          String writer = "w" + w;
          outboxStored.add(
              pool.submit(
                  () -> {
                    start.await();
                    int stored = 0;
                    for (int i = 0; i < perWriter / 2; i++) {
                      stored += s.enqueueOutbox(List.of(outbox(writer + "-" + i), outbox("both-" + i)));
                    }
                    return stored;
                  }));
        }
        start.countDown();
        List<Long> allEvents = new ArrayList<>();
        for (Future<List<Long>> f : eventIds) {
          List<Long> ids = f.get(120, TimeUnit.SECONDS);
          assertThat(ids).as("one writer's events in the order it appended them").isSorted();
          allEvents.addAll(ids);
        }
        List<Long> allIncidents = new ArrayList<>();
        for (Future<List<Long>> f : incidentIds) {
          allIncidents.addAll(f.get(120, TimeUnit.SECONDS));
        }
        int outboxTotal = 0;
        for (Future<Integer> f : outboxStored) {
          outboxTotal += f.get(120, TimeUnit.SECONDS);
        }
        Collections.sort(allEvents);
        assertThat(allEvents).containsExactlyElementsOf(LongStream.rangeClosed(1, 2L * perWriter).boxed().toList());
        assertThat(a.eventsAfter(0, 1_000)).extracting(StoredEvent::id).containsExactlyElementsOf(allEvents);
        assertThat(allIncidents).doesNotHaveDuplicates().hasSize(perWriter);
        assertThat(b.openIncidents()).hasSize(perWriter);
        assertThat(a.incidentEvents(allIncidents, null).values()).allSatisfy(list -> assertThat(list).hasSize(2));
        // every writer's own message plus one of the two copies of each shared event id
        assertThat(outboxTotal).isEqualTo(perWriter + perWriter / 2);
        assertThat(count(db, "SELECT COUNT(DISTINCT seq) FROM outbox")).isEqualTo(perWriter + perWriter / 2);
        assertThat(a.reportCount()).isEqualTo(2L * perWriter + 2L * perWriter);
        assertThat(b.hosts()).hasSize(6 + perWriter);
      } finally {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      }
    }
  }

  @Test
  void aStoreWhoseConnectionsWereCutReconnectsOnItsNextUse() {
    PostgresServer server = PostgresServer.get();
    PostgresServer.Database db = server.newDatabase();
    try (Store store = Stores.open(db.urlWithCredentials(), CLOCK)) {
      store.writeReports(List.of(SampleStoreTest.report("h", 1, H, 0.1, 50, 1, 0)));
      store.appendEvent("test", H, "{}");
      assertThat(server.terminateConnections(db.name())).isEqualTo(5);
      // a read is tried once more on a new connection
      assertThat(store.hosts()).extracting(HostRecord::id).containsExactly("h");
      // a write in flight fails, the next one reconnects
      try {
        store.appendEvent("test", H + 1, "{}");
      } catch (StoreException expected) {
        // the writer found its connection gone
      }
      store.writeReports(List.of(SampleStoreTest.report("h", 2, H + 1_000, 0.1, 50, 1, 0)));
      assertThat(store.appendEvent("test", H + 2, "{}")).isGreaterThan(1);
      assertThat(store.host("h").orElseThrow().lastSeq()).isEqualTo(2);
    }
  }

  @Test
  void everyConnectionCommitsSynchronously() throws Exception {
    PostgresServer.Database db = PostgresServer.get().newDatabase();
    try (Connection admin = DriverManager.getConnection(db.urlWithCredentials());
        Statement st = admin.createStatement()) {
      st.execute("ALTER DATABASE " + db.name() + " SET synchronous_commit = off");
    }
    try (Store store = Stores.open(db.urlWithCredentials(), CLOCK)) {
      store.appendEvent("test", H, "{}");
      assertThat(
              count(
                  db,
                  "SELECT COUNT(*) FROM pg_stat_activity a WHERE a.datname = current_database()"
                      + " AND a.application_name = 'nines'"))
          .isEqualTo(5);
      try (Connection c = DriverManager.getConnection(db.urlWithCredentials());
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SHOW synchronous_commit")) {
        rs.next();
        assertThat(rs.getString(1)).as("the database's default, which the store overrides").isEqualTo("off");
      }
    }
  }

  @Test
  void theUrlsPasswordStaysOutOfMessagesAndTheEnvironmentsIsUsedWithoutOne() {
    PostgresServer.Database db = PostgresServer.get().newDatabase();
    Properties props = new Properties();
    assertThat(PostgresStore.withoutPassword(db.url() + "?user=nines&password=s%3Dcret&ssl=false", props))
        .isEqualTo(db.url() + "?user=nines&ssl=false");
    assertThat(props.getProperty("password")).isEqualTo("s=cret");
    try (Store store = PostgresStore.open(db.url() + "?user=" + db.user(), db.password(), CLOCK)) {
      assertThat(store.lastEventId()).isZero();
    }
    assertThatThrownBy(() -> PostgresStore.open(db.url() + "?user=" + db.user() + "&password=wrong", null, CLOCK))
        .isInstanceOf(StoreException.class)
        .hasMessageNotContaining("wrong")
        .hasMessageContaining(db.url());
  }

  static OutboxRow outbox(String eventId) {
    return new OutboxRow(0, eventId, "r1", "g", "{}", "pending", 0, H, H, H, null, null, null);
  }

  static long count(PostgresServer.Database db, String sql) {
    try (Connection c = DriverManager.getConnection(db.urlWithCredentials());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

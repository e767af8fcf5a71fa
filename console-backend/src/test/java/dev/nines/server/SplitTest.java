package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nines.server.store.PostgresServer;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A split: the leader loses its database (a relay between them is cut) while it keeps running.
 * It must stop acting before the other replica starts: its act window ends {@code margin} before
 * its lease runs out, and only then may the other take the lease.
 */
class SplitTest {
  @Test
  void aLeaderCutOffFromTheDatabaseStopsActingBeforeTheNewLeaderStarts() throws Exception {
    PostgresServer pg = PostgresServer.get();
    PostgresServer.Database db = pg.newDatabase();
    try (TcpProxy relay = new TcpProxy(pg.port())) {
      String direct = db.urlWithCredentials();
      String relayed = direct.replace(":" + pg.port() + "/", ":" + relay.port() + "/");
      assertThat(relayed).isNotEqualTo(direct);
      try (NinesServer a = NinesServer.start(new ServerSettings("127.0.0.1", 0, relayed, null, ADMIN), Clock.systemUTC());
          NinesServer b = NinesServer.start(new ServerSettings("127.0.0.1", 0, direct, null, ADMIN), Clock.systemUTC())) {
        assertThat(a.acting()).isTrue();
        assertThat(b.acting()).isFalse();
        AtomicLong aStopped = new AtomicLong();
        AtomicLong bStarted = new AtomicLong();
        AtomicLong overlap = new AtomicLong();
        Thread watch =
            new Thread(
                () -> {
                  while (bStarted.get() == 0 && !Thread.currentThread().isInterrupted()) {
                    boolean aActs = a.acting();
                    boolean bActs = b.acting();
                    long now = System.nanoTime();
                    if (aActs && bActs) {
                      overlap.incrementAndGet();
                    }
                    if (!aActs) {
                      aStopped.compareAndSet(0, now);
                    }
                    if (bActs) {
                      bStarted.compareAndSet(0, now);
                    }
                    try {
                      Thread.sleep(5); // a watcher's sampling period, not a wait for the outcome
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                },
                "split-watch");
        long cutAt = System.nanoTime();
        relay.cut();
        watch.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> bStarted.get() != 0);
        watch.interrupt();
        watch.join(5_000);
        long stoppedMs = (aStopped.get() - cutAt) / 1_000_000;
        long startedMs = (bStarted.get() - cutAt) / 1_000_000;
        System.out.printf("split: the cut-off leader stopped acting %d ms after the cut, the other led %d ms after it%n",
            stoppedMs, startedMs);
        assertThat(aStopped.get()).as("the cut-off leader stopped acting").isNotZero();
        assertThat(aStopped.get()).as("it stopped before the other started").isLessThan(bStarted.get());
        assertThat(overlap.get()).as("never both acting").isZero();
        assertThat(startedMs).isLessThan(10_000);
        await().atMost(Duration.ofSeconds(15)).until(() -> !a.leads());
      }
    }
  }
}

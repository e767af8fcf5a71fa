package dev.nines.console.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.nines.console.app.ManualTime;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the backend cannot be made to do on demand, with a real HTTP server (the JDK's) that stalls:
 * a report download cancelled half-way, and an event stream that goes silent.
 */
class StallingServerTest {
  @TempDir Path dir;
  HttpServer server;
  final java.util.concurrent.ExecutorService handlers = java.util.concurrent.Executors.newCachedThreadPool();
  final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/reports/uptime", ex -> {
      ex.getResponseHeaders().add("Content-Type", "text/csv");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(new byte[256 * 1024]);
        os.flush();
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException | IOException e) {
        // the client left
      }
    });
    server.createContext("/api/v1/events", ex -> {
      ex.getResponseHeaders().add("Content-Type", "text/event-stream");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream os = ex.getResponseBody()) {
        os.write("id: 5\nevent: health\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));
        os.flush();
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException | IOException e) {
        // the client left
      }
    });
    server.createContext("/api/v1/hosts", ex -> {
      try {
        release.await(30, TimeUnit.SECONDS); // never answers in time
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.sendResponseHeaders(503, -1);
      ex.close();
    });
    server.setExecutor(handlers);
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Test
  void aServerThatDoesNotAnswerInTimeIsATimeout() {
    try (BackendClient c = new BackendClient(uri(), "t", Duration.ofSeconds(2), Duration.ofMillis(300), Clock.systemUTC())) {
      org.assertj.core.api.Assertions.assertThatThrownBy(c::hosts)
          .isInstanceOfSatisfying(BackendException.class, e -> {
            assertThat(e.kind()).isEqualTo(BackendException.Kind.TIMEOUT);
            assertThat(e.operatorMessage()).contains("did not answer in time", "list the hosts");
          });
    }
  }

  @Test
  void aCancelledDownloadStopsAndLeavesNoFileBehind() throws IOException {
    Path out = dir.resolve("r").resolve("report.csv");
    AtomicLong received = new AtomicLong();
    try (BackendClient c = new BackendClient(uri(), "t", Duration.ofSeconds(2), Duration.ofSeconds(10), Clock.systemUTC())) {
      Download d = c.uptimeReport(null, null, null, ReportFormat.CSV, out, (bytes, total, elapsed) -> received.set(bytes));
      await().atMost(10, TimeUnit.SECONDS).until(() -> received.get() >= 128 * 1024);
      assertThat(d.result()).isNotDone();
      d.cancel();
      assertThat(d.result()).isCompletedExceptionally();
      assertThat(d.result().isCancelled() || d.result().handle((r, e) -> e).join() instanceof CancellationException).isTrue();
      await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
        try (var files = Files.list(out.getParent())) {
          assertThat(files).isEmpty();
        }
      });
    }
  }

  @Test
  void aSilentStreamIsDroppedAfterTheIdleTimeoutAndMadeAgain() {
    ManualTime clock = new ManualTime(Instant.parse("2026-11-30T00:00:00Z")); // the clock only: the stream schedules on the scheduler
    ManualScheduler scheduler = new ManualScheduler();
    Duration idle = Duration.ofSeconds(45);
    EventStream s =
        new EventStream(uri(), "t", null, new EventStream.Options(Backoff.DEFAULT, Duration.ofSeconds(2), idle), clock, new Random(1), scheduler);
    try {
      s.start();
      await().atMost(10, TimeUnit.SECONDS).until(() -> "5".equals(s.lastEventId()));
      assertThat(s.status().state()).isEqualTo(ConnectionState.LIVE);
      clock.advance(Duration.ofSeconds(30));
      scheduler.runUpTo(idle); // 30 s of silence: still fine, checked again later
      assertThat(s.status().state()).isEqualTo(ConnectionState.LIVE);
      clock.advance(Duration.ofSeconds(30));
      scheduler.runUpTo(idle); // 60 s: dropped
      await().atMost(10, TimeUnit.SECONDS).until(() -> s.status().state() == ConnectionState.RECONNECTING);
      assertThat(s.status().reason()).contains("lost");
      scheduler.runUpTo(Duration.ofSeconds(1));
      await().atMost(10, TimeUnit.SECONDS).until(() -> s.status().state() == ConnectionState.LIVE);
      assertThat(s.status().reason()).contains("resumed after event 5");
    } finally {
      s.close();
    }
  }
}

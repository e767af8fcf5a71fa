package dev.nines.launcher;

import dev.nines.sim.SimServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A trickle of real completions to each simulated server, so the demo's figures move. */
final class DemoTraffic implements AutoCloseable {
  private final ScheduledExecutorService timer;

  private DemoTraffic(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** Sends {@code perSecond} completions a second to each server, asynchronously, until closed. */
  static DemoTraffic start(List<SimServer> servers, double perSecond) {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "nines-demo-traffic");
          t.setDaemon(true);
          return t;
        });
    if (perSecond > 0) {
      long periodMicros = Math.max(1_000, (long) (1_000_000 / perSecond));
      for (SimServer s : servers) {
        HttpRequest request =
            HttpRequest.newBuilder(URI.create(s.baseUrl() + "/v1/completions"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"sim-llama-3-8b\",\"prompt\":\"Hello\",\"max_tokens\":8}"))
                .build();
        timer.scheduleAtFixedRate(
            () -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()),
            periodMicros, periodMicros, TimeUnit.MICROSECONDS);
      }
    }
    return new DemoTraffic(timer);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

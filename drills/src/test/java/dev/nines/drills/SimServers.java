package dev.nines.drills;

import dev.nines.sim.SimConfig;
import dev.nines.sim.SimFleet;
import dev.nines.sim.SimServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Simulated model servers in this JVM (the simulator's {@link SimFleet}, as {@code nines sim}
 * starts it) on ephemeral loopback ports, with faults set over HTTP through the fleet's control
 * endpoint {@code POST /sim/servers/{index}/fault}: the same JSON as a server's own {@code POST
 * /sim/fault}, and it still answers while that server is {@code down}.
 */
final class SimServers implements AutoCloseable {
  /**
   * Base latency of a simulated request: 10x slower (300 ms) stands out clearly, and 3 servers
   * answer 200 req/s with a handful of requests in flight each.
   */
  static final long BASE_LATENCY_MS = 30;

  private final SimFleet fleet;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private SimServers(SimFleet fleet) {
    this.fleet = fleet;
  }

  /** Starts {@code count} servers with {@link #BASE_LATENCY_MS} and one simulated GPU each. */
  static SimServers start(int count) {
    SimConfig config = new SimConfig("127.0.0.1", 0, count, 0, BASE_LATENCY_MS, 1, "sim-llama-3-8b", 42L);
    return new SimServers(SimFleet.start(config, Clock.systemUTC()));
  }

  List<SimServer> servers() {
    return fleet.servers();
  }

  SimServer server(int index) {
    return fleet.servers().get(index);
  }

  /** The HAProxy server lines {@code s1..sN} for these servers, without agent checks. */
  List<Haproxy.Server> haproxyServers() {
    return fleet.servers().stream().map(s -> Haproxy.Server.of("s" + (s.index() + 1), s.port())).toList();
  }

  /**
   * Sets a fault on server {@code index} (from 0), e.g. {@code {"mode": "slow", "latencyMs": 270}},
   * and returns once it is in force.
   *
   * @throws IllegalStateException if the simulator refuses it
   */
  void fault(int index, String json) {
    HttpRequest request = HttpRequest.newBuilder(
            URI.create(fleet.controlUrl() + "/sim/servers/" + index + "/fault"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("fault " + json + " on server " + index + ": HTTP "
            + r.statusCode() + " " + r.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException("fault " + json + " on server " + index + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while setting a fault", e);
    }
  }

  void slow(int index, long latencyMs) {
    fault(index, "{\"mode\": \"slow\", \"latencyMs\": " + latencyMs + "}");
  }

  void hang(int index) {
    fault(index, "{\"mode\": \"hang\"}");
  }

  void down(int index) {
    fault(index, "{\"mode\": \"down\"}");
  }

  void clear(int index) {
    fault(index, "{\"mode\": \"none\"}");
  }

  @Override
  public void close() {
    fleet.close();
  }
}

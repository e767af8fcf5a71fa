package dev.nines.dashboards;

import dev.nines.agent.Agent;
import dev.nines.agent.AgentSettings;
import dev.nines.agent.collect.host.OshiHostCollector;
import dev.nines.agent.net.AgentHttp;
import dev.nines.server.NinesServer;
import dev.nines.server.ServerSettings;
import dev.nines.sim.SimConfig;
import dev.nines.sim.SimFleet;
import dev.nines.sim.SimServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real thing in this JVM: a Nines server on an ephemeral port with a SQLite file, one simulated
 * model server with two simulated GPUs, and a real agent (1 s interval) probing it and reporting to
 * the server, as {@code nines server} + {@code nines sim} + {@code nines agent} would run them.
 */
final class LiveFleet implements AutoCloseable {
  static final String ADMIN = "dashboards-admin-token-0123456789";
  static final String POOL = "llm";
  static final String HOST = "host-1";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private NinesServer server;
  private SimFleet sims;
  private Agent agent;

  private LiveFleet() {}

  static LiveFleet start(Path dir) {
    LiveFleet f = new LiveFleet();
    Clock clock = Clock.systemUTC();
    try {
      f.server = NinesServer.start(
          new ServerSettings("127.0.0.1", 0, dir.resolve("nines.db").toString(), null, ADMIN), clock);
      f.sims = SimFleet.start(new SimConfig("127.0.0.1", 0, 1, -1, 20, 2, "sim-llama-3-8b", 7L), clock);
      SimServer sim = f.sims.servers().get(0);
      String token = f.server.createToken("agent", "dashboards-test");
      AgentSettings settings = AgentSettings.builder(HOST)
          .servers(List.of(URI.create(f.server.url())))
          .token(token)
          .labels(Map.of("pool", POOL))
          .endpoints(List.of(URI.create(sim.baseUrl())))
          .gpu("sim:" + sim.baseUrl())
          .interval(Duration.ofSeconds(1))
          .bind("127.0.0.1")
          .port(0)
          .agentCheckPort(0)
          .spoolDir(dir.resolve("spool"))
          .build();
      f.agent = Agent.start(settings, new OshiHostCollector(clock), AgentHttp.create(Duration.ofSeconds(2)), clock);
      return f;
    } catch (IOException | RuntimeException e) {
      f.close();
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot start the fleet", io);
      }
      throw (RuntimeException) e;
    }
  }

  String serverUrl() {
    return server.url();
  }

  String agentUrl() {
    return "http://127.0.0.1:" + agent.localPort();
  }

  /** GET {@code url} with the admin token; the body, or an AssertionError on a status other than 200. */
  String get(String url) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + ADMIN)
        .GET()
        .build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError("GET " + url + ": HTTP " + r.statusCode() + " " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + url + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during GET " + url, e);
    }
  }

  /** GET {@code url} without any token (as Prometheus scrapes). */
  String scrape(String url) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError("GET " + url + " without a token: HTTP " + r.statusCode() + " " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + url + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during GET " + url, e);
    }
  }

  /** POSTs {@code json} to the server's {@code path} as admin; fails unless it answers {@code expected}. */
  String post(String path, String json, int expected) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + path))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + ADMIN)
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != expected) {
        throw new AssertionError("POST " + path + ": HTTP " + r.statusCode() + " " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException("POST " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during POST " + path, e);
    }
  }

  /** Sets a fault on the simulated model server, e.g. {@code {"mode":"gpu-ecc","gpu":0,"count":2}}. */
  void fault(String json) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(sims.servers().get(0).baseUrl() + "/sim/fault"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError("fault " + json + ": HTTP " + r.statusCode() + " " + r.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("fault " + json + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while setting a fault", e);
    }
  }

  String serverPage() {
    return scrape(server.url() + "/metrics");
  }

  String agentPage() {
    return scrape(agentUrl() + "/metrics");
  }

  @Override
  public void close() {
    if (agent != null) {
      agent.close();
    }
    if (sims != null) {
      sims.close();
    }
    if (server != null) {
      server.close();
    }
  }
}

package dev.nines.drills;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A real Nines backend in its own JVM ({@code dev.nines.server.ServerCommand} on this test's class
 * path), on loopback, with a port file. A drill kills it (SIGKILL) and restarts it on the same
 * database and port.
 */
final class BackendProcess implements AutoCloseable {
  /** Longest wait for a start (JVM start, SQLite migrations, Javalin). */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How to start it.
   *
   * @param dir where port files and logs go
   * @param db what {@code --db} takes: a SQLite file path or a JDBC URL ({@code jdbc:postgresql://...})
   * @param config the YAML configuration, or null for none
   * @param adminToken the first admin token
   * @param port the port, or 0 for an ephemeral one
   */
  record Launch(Path dir, String db, Path config, String adminToken, int port) {
    Launch {
      if (dir == null || db == null || db.isBlank()) {
        throw new IllegalArgumentException("dir and db are required");
      }
      if (adminToken == null || adminToken.isBlank()) {
        throw new IllegalArgumentException("adminToken must not be blank");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535 (was " + port + ")");
      }
    }

    Launch withPort(int p) {
      return new Launch(dir, db, config, adminToken, p);
    }
  }

  private final Launch launch;
  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private BackendProcess(Launch launch, Process process, int port, Path log) {
    this.launch = launch;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts a backend on {@code <dir>/nines.db} with an ephemeral port and no configuration. */
  static BackendProcess start(Path dir, String adminToken) {
    return start(new Launch(dir, dir.resolve("nines.db").toString(), null, adminToken, 0));
  }

  /**
   * Starts a backend and waits (at most {@link #START_TIMEOUT}) until it has written its port file.
   *
   * @throws IllegalStateException if it exits or does not come up (with its log)
   */
  static BackendProcess start(Launch launch) {
    String stem = "backend-" + System.nanoTime();
    Path portFile = launch.dir().resolve(stem + ".port");
    Path log = launch.dir().resolve(stem + ".log");
    List<String> cmd = new ArrayList<>(List.of(javaCommand(), "-Xmx256m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), "dev.nines.server.ServerCommand",
        "--bind", "127.0.0.1", "--port", String.valueOf(launch.port()), "--port-file", portFile.toString(),
        "--db", launch.db(), "--admin-token", launch.adminToken()));
    if (launch.config() != null) {
      cmd.addAll(List.of("--config", launch.config().toString()));
    }
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the backend", e);
    }
    try {
      await("the backend's port file")
          .atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> Files.exists(portFile) || !p.isAlive());
    } catch (RuntimeException e) {
      p.destroyForcibly();
      throw new IllegalStateException("the backend did not start; its log:\n" + read(log), e);
    }
    if (!p.isAlive()) {
      throw new IllegalStateException("the backend exited with " + p.exitValue() + "; its log:\n" + read(log));
    }
    try {
      int port = Integer.parseInt(Files.readString(portFile).strip());
      return new BackendProcess(launch.withPort(port), p, port, log);
    } catch (IOException | NumberFormatException e) {
      p.destroyForcibly();
      throw new IllegalStateException("cannot read the backend's port file " + portFile, e);
    }
  }

  private static String javaCommand() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** Starts a new backend on the same database, configuration, token and port (this one must be dead). */
  BackendProcess restart() {
    if (process.isAlive()) {
      throw new IllegalStateException("backend " + process.pid() + " is still running: kill or close it first");
    }
    return start(launch);
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  String adminToken() {
    return launch.adminToken();
  }

  /** What the backend printed so far. */
  String log() {
    return read(log);
  }

  /**
   * {@code GET <path>} with the admin token, parsed.
   *
   * @throws IllegalStateException on a non-200 answer or no answer
   */
  JsonNode get(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url() + path))
        .timeout(Duration.ofSeconds(5))
        .header("Authorization", "Bearer " + launch.adminToken())
        .GET()
        .build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
      }
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * An answer of the backend: its HTTP status and body.
   *
   * @param status the HTTP status
   * @param body the body, parsed (a missing node when empty or not JSON)
   */
  record Answer(int status, JsonNode body) {}

  /**
   * {@code POST <path>} with the admin token and a JSON body; any HTTP status comes back.
   *
   * @throws IllegalStateException when no answer comes (within 5 s)
   */
  Answer post(String path, String json) {
    return post(path, json, launch.adminToken());
  }

  /** As {@link #post(String, String)} with another bearer {@code token} (an operator's, say). */
  Answer post(String path, String json, String token) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url() + path))
        .timeout(Duration.ofSeconds(5))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body;
      try {
        body = r.body().isBlank() ? JSON.missingNode() : JSON.readTree(r.body());
      } catch (IOException e) {
        body = JSON.missingNode();
      }
      return new Answer(r.statusCode(), body);
    } catch (IOException e) {
      throw new IllegalStateException("POST " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Host id to its health state ({@code HEALTHY}, ...) from {@code GET /api/v1/hosts}. */
  Map<String, String> hostHealth() {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode h : get("/api/v1/hosts")) {
      out.put(h.path("id").asText(), h.path("health").path("state").asText(null));
    }
    return out;
  }

  /** Host id to its desired routing state from {@code GET /api/v1/hosts}. */
  Map<String, String> hostRouting() {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode h : get("/api/v1/hosts")) {
      out.put(h.path("id").asText(), h.path("routing").path("state").asText(null));
    }
    return out;
  }

  /**
   * Kills the process at once with SIGKILL ({@link Process#destroyForcibly}): no shutdown hook
   * runs. Waits (at most 10 s) until it is gone.
   */
  void kill() {
    process.destroyForcibly();
    waitGone(10);
  }

  /** SIGTERM (an orderly stop), SIGKILL after 20 s. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private void waitGone(int seconds) {
    try {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        throw new IllegalStateException("backend " + process.pid() + " did not end within " + seconds + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "(no log)";
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }
}

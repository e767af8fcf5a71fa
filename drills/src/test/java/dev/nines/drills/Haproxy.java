package dev.nines.drills;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy child process ({@code haproxy -db -f <cfg>}) in front of a backend {@code llm}, with
 * a generated configuration, a frontend on a free loopback port and an admin stats socket (the
 * runtime API). Close it to stop the process.
 */
final class Haproxy implements AutoCloseable {
  /** The backend's name in the generated configuration. */
  static final String BACKEND = "llm";

  /** Longest wait for the frontend to accept after the start. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  /**
   * One server of backend {@code llm}.
   *
   * @param name server name, e.g. {@code s1}
   * @param port its loopback port
   * @param agentPort the port of its HAProxy agent-check responder, or -1 for none
   */
  record Server(String name, int port, int agentPort) {
    Server {
      if (name == null || !name.matches("[A-Za-z0-9_.-]{1,32}")) {
        throw new IllegalArgumentException("name must be 1-32 letters, digits, _ . - (was " + name + ")");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1..65535 (was " + port + ")");
      }
      if (agentPort != -1 && (agentPort < 1 || agentPort > 65535)) {
        throw new IllegalArgumentException("agentPort must be -1 or 1..65535 (was " + agentPort + ")");
      }
    }

    static Server of(String name, int port) {
      return new Server(name, port, -1);
    }
  }

  /**
   * HAProxy's own HTTP health check of every server.
   *
   * @param path the path asked with GET; the check passes on 200
   * @param inter time between checks
   * @param fall failed checks in a row that take a server down
   * @param rise passed checks in a row that bring it back
   */
  record HealthCheck(String path, Duration inter, int fall, int rise) {
    HealthCheck {
      if (path == null || !path.startsWith("/") || path.contains(" ")) {
        throw new IllegalArgumentException("path must start with / and hold no space (was " + path + ")");
      }
      if (inter == null || inter.toMillis() < 10) {
        throw new IllegalArgumentException("inter must be at least 10 ms (was " + inter + ")");
      }
      if (fall < 1 || rise < 1) {
        throw new IllegalArgumentException("fall and rise must be at least 1 (were " + fall + ", " + rise + ")");
      }
    }

    /** {@code GET /health}, {@code check inter 2s fall 3 rise 2}: the usual packaged defaults. */
    static HealthCheck debianDefaults() {
      return new HealthCheck("/health", Duration.ofSeconds(2), 3, 2);
    }
  }

  /**
   * What to generate.
   *
   * @param servers the servers of backend {@code llm}, in order
   * @param balance {@code roundrobin} or {@code leastconn}
   * @param timeoutClient {@code timeout client} (also {@code http-keep-alive})
   * @param timeoutServer {@code timeout server}
   * @param retries {@code retries} of a failed connection to a server
   * @param check HAProxy's HTTP health check, or null for none
   * @param agentInter {@code agent-inter} of the servers that have an agent port
   */
  record Settings(
      List<Server> servers,
      String balance,
      Duration timeoutClient,
      Duration timeoutServer,
      int retries,
      HealthCheck check,
      Duration agentInter) {
    Settings {
      servers = List.copyOf(servers);
      if (servers.isEmpty()) {
        throw new IllegalArgumentException("servers must not be empty");
      }
      if (servers.stream().map(Server::name).distinct().count() != servers.size()) {
        throw new IllegalArgumentException("servers must have distinct names");
      }
      if (!"roundrobin".equals(balance) && !"leastconn".equals(balance)) {
        throw new IllegalArgumentException("balance must be roundrobin or leastconn (was " + balance + ")");
      }
      if (timeoutClient == null || timeoutClient.toMillis() < 1) {
        throw new IllegalArgumentException("timeoutClient must be positive");
      }
      if (timeoutServer == null || timeoutServer.toMillis() < 1) {
        throw new IllegalArgumentException("timeoutServer must be positive");
      }
      if (retries < 0) {
        throw new IllegalArgumentException("retries must be >= 0 (was " + retries + ")");
      }
      if (agentInter == null || agentInter.toMillis() < 10) {
        throw new IllegalArgumentException("agentInter must be at least 10 ms");
      }
    }

    /** Round robin, 30 s timeouts, retries 0, no health check, agent-inter 500 ms. */
    static Settings of(List<Server> servers) {
      return new Settings(servers, "roundrobin", Duration.ofSeconds(30), Duration.ofSeconds(30), 0, null,
          Duration.ofMillis(500));
    }

    Settings withBalance(String v) {
      return new Settings(servers, v, timeoutClient, timeoutServer, retries, check, agentInter);
    }

    Settings withTimeouts(Duration client, Duration server) {
      return new Settings(servers, balance, client, server, retries, check, agentInter);
    }

    Settings withRetries(int v) {
      return new Settings(servers, balance, timeoutClient, timeoutServer, v, check, agentInter);
    }

    Settings withCheck(HealthCheck v) {
      return new Settings(servers, balance, timeoutClient, timeoutServer, retries, v, agentInter);
    }

    Settings withAgentInter(Duration v) {
      return new Settings(servers, balance, timeoutClient, timeoutServer, retries, check, v);
    }
  }

  private final Process process;
  private final int frontendPort;
  private final Path socket;
  private final Path configFile;
  private final Path log;

  private Haproxy(Process process, int frontendPort, Path socket, Path configFile, Path log) {
    this.process = process;
    this.frontendPort = frontendPort;
    this.socket = socket;
    this.configFile = configFile;
    this.log = log;
  }

  /** The configuration HAProxy is started with. Pure. */
  static String config(Settings s, int frontendPort, Path socket) {
    StringBuilder b = new StringBuilder();
    b.append("global\n");
    b.append("  maxconn 8192\n");
    b.append("  stats socket ").append(socket).append(" mode 600 level admin\n");
    b.append("  stats timeout 10s\n");
    b.append("\n");
    b.append("defaults\n");
    b.append("  mode http\n");
    b.append("  timeout connect 2s\n");
    b.append("  timeout client ").append(ms(s.timeoutClient())).append('\n');
    b.append("  timeout http-keep-alive ").append(ms(s.timeoutClient())).append('\n');
    b.append("  timeout server ").append(ms(s.timeoutServer())).append('\n');
    b.append("  timeout check 2s\n");
    b.append("\n");
    b.append("frontend fe\n");
    b.append("  bind 127.0.0.1:").append(frontendPort).append('\n');
    b.append("  default_backend ").append(BACKEND).append('\n');
    b.append("\n");
    b.append("backend ").append(BACKEND).append('\n');
    b.append("  balance ").append(s.balance()).append('\n');
    b.append("  retries ").append(s.retries()).append('\n');
    b.append("  http-response set-header X-Served-By %s\n");
    if (s.check() != null) {
      b.append("  option httpchk GET ").append(s.check().path()).append('\n');
      b.append("  http-check expect status 200\n");
    }
    for (Server server : s.servers()) {
      b.append("  server ").append(server.name()).append(" 127.0.0.1:").append(server.port());
      if (s.check() != null) {
        b.append(" check inter ").append(ms(s.check().inter()))
            .append(" fall ").append(s.check().fall())
            .append(" rise ").append(s.check().rise());
      }
      if (server.agentPort() > 0) {
        b.append(" agent-check agent-port ").append(server.agentPort())
            .append(" agent-inter ").append(ms(s.agentInter()));
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static String ms(Duration d) {
    return d.toMillis() + "ms";
  }

  /** Whether an {@code haproxy} executable is on the PATH. */
  static boolean installed() {
    return executable().isPresent();
  }

  private static java.util.Optional<Path> executable() {
    String path = System.getenv("PATH");
    if (path == null) {
      return java.util.Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "haproxy");
      if (Files.isExecutable(p)) {
        return java.util.Optional.of(p);
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * Writes the configuration into {@code dir}, starts HAProxy and waits (at most {@link
   * #START_TIMEOUT}) until its frontend accepts and its stats socket exists.
   *
   * @throws IllegalStateException if HAProxy is not installed, exits or does not come up (with its log)
   */
  static Haproxy start(Settings settings, Path dir) {
    Path exe = executable().orElseThrow(() -> new IllegalStateException("haproxy is not on the PATH"));
    int port = Ports.free();
    Path socket = dir.resolve("admin.sock");
    Path cfg = dir.resolve("haproxy.cfg");
    Path log = dir.resolve("haproxy.log");
    try {
      Files.deleteIfExists(socket);
      Files.writeString(cfg, config(settings, port, socket));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Process p;
    try {
      p = new ProcessBuilder(exe.toString(), "-db", "-f", cfg.toString())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start haproxy", e);
    }
    Haproxy h = new Haproxy(p, port, socket, cfg, log);
    try {
      await("haproxy's frontend on port " + port)
          .atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> !p.isAlive() || (Files.exists(socket) && accepts(port)));
    } catch (RuntimeException e) {
      h.close();
      throw new IllegalStateException("haproxy did not come up; its log:\n" + h.log(), e);
    }
    if (!p.isAlive()) {
      throw new IllegalStateException("haproxy exited with " + p.exitValue() + "; its log:\n" + h.log());
    }
    return h;
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The frontend's base URL, e.g. {@code http://127.0.0.1:40123}. */
  String frontendUrl() {
    return "http://127.0.0.1:" + frontendPort;
  }

  int frontendPort() {
    return frontendPort;
  }

  /** The admin stats socket (the runtime API). */
  Path socket() {
    return socket;
  }

  Path configFile() {
    return configFile;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** What HAProxy printed so far (warnings, alerts). */
  String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "(no log)";
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /**
   * Sends one runtime API command over the stats socket (one connection per command) and returns
   * the whole answer. Bounded: a connection that does not answer within 5 s fails.
   */
  String command(String command) {
    if (command.contains("\n")) {
      throw new IllegalArgumentException("command must be one line (was " + command + ")");
    }
    // The backend's own runtime API client: connecting and every wait are bounded.
    dev.nines.server.actuate.HaproxyRuntime runtime =
        new dev.nines.server.actuate.HaproxyRuntime("unix:" + socket, Duration.ofSeconds(5), Duration.ofSeconds(5));
    try {
      return runtime.command(command);
    } catch (dev.nines.server.actuate.ActuatorException e) {
      throw new UncheckedIOException("runtime API command '" + command + "' failed", new IOException(e.getMessage(), e));
    }
  }

  /** {@code set server llm/<server> state <state>} ({@code ready}, {@code drain} or {@code maint}). */
  void setState(String server, String state) {
    if (!List.of("ready", "drain", "maint").contains(state)) {
      throw new IllegalArgumentException("state must be ready, drain or maint (was " + state + ")");
    }
    String answer = command("set server " + BACKEND + "/" + server + " state " + state);
    if (!answer.isBlank()) {
      throw new IllegalStateException("haproxy refused to set " + server + " to " + state + ": " + answer.strip());
    }
  }

  /** The server lines of {@code show stat}. */
  List<HaproxyStats.ServerStat> stats() {
    return HaproxyStats.parse(command("show stat"));
  }

  /** The {@code show stat} line of one server of backend {@code llm}. */
  HaproxyStats.ServerStat stat(String server) {
    return HaproxyStats.find(stats(), BACKEND, server)
        .orElseThrow(() -> new IllegalStateException("no server " + BACKEND + "/" + server));
  }

  /** Names of the servers of {@code llm} that get new requests now. */
  List<String> inRotation() {
    List<String> out = new ArrayList<>();
    for (HaproxyStats.ServerStat s : stats()) {
      if (s.proxy().equals(BACKEND) && s.inRotation()) {
        out.add(s.server());
      }
    }
    return out;
  }

  /** Stops HAProxy (SIGTERM, then SIGKILL after 5 s) and waits until it is gone. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          throw new IllegalStateException("haproxy " + process.pid() + " did not end");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}

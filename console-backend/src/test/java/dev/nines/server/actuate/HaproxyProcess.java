package dev.nines.server.actuate;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy for tests: one frontend, one backend {@code llm} with servers s1..sN pointing at
 * the given loopback ports (no health checks), and two admin sockets, a unix one in the directory
 * and a TCP one on a free loopback port. Started as a child process ({@code haproxy -db}); stopped by
 * its PID. {@link #stop} then {@link #start} restarts it with the same configuration and ports.
 */
public final class HaproxyProcess implements AutoCloseable {
  public static final String BACKEND = "llm";

  private final Path dir;
  private final Path config;
  private final Path log;
  private final String executable;
  private final int frontendPort;
  private final int statsPort;
  private Process process;

  private HaproxyProcess(Path dir, String executable, List<Integer> serverPorts) throws IOException {
    this.dir = dir;
    this.executable = executable;
    this.config = dir.resolve("haproxy.cfg");
    this.log = dir.resolve("haproxy.log");
    this.frontendPort = freePort();
    this.statsPort = freePort();
    StringBuilder cfg = new StringBuilder();
    cfg.append("global\n")
        .append("  stats socket ").append(dir.resolve("admin.sock")).append(" level admin\n")
        .append("  stats socket 127.0.0.1:").append(statsPort).append(" level admin\n")
        .append("defaults\n")
        .append("  mode http\n")
        .append("  timeout connect 2s\n")
        .append("  timeout client 30s\n")
        .append("  timeout server 30s\n")
        .append("frontend fe\n")
        .append("  bind 127.0.0.1:").append(frontendPort).append('\n')
        .append("  default_backend ").append(BACKEND).append('\n')
        .append("backend ").append(BACKEND).append('\n');
    for (int i = 0; i < serverPorts.size(); i++) {
      cfg.append("  server s").append(i + 1).append(" 127.0.0.1:").append(serverPorts.get(i)).append('\n');
    }
    Files.writeString(config, cfg.toString(), StandardCharsets.UTF_8);
  }

  /**
   * Starts HAProxy with servers s1..sN at the ports. Without an haproxy executable the test is
   * skipped, except under CI (env {@code CI} set), where that is a failure.
   */
  public static HaproxyProcess start(Path dir, List<Integer> serverPorts) throws IOException {
    Optional<String> exe = findHaproxy();
    if (exe.isEmpty()) {
      if (System.getenv("CI") != null) {
        fail("haproxy is not installed (apt-get install haproxy); CI must run the HAProxy tests");
      }
      assumeTrue(false, "haproxy is not installed; skipping the real-HAProxy tests");
    }
    HaproxyProcess h = new HaproxyProcess(dir, exe.get(), serverPorts);
    h.start();
    return h;
  }

  /** Starts (or restarts) the process and waits, bounded, until the unix admin socket answers. */
  void start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("already running, pid " + process.pid());
    }
    try {
      process =
          new ProcessBuilder(executable, "-db", "-f", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HaproxyRuntime runtime = new HaproxyRuntime(unixAddress());
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException("haproxy exited: " + logText());
                }
                try {
                  return runtime.command("show info").contains("Pid:");
                } catch (ActuatorException e) {
                  return false;
                }
              });
    } catch (RuntimeException e) {
      stop();
      throw new IllegalStateException("haproxy did not come up; log:\n" + logText(), e);
    }
  }

  /** Stops the process by its PID (SIGTERM, then SIGKILL after 5 s) and waits for it. */
  void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  public String unixAddress() {
    return "unix:" + dir.resolve("admin.sock");
  }

  String tcpAddress() {
    return "tcp:127.0.0.1:" + statsPort;
  }

  int frontendPort() {
    return frontendPort;
  }

  String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    stop();
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Optional<String> findHaproxy() {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/sbin"));
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, "haproxy");
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p.toString());
      }
    }
    return Optional.empty();
  }
}

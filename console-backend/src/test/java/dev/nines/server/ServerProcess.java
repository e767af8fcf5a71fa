package dev.nines.server;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Nines server in its own JVM ({@link ServerCommand#main}), on {@code --port 0} with a port
 * file, for the crash test and the ingest benchmark. It runs with this JVM's java and class path.
 */
final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private ServerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts a server on {@code 127.0.0.1} and waits (up to 60 s) until it has written its port.
   *
   * @param dir where the port file and the log go
   * @param db the SQLite file
   * @param adminToken the admin token to start with
   * @param jvmArgs options for the server's JVM, e.g. {@code -Xmx512m}
   */
  static ServerProcess start(Path dir, Path db, String adminToken, List<String> jvmArgs) {
    return start(dir, db.toString(), adminToken, jvmArgs);
  }

  /** As {@link #start(Path, Path, String, List)} for any {@code --db} value (a PostgreSQL URL, say). */
  static ServerProcess start(Path dir, String db, String adminToken, List<String> jvmArgs) {
    Path portFile = dir.resolve("server-" + System.nanoTime() + ".port");
    Path log = dir.resolve(portFile.getFileName() + ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(javaCommand());
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ServerCommand.class.getName());
    cmd.addAll(
        List.of(
            "--bind", "127.0.0.1", "--port", "0", "--port-file", portFile.toString(), "--db", db,
            "--admin-token", adminToken));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      await("the server's port file " + portFile)
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> Files.exists(portFile) || !p.isAlive());
    } catch (RuntimeException e) {
      p.destroyForcibly();
      throw new IllegalStateException("the server did not start; its log:\n" + read(log), e);
    }
    if (!p.isAlive()) {
      throw new IllegalStateException("the server exited with " + p.exitValue() + "; its log:\n" + read(log));
    }
    try {
      return new ServerProcess(p, Integer.parseInt(Files.readString(portFile).strip()), log);
    } catch (IOException e) {
      p.destroyForcibly();
      throw new UncheckedIOException(e);
    }
  }

  /** The java of this JVM, so the server runs on the same runtime. */
  static String javaCommand() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** What the server printed so far. */
  String log() {
    return read(log);
  }

  /**
   * Kills the process at once: {@link Process#destroyForcibly} sends SIGKILL on Linux, so no
   * shutdown hook runs and nothing queued is flushed. Waits (up to 10 s) until it is gone.
   */
  int kill() {
    process.destroyForcibly();
    return waitFor();
  }

  /** Stops the server with SIGTERM (an orderly shutdown), and kills it after 30 s if needed. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private int waitFor() {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("server process " + process.pid() + " did not end");
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
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

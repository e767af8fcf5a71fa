package dev.nines.server.store;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: one process per test JVM (started on first use in a temp
 * folder on a free loopback port, stopped by a shutdown hook), and a fresh empty database per
 * {@link #newDatabase()}. It never touches the system cluster. As root (initdb refuses root) the
 * server runs as the {@code postgres} OS user through {@code setpriv}.
 *
 * <p>Without the binaries ({@code apt-get install postgresql}) a test that asks for it is skipped,
 * except under CI (env {@code CI} set), where that is a failure. The server runs with {@code
 * fsync=off}: it is thrown away after the tests and a crash of the machine is not under test; the
 * store's own settings ({@code synchronous_commit} on) are the production ones.
 */
public final class PostgresServer {
  public static final String USER = "nines";
  public static final String PASSWORD = "nines-test-password";
  private static final long START_TIMEOUT_MS = 60_000;
  private static final long STOP_TIMEOUT_MS = 15_000;

  private static PostgresServer instance;
  private static String unavailable;

  private final Path dir;
  private final Process process;
  private final int port;
  private final AtomicInteger databases = new AtomicInteger();
  private Connection admin;

  /** One fresh database: its JDBC URL (without credentials), its name, and the credentials. */
  public record Database(String name, String url, String user, String password) {
    /** The URL with {@code user} and {@code password} as parameters (what {@code --db} takes). */
    public String urlWithCredentials() {
      return url + "?user=" + user + "&password=" + password;
    }
  }

  private PostgresServer(Path dir, Process process, int port) {
    this.dir = dir;
    this.process = process;
    this.port = port;
  }

  /** The JVM's server, started on first use; skips (or fails under CI) without the binaries. */
  public static synchronized PostgresServer get() {
    Optional<Path> bin = findBin();
    if (bin.isEmpty()) {
      if (System.getenv("CI") != null) {
        fail("PostgreSQL is not installed (apt-get install postgresql: /usr/lib/postgresql/<version>/bin/initdb"
            + " is missing); CI must run the PostgreSQL tests");
      }
      assumeTrue(false, "PostgreSQL is not installed (/usr/lib/postgresql/<version>/bin/initdb is missing);"
          + " skipping the PostgreSQL tests");
    }
    if (unavailable != null) {
      throw new IllegalStateException("the test PostgreSQL server did not start earlier: " + unavailable);
    }
    if (instance == null) {
      try {
        instance = start(bin.get());
      } catch (RuntimeException e) {
        unavailable = String.valueOf(e.getMessage());
        throw e;
      }
      PostgresServer started = instance;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "postgres-test-server-stop"));
    }
    return instance;
  }

  /** Whether the binaries are installed (for a test that chooses its backends). */
  public static boolean installed() {
    return findBin().isPresent();
  }

  /** Creates a fresh empty database {@code nines_t<n>}. */
  public synchronized Database newDatabase() {
    String name = "nines_t" + databases.incrementAndGet();
    try (Statement st = admin().createStatement()) {
      st.execute("CREATE DATABASE " + name + " OWNER " + USER);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    return new Database(name, "jdbc:postgresql://127.0.0.1:" + port + "/" + name, USER, PASSWORD);
  }

  /** Ends every session on a database, as a server restart or a cut network would; returns how many. */
  public synchronized int terminateConnections(String database) {
    try (Statement st = admin().createStatement();
        var rs =
            st.executeQuery(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '"
                    + database + "' AND pid <> pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot terminate the sessions of " + database + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return port;
  }

  private Connection admin() throws SQLException {
    if (admin == null || admin.isClosed()) {
      admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, PASSWORD);
    }
    return admin;
  }

  private static Optional<Path> findBin() {
    Path preferred = Path.of("/usr/lib/postgresql/15/bin");
    if (Files.isExecutable(preferred.resolve("initdb"))) {
      return Optional.of(preferred);
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("postgres")))
          .max(Comparator.naturalOrder());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** The command, run as the postgres OS user when this JVM is root. */
  private static List<String> asServerUser(String... command) {
    List<String> out = new ArrayList<>();
    if (root()) {
      out.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
    }
    out.addAll(List.of(command));
    return out;
  }

  private static PostgresServer start(Path bin) {
    Path dir;
    try {
      dir = Files.createTempDirectory("nines-pg");
      Path pwfile = dir.resolve("pwfile");
      Files.writeString(pwfile, PASSWORD + "\n", StandardCharsets.UTF_8);
      if (root()) {
        run(List.of("chown", "-R", "postgres:postgres", dir.toString()), dir.resolve("chown.log"), 10_000);
        run(List.of("chmod", "700", dir.toString()), dir.resolve("chown.log"), 10_000);
      }
      Path data = dir.resolve("data");
      run(
          asServerUser(
              bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--pwfile=" + pwfile,
              "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"),
          dir.resolve("initdb.log"),
          START_TIMEOUT_MS);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the test PostgreSQL folder", e);
    }
    int port = freePort();
    Path log = dir.resolve("postgres.log");
    Process p;
    try {
      p =
          new ProcessBuilder(
                  asServerUser(
                      bin.resolve("postgres").toString(), "-D", dir.resolve("data").toString(),
                      "-p", Integer.toString(port), "-k", dir.toString(),
                      "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off",
                      "-c", "max_connections=300", "-c", "shared_buffers=64MB"))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start postgres", e);
    }
    PostgresServer server = new PostgresServer(dir, p, port);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        server.stop();
        throw new IllegalStateException("postgres exited with " + p.exitValue() + "; log:\n" + tail(log));
      }
      try {
        server.admin();
        return server;
      } catch (SQLException e) {
        last = e;
      }
      try {
        p.waitFor(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    server.stop();
    throw new IllegalStateException(
        "postgres did not accept connections within " + START_TIMEOUT_MS + " ms (" + last + "); log:\n" + tail(log));
  }

  /** Fast shutdown (SIGINT) by PID, SIGKILL after a bound, then the folder is removed. */
  synchronized void stop() {
    try {
      if (admin != null) {
        admin.close();
      }
    } catch (SQLException ignored) {
      // stopping anyway
    }
    if (process.isAlive()) {
      try {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        if (!process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (IOException e) {
        process.destroyForcibly();
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temp folder left behind
    }
  }

  private static void run(List<String> command, Path log, long timeoutMs) {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      if (!p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(command.get(0) + " did not finish within " + timeoutMs + " ms");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " exited with " + p.exitValue() + ":\n" + tail(log));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  private static String tail(Path log) {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}

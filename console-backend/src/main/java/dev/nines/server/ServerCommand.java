package dev.nines.server;

import dev.nines.server.config.Durations;
import dev.nines.server.store.Stores;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nines server}: runs the backend until SIGTERM or Ctrl-C. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = "Runs the Nines backend: report ingest, the API and the event stream.",
    subcommands = {TokenCommand.class, MigrateCommand.class})
public final class ServerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--port", defaultValue = "7070", description = "HTTP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--bind",
      defaultValue = "0.0.0.0",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(
      names = "--db",
      defaultValue = "./nines-data/nines.db",
      description =
          "SQLite file path, jdbc:sqlite: URL, or jdbc:postgresql://host:port/db?user=..&password=..;"
              + " the password may come from NINES_DB_PASSWORD (default: ${DEFAULT-VALUE}).")
  String db;

  @Option(names = "--config", description = "YAML configuration: pools, rules, receivers.")
  Path config;

  @Option(
      names = "--admin-token",
      description = "The first admin token; generated and printed once when absent.")
  String adminToken;

  @Option(
      names = "--retain-raw",
      defaultValue = "48h",
      description = "How long raw samples and report bodies are kept, e.g. 48h (default: ${DEFAULT-VALUE}).")
  String retainRaw;

  @Option(
      names = "--retain-1m",
      defaultValue = "30d",
      description = "How long 1-minute rollups are kept (default: ${DEFAULT-VALUE}).")
  String retainMinute;

  @Option(
      names = "--retain-1h",
      defaultValue = "400d",
      description = "How long 1-hour rollups are kept (default: ${DEFAULT-VALUE}).")
  String retainHour;

  @Option(
      names = "--port-file",
      description =
          "Write the port the server listens on to this file once it serves (for --port 0: tests, benchmarks).")
  Path portFile;

  /** Runs {@code server} on its own, without the launcher (benchmarks and the crash test). */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ServerCommand()).execute(args));
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    NinesServer server;
    try {
      ServerSettings settings =
          new ServerSettings(
              bind, port, db, config, adminToken, Durations.positive("--retain-raw", retainRaw),
              Durations.positive("--retain-1m", retainMinute), Durations.positive("--retain-1h", retainHour));
      server = NinesServer.start(settings, Clock.systemUTC());
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("nines server: " + e.getMessage());
      err.flush();
      return 2;
    }
    out.println("Nines server listening on " + server.url() + " (database " + describe(db) + ")");
    if (portFile != null) {
      try {
        writePortFile(portFile, server.port());
      } catch (IOException e) {
        err.println("nines server: cannot write the port file " + portFile + ": " + e.getMessage());
        err.flush();
        server.close();
        return 2;
      }
    }
    server
        .generatedAdminToken()
        .ifPresent(
            t -> {
              out.println("Generated admin token (shown only once; keep it safe):");
              out.println("  " + t);
            });
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              server.close();
              stopped.countDown();
            },
            "nines-server-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
    }
    return 0;
  }

  /** Writes the port to a sibling file, then renames it, so a reader never sees a half-written file. */
  static void writePortFile(Path file, int port) throws IOException {
    Path abs = file.toAbsolutePath();
    Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
    Files.writeString(tmp, port + "\n");
    Files.move(
        tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String describe(String db) {
    if (db.startsWith("jdbc:")) {
      return Stores.describe(db);
    }
    return Path.of(db).toAbsolutePath().normalize().toString();
  }
}

package dev.nines.server;

import dev.nines.server.samples.DurationText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nines server}: runs the backend until SIGTERM or Ctrl-C. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = "Runs the Nines backend: report ingest, the API and the event stream.",
    subcommands = TokenCommand.class)
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
      description = "SQLite file path or jdbc:sqlite: URL (default: ${DEFAULT-VALUE}).")
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

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    NinesServer server;
    try {
      ServerSettings settings =
          new ServerSettings(
              bind, port, db, config, adminToken, DurationText.parse("--retain-raw", retainRaw),
              DurationText.parse("--retain-1m", retainMinute), DurationText.parse("--retain-1h", retainHour));
      server = NinesServer.start(settings, Clock.systemUTC());
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("nines server: " + e.getMessage());
      err.flush();
      return 2;
    }
    out.println("Nines server listening on " + server.url() + " (database " + describe(db) + ")");
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

  private static String describe(String db) {
    if (db.startsWith("jdbc:")) {
      return db;
    }
    return Path.of(db).toAbsolutePath().normalize().toString();
  }
}

package dev.nines.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The JavaFX console: not part of this release yet. */
@Command(
    name = "console",
    mixinStandardHelpOptions = true,
    description = "Open the JavaFX operator console (not yet available in this build).")
final class ConsoleCommand implements Callable<Integer> {
  @Option(names = "--server", description = "Backend URL (default: ${DEFAULT-VALUE}).", defaultValue = "http://127.0.0.1:7070")
  String server;

  @Option(names = "--token", description = "Bearer token (viewer or above).")
  String token;

  @Override
  public Integer call() {
    System.err.println(
        "nines console: not yet available in this build. Meanwhile read the fleet with\n"
            + "  curl -H 'Authorization: Bearer <token>' " + server + "/api/v1/hosts");
    return 1;
  }
}

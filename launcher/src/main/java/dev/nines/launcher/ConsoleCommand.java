package dev.nines.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The JavaFX operator console. */
@Command(
    name = "console",
    mixinStandardHelpOptions = true,
    description = {
      "Open the JavaFX operator console. With --server and --token it connects at once;",
      "otherwise (or when they do not work) it asks, prefilled with the connection remembered",
      "in ~/.config/nines/console.properties (owner-only)."
    })
final class ConsoleCommand implements Callable<Integer> {
  @Option(names = "--server", description = "Backend URL, e.g. http://127.0.0.1:7070, or several replicas comma-separated (http://a:7070,http://b:7070): the console moves to the next when one fails (default: the remembered one).")
  String server;

  @Option(names = "--token", description = "Bearer token (viewer or above; default: the remembered one).")
  String token;

  @Override
  public Integer call() {
    if (!DemoCommand.displayAvailable()) {
      System.err.println(
          "nines console: no display (set DISPLAY or WAYLAND_DISPLAY). Meanwhile read the fleet with\n"
              + "  curl -H 'Authorization: Bearer <token>' " + (server == null ? "http://127.0.0.1:7070" : server)
              + "/api/v1/hosts");
      return 1;
    }
    dev.nines.console.Launcher.main(arguments(server, token));
    return 0;
  }

  /** The console's arguments. Pure. */
  static String[] arguments(String server, String token) {
    List<String> args = new ArrayList<>();
    if (server != null) {
      args.add("--server=" + server);
    }
    if (token != null) {
      args.add("--token=" + token);
    }
    return args.toArray(new String[0]);
  }
}

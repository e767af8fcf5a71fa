package dev.nines.launcher;

import dev.nines.agent.AgentCommand;
import dev.nines.agent.cli.CliErrors;
import dev.nines.agent.cli.EnvDefaults;
import dev.nines.server.ServerCommand;
import dev.nines.sim.SimCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code nines} command: one entry point for every part of Nines. */
@Command(
    name = "nines",
    mixinStandardHelpOptions = true,
    versionProvider = Nines.Version.class,
    description = "High-availability ops console for AI inference fleets.",
    footer = {
      "",
      "Every option can also be set through an environment variable NINES_<OPTION>,",
      "e.g. --admin-token through NINES_ADMIN_TOKEN, --spool-dir through NINES_SPOOL_DIR."
    },
    subcommands = {
      ServerCommand.class,
      AgentCommand.class,
      SimCommand.class,
      DemoCommand.class,
      ConsoleCommand.class,
      ReportCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Nines implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The full command tree with environment-variable defaults installed. */
  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Nines());
    EnvDefaults.install(cl, EnvDefaults.fromSystem());
    CliErrors.install(cl);
    return cl;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Nines.class.getPackage().getImplementationVersion();
      return new String[] {"nines " + (v == null ? "development build" : v)};
    }
  }
}

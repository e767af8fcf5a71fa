package dev.nines.agent.cli;

import java.net.BindException;
import picocli.CommandLine;

/**
 * Turns the failures an operator can fix into one clear line instead of a stack trace: a port
 * already in use, a setting the command refused. Anything else keeps its stack trace.
 */
public final class CliErrors implements CommandLine.IExecutionExceptionHandler {
  /** Exit code for a command that could not start with the settings given. */
  public static final int CANNOT_START = 1;

  private CliErrors() {}

  /** Installs the handler on a command line and its subcommands. */
  public static CommandLine install(CommandLine commandLine) {
    commandLine.setExecutionExceptionHandler(new CliErrors());
    return commandLine;
  }

  @Override
  public int handleExecutionException(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) throws Exception {
    String name = commandLine.getCommandSpec().qualifiedName();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        commandLine.getErr().println(
            name + ": cannot listen: " + t.getMessage() + " (another process holds the port? see --port)");
        return CANNOT_START;
      }
    }
    if (e instanceof IllegalArgumentException) {
      commandLine.getErr().println(name + ": " + e.getMessage());
      return CommandLine.ExitCode.USAGE;
    }
    throw e;
  }
}

package dev.nines.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nines report}: exported reports, fetched from a running server. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Export reports from a running Nines server.",
    subcommands = {UptimeReportCommand.class})
final class ReportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }
}

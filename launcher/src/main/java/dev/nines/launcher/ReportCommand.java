package dev.nines.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Exported uptime reports: not part of this release yet. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Export uptime reports (not yet available in this build).")
final class ReportCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("nines report: not yet available in this build.");
    return 1;
  }
}

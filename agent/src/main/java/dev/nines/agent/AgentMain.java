package dev.nines.agent;

import dev.nines.agent.cli.CliErrors;
import dev.nines.agent.cli.EnvDefaults;
import picocli.CommandLine;

/** Entry point of the stand-alone agent jar that is deployed to GPU hosts. */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) {
    CommandLine cl =
        CliErrors.install(EnvDefaults.install(new CommandLine(new AgentCommand()), EnvDefaults.fromSystem()));
    System.exit(cl.execute(args));
  }
}

package dev.nines.agent.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Lets every command-line option be set through an environment variable: {@code --admin-token}
 * reads {@code NINES_ADMIN_TOKEN}, {@code --base-latency-ms} reads {@code NINES_BASE_LATENCY_MS}.
 * An option given on the command line wins over the environment, which wins over the default.
 */
public final class EnvDefaults implements CommandLine.IDefaultValueProvider {
  private final Map<String, String> env;

  public EnvDefaults(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** Reads the process environment. */
  public static EnvDefaults fromSystem() {
    return new EnvDefaults(System.getenv());
  }

  /** The variable that sets an option: {@code --spool-dir} gives {@code NINES_SPOOL_DIR}. */
  public static String variableFor(String longOptionName) {
    String bare = longOptionName.replaceFirst("^-+", "");
    return "NINES_" + bare.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option)) {
      return null;
    }
    String name = option.longestName();
    if (!name.startsWith("--") || option.usageHelp() || option.versionHelp()) {
      return null;
    }
    String value = env.get(variableFor(name));
    return value == null || value.isEmpty() ? null : value;
  }

  /** Installs this provider on a command line and all its subcommands, and documents it. */
  public static CommandLine install(CommandLine commandLine, EnvDefaults defaults) {
    commandLine.setDefaultValueProvider(defaults);
    return commandLine;
  }
}

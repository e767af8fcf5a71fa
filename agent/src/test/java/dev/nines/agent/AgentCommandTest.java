package dev.nines.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.agent.cli.EnvDefaults;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AgentCommandTest {
  private final StringWriter err = new StringWriter();

  private CommandLine commandLine(AgentCommand cmd, Map<String, String> env) {
    CommandLine cl = EnvDefaults.install(new CommandLine(cmd), new EnvDefaults(env));
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    return cl;
  }

  @Test
  void everyOptionCanComeFromANinesEnvironmentVariable() {
    AgentCommand cmd = new AgentCommand();
    commandLine(cmd, Map.of(
            "NINES_SERVER", "http://a:7070,http://b:7070",
            "NINES_TOKEN", "secret",
            "NINES_ID", "gpu-7",
            "NINES_POOL", "llama",
            "NINES_ENDPOINT", "http://127.0.0.1:8000",
            "NINES_GPU", "none",
            "NINES_INTERVAL", "2s",
            "NINES_AGENT_CHECK_PORT", "9072",
            "NINES_SPOOL_DIR", "/tmp/spool-x"))
        .parseArgs();
    AgentSettings s = cmd.settings();
    assertThat(s.servers()).containsExactly(URI.create("http://a:7070"), URI.create("http://b:7070"));
    assertThat(s.token()).isEqualTo("secret");
    assertThat(s.id()).isEqualTo("gpu-7");
    assertThat(s.pool()).isEqualTo("llama");
    assertThat(s.endpoints()).containsExactly(URI.create("http://127.0.0.1:8000"));
    assertThat(s.gpu()).isEqualTo("none");
    assertThat(s.interval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.agentCheckPort()).isEqualTo(9072);
    assertThat(s.spoolDir()).isEqualTo(Path.of("/tmp/spool-x"));
  }

  @Test
  void theCommandLineWinsOverTheEnvironment() {
    AgentCommand cmd = new AgentCommand();
    commandLine(cmd, Map.of("NINES_ID", "from-env", "NINES_PORT", "9999")).parseArgs("--id", "from-flag");
    assertThat(cmd.settings().id()).isEqualTo("from-flag");
    assertThat(cmd.settings().port()).isEqualTo(9999);
  }

  @Test
  void probeOptionsReachTheProbeSettings() {
    AgentCommand cmd = new AgentCommand();
    commandLine(cmd, Map.of())
        .parseArgs("--health-path", "/v2/health/ready", "--metrics-path", "http://127.0.0.1:8002/metrics",
            "--no-generation", "--model", "llama-3-70b", "--interval", "2s");
    var probe = Agent.probeSettings(cmd.settings());
    assertThat(probe.healthPath()).isEqualTo("/v2/health/ready");
    assertThat(probe.metricsPath()).isEqualTo("http://127.0.0.1:8002/metrics");
    assertThat(probe.generation()).isFalse();
    assertThat(probe.model()).isEqualTo("llama-3-70b");
    assertThat(probe.generationTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(probe.healthTimeout()).isEqualTo(Duration.ofSeconds(1));

    AgentCommand defaults = new AgentCommand();
    commandLine(defaults, Map.of()).parseArgs();
    var p = Agent.probeSettings(defaults.settings());
    assertThat(p.generation()).isTrue();
    assertThat(p.healthPath()).isNull();
    assertThat(p.generationTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void unknownOptionsExitWithTwoAndSayWhy() {
    int code = commandLine(new AgentCommand(), Map.of()).execute("--no-such-option");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("Unknown option: '--no-such-option'");
  }

  @Test
  void badValuesExitWithTwoAndNameTheOption() {
    for (List<String> args :
        List.of(
            List.of("--interval", "5 minutes"),
            List.of("--interval", "500ms"),
            List.of("--gpu", "cuda"),
            List.of("--server", "not a url"),
            List.of("--port", "70000"),
            List.of("--id", "has space"),
            List.of("--health-path", "health"),
            List.of("--model", " "))) {
      StringWriter e = new StringWriter();
      CommandLine cl = commandLine(new AgentCommand(), Map.of());
      cl.setErr(new PrintWriter(e, true));
      int code = cl.execute(args.toArray(String[]::new));
      assertThat(code).as("exit code for %s", args).isEqualTo(2);
      assertThat(e.toString()).as("message for %s", args).contains(args.get(0));
    }
  }

  @Test
  void environmentVariableNamesFollowTheLongOption() {
    assertThat(EnvDefaults.variableFor("--admin-token")).isEqualTo("NINES_ADMIN_TOKEN");
    assertThat(EnvDefaults.variableFor("--agent-check-port")).isEqualTo("NINES_AGENT_CHECK_PORT");
  }
}

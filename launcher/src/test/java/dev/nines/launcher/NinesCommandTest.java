package dev.nines.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class NinesCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Nines.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void helpListsEveryCommandAndTheEnvironmentVariables() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains("server", "agent", "sim", "demo", "console", "report", "NINES_<OPTION>");
  }

  @Test
  void everyCommandDocumentsItsOptions() {
    for (String command : new String[] {"server", "agent", "sim", "demo", "console", "report"}) {
      out.getBuffer().setLength(0);
      assertThat(run(command, "--help")).as(command + " --help").isZero();
      assertThat(out.toString()).as(command + " --help").contains("Usage: nines " + command);
    }
    out.getBuffer().setLength(0);
    run("agent", "--help");
    assertThat(out.toString()).contains("--server", "--token", "--pool", "--endpoint", "--gpu", "--nvml-lib",
        "--interval", "--port", "--agent-check-port", "--spool-dir");
    out.getBuffer().setLength(0);
    run("server", "--help");
    assertThat(out.toString()).contains("--port", "--db", "--config", "--admin-token");
  }

  @Test
  void wrongOptionsGetAClearMessageAndExitCodeTwo() {
    assertThat(run("--bogus")).isEqualTo(2);
    assertThat(err.toString()).contains("Unknown option: '--bogus'");
    err.getBuffer().setLength(0);
    assertThat(run("server", "--port", "seventy")).isEqualTo(2);
    assertThat(err.toString()).contains("--port").contains("seventy");
    err.getBuffer().setLength(0);
    assertThat(run("sim", "--count", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("count");
    err.getBuffer().setLength(0);
    assertThat(run("demo", "--interval", "soon")).isEqualTo(2);
    assertThat(err.toString()).contains("--interval");
    err.getBuffer().setLength(0);
    assertThat(run("no-such-command")).isEqualTo(2);
    assertThat(err.toString()).contains("no-such-command");
  }

  @Test
  void aPortInUseIsOneClearLineNotAStackTrace(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      String port = String.valueOf(taken.getLocalPort());
      assertThat(run("server", "--bind", "127.0.0.1", "--port", port, "--db", dir.resolve("n.db").toString()))
          .isEqualTo(1);
      assertThat(err.toString()).contains("nines server: cannot listen").doesNotContain("\tat ");
      err.getBuffer().setLength(0);
      assertThat(run("agent", "--bind", "127.0.0.1", "--port", port, "--gpu", "none",
              "--spool-dir", dir.resolve("spool").toString()))
          .isEqualTo(1);
      assertThat(err.toString()).contains("nines agent: cannot listen").doesNotContain("\tat ");
    }
  }

  @Test
  void withoutACommandTheUsageIsShownAndTheExitCodeIsTwo() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Usage: nines");
  }
}

package dev.nines.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServerCommandTest {
  @TempDir Path dir;

  @Test
  void helpListsEveryOptionWithItsDefault() {
    StringWriter out = new StringWriter();
    CommandLine cmd = new CommandLine(new ServerCommand());
    cmd.setOut(new PrintWriter(out));
    assertThat(cmd.execute("--help")).isZero();
    assertThat(out.toString())
        .contains("--port", "7070", "--bind", "0.0.0.0", "--db", "/nines-data/nines.db", "--config", "--admin-token");
  }

  @Test
  void unsupportedDatabaseFailsWithAClearMessageAndExitCode2() {
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new ServerCommand());
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute("--port", "0", "--db", "jdbc:mysql://db/nines", "--admin-token", "long-enough-token");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("mysql is not supported yet");
  }
}

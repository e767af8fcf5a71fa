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
        .contains("--port", "7070", "--bind", "0.0.0.0", "--db", "/nines-data/nines.db", "--config", "--admin-token",
            "--retain-raw", "48h", "--retain-1m", "30d", "--retain-1h", "400d");
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

  @Test
  void nonsenseRetentionFailsWithAClearMessageAndExitCode2() {
    for (String[] args :
        new String[][] {
          {"--retain-raw", "two days"}, {"--retain-1m", "0d"}, {"--retain-raw", "30m"},
          {"--retain-raw", "40d", "--retain-1m", "30d"}
        }) {
      StringWriter err = new StringWriter();
      CommandLine cmd = new CommandLine(new ServerCommand());
      cmd.setErr(new PrintWriter(err));
      String[] all = new String[args.length + 6];
      System.arraycopy(new String[] {"--port", "0", "--db", dir.resolve("n.db").toString(), "--admin-token", "long-enough-token"}, 0, all, 0, 6);
      System.arraycopy(args, 0, all, 6, args.length);
      assertThat(cmd.execute(all)).as(String.join(" ", args)).isEqualTo(2);
      assertThat(err.toString()).as(String.join(" ", args)).containsPattern("retain-raw|retain-1m|rawRetention|minuteRetention");
    }
  }
}

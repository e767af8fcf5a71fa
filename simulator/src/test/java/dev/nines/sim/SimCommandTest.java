package dev.nines.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimCommandTest {

  @Test
  void helpListsEveryOption() {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new SimCommand());
    cl.setOut(new PrintWriter(out));

    assertThat(cl.execute("--help")).isZero();
    assertThat(out.toString()).contains("--count", "--port", "--bind", "--control-port",
        "--base-latency-ms", "--gpus", "--model", "--seed");
  }

  @Test
  void badOptionValueExitsWithUsageError() {
    CommandLine cl = new CommandLine(new SimCommand());
    cl.setErr(new PrintWriter(new StringWriter()));

    assertThat(cl.execute("--count", "0", "--port", "0", "--control-port", "-1")).isEqualTo(2);
  }

  @Test
  void servesUntilInterruptedThenStopsCleanly() throws Exception {
    SimCommand command = new SimCommand();
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out, true));
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread runner = new Thread(() -> exit.complete(
        cl.execute("--count", "2", "--port", "0", "--control-port", "0", "--gpus", "1")));
    runner.start();
    try {
      assertThat(command.started.await(10, TimeUnit.SECONDS)).isTrue();
      Matcher m = Pattern.compile("model server 1: (http://\\S+)").matcher(out.toString());
      assertThat(m.find()).as(out.toString()).isTrue();
      assertThat(out.toString()).contains("control: http://127.0.0.1:");
      assertThat(Http.get(m.group(1) + "/health").statusCode()).isEqualTo(200);
    } finally {
      runner.interrupt();
    }

    assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(out.toString()).contains("simulator stopped");
  }
}

package dev.nines.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo, on ephemeral ports, for a few seconds: six hosts in two pools report. */
class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void demoRunsSixHostsInTwoPoolsAndStopsByItself() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int code;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      code =
          Nines.commandLine()
              .execute("demo", "--port", "0", "--sim-port", "0", "--sim-control-port", "0", "--agent-port", "0",
                  "--interval", "1s", "--run-for", "6s", "--data-dir", dir.toString());
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    System.out.println(out);
    assertThat(code).isZero();
    assertThat(out).contains("Admin token", "Viewer token", "Agent token", "Press Ctrl-C to stop.");
    assertThat(out).contains("gpu-node-01", "gpu-node-06", "llama-70b", "mixtral-8x7b");

    Map<String, Long> reportsByHost = new HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("nines.db"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT agent_id, COUNT(*) FROM reports GROUP BY agent_id")) {
      while (rs.next()) {
        reportsByHost.put(rs.getString(1), rs.getLong(2));
      }
    }
    assertThat(reportsByHost).hasSize(6);
    assertThat(reportsByHost.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(2));
  }
}

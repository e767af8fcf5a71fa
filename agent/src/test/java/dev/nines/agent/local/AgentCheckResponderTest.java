package dev.nines.agent.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.agent.ship.DesiredState;
import dev.nines.protocol.RoutingState;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentCheckResponderTest {
  @TempDir Path dir;
  private DesiredState desired;
  private AgentCheckResponder responder;
  private final dev.nines.agent.ship.MutableClock clock = new dev.nines.agent.ship.MutableClock(1_795_996_800_000L);

  @BeforeEach
  void start() throws IOException {
    desired = DesiredState.open(dir);
    responder = AgentCheckResponder.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), desired, clock);
  }

  @AfterEach
  void stop() {
    responder.close();
  }

  /** Connects like HAProxy does, optionally sends an agent-send string, reads until close. */
  private String ask(String agentSend) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), responder.port())) {
      socket.setSoTimeout(5000);
      if (agentSend != null) {
        OutputStream out = socket.getOutputStream();
        out.write(agentSend.getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  @Test
  void answersReadyUpWhileActive() throws IOException {
    assertThat(ask(null)).isEqualTo("ready up\n");
  }

  @Test
  void answersDrainWhileDrainingOrDrainedAndMaintInMaintenance() throws IOException {
    desired.update(RoutingState.DRAINING, "slow", 1);
    assertThat(ask(null)).isEqualTo("drain\n");
    desired.update(RoutingState.DRAINED, "slow", 2);
    assertThat(ask("hello\n")).isEqualTo("drain\n");
    desired.update(RoutingState.MAINTENANCE, "disk", 3);
    assertThat(ask(null)).isEqualTo("maint\n");
    desired.update(RoutingState.ACTIVE, null, 4);
    assertThat(ask(null)).isEqualTo("ready up\n");
  }

  @Test
  void saysReadyOnlyForAWhileAfterBecomingActiveSoItNeverUndoesADrainSetOverTheRuntimeApi() throws IOException {
    assertThat(ask(null)).isEqualTo("ready up\n");
    clock.advance(AgentCheckResponder.READY_WINDOW.minusMillis(1));
    assertThat(ask(null)).isEqualTo("ready up\n");
    clock.advance(java.time.Duration.ofMillis(1));
    assertThat(ask(null)).isEqualTo("up\n");
    clock.advance(java.time.Duration.ofHours(1));
    assertThat(ask(null)).isEqualTo("up\n");

    desired.update(RoutingState.DRAINING, "slow", 1);
    assertThat(ask(null)).isEqualTo("drain\n");
    clock.advance(java.time.Duration.ofHours(1));
    assertThat(ask(null)).isEqualTo("drain\n");
    desired.update(RoutingState.ACTIVE, null, 2);
    // Back from a drain: "ready" lifts it, for the whole window, then "up" again.
    assertThat(ask(null)).isEqualTo("ready up\n");
    clock.advance(AgentCheckResponder.READY_WINDOW.minusSeconds(1));
    assertThat(ask(null)).isEqualTo("ready up\n");
    clock.advance(java.time.Duration.ofSeconds(1));
    assertThat(ask(null)).isEqualTo("up\n");
  }

  @Test
  void answersManyConnectionsInARow() throws IOException {
    for (int i = 0; i < 50; i++) {
      assertThat(ask(null)).isEqualTo("ready up\n");
    }
  }

  @Test
  void closeStopsListening() {
    int port = responder.port();
    responder.close();
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
        .isInstanceOf(IOException.class);
  }
}

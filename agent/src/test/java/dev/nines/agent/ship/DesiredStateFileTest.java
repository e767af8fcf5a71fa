package dev.nines.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.agent.json.JsonException;
import dev.nines.protocol.RoutingState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state file keeps the format that agents with Jackson wrote, so an upgrade keeps its state. */
class DesiredStateFileTest {
  private static final ObjectMapper JACKSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void writesExactlyWhatJacksonWrote() throws Exception {
    for (DesiredState.Snapshot s : new DesiredState.Snapshot[] {
        DesiredState.Snapshot.INITIAL,
        new DesiredState.Snapshot(RoutingState.MAINTENANCE, "operator \"bob\": disk\nswap", 1L << 41)}) {
      assertThat(new String(DesiredState.format(s), StandardCharsets.UTF_8))
          .isEqualTo(JACKSON.writeValueAsString(s));
    }
  }

  @Test
  void readsAFileWrittenByAnEarlierAgentIgnoringUnknownFields() throws Exception {
    DesiredState.Snapshot s = new DesiredState.Snapshot(RoutingState.DRAINED, "gray failure é", 77);
    Files.write(dir.resolve(DesiredState.FILE_NAME), JACKSON.writeValueAsBytes(s));
    assertThat(DesiredState.open(dir).current()).isEqualTo(s);

    assertThat(DesiredState.parse(
            "{\"state\":\"DRAINING\",\"extra\":[1],\"changedAtMs\":5}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new DesiredState.Snapshot(RoutingState.DRAINING, null, 5));
  }

  @Test
  void refusesAFileWithWrongContent() {
    assertThatThrownBy(() -> DesiredState.parse("{\"state\":\"SLEEPING\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("'state' must be one of");
    assertThatThrownBy(() -> DesiredState.parse("{\"reason\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("state is required");
  }

  @Test
  void aFileWithAnUnknownStateFallsBackToActive() throws Exception {
    Files.writeString(dir.resolve(DesiredState.FILE_NAME), "{\"state\":\"SLEEPING\",\"changedAtMs\":1}");
    assertThat(DesiredState.open(dir).current()).isEqualTo(DesiredState.Snapshot.INITIAL);
  }
}

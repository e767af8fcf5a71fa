package dev.nines.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.protocol.RoutingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DesiredStateTest {
  @TempDir Path dir;

  @Test
  void isActiveWhenNothingWasEverKnown() {
    DesiredState desired = DesiredState.open(dir);
    assertThat(desired.current()).isEqualTo(DesiredState.Snapshot.INITIAL);
    assertThat(desired.state()).isEqualTo(RoutingState.ACTIVE);
  }

  @Test
  void lastKnownStateSurvivesAReopen() {
    DesiredState desired = DesiredState.open(dir);
    assertThat(desired.update(RoutingState.MAINTENANCE, "operator alice: kernel update", 42)).isTrue();

    DesiredState reopened = DesiredState.open(dir);
    assertThat(reopened.current())
        .isEqualTo(new DesiredState.Snapshot(RoutingState.MAINTENANCE, "operator alice: kernel update", 42));
  }

  @Test
  void listenersHearChangesButNotRepeats() {
    DesiredState desired = DesiredState.open(dir);
    List<DesiredState.Snapshot> heard = new CopyOnWriteArrayList<>();
    desired.addListener(heard::add);
    desired.addListener(s -> {
      throw new IllegalStateException("a broken listener must not stop the others");
    });
    desired.update(RoutingState.DRAINING, "gray failure", 10);
    assertThat(desired.update(RoutingState.DRAINING, "gray failure", 10)).isFalse();
    desired.update(RoutingState.DRAINED, "gray failure", 20);
    assertThat(heard).extracting(DesiredState.Snapshot::state)
        .containsExactly(RoutingState.DRAINING, RoutingState.DRAINED);
  }

  @Test
  void corruptFileFallsBackToActive() throws Exception {
    Files.writeString(dir.resolve(DesiredState.FILE_NAME), "{\"state\":\"DRAI");
    assertThat(DesiredState.open(dir).state()).isEqualTo(RoutingState.ACTIVE);
  }
}

package dev.nines.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nines.console.client.BackendClient;
import dev.nines.console.client.Cluster;
import dev.nines.console.client.ConnectionStore;
import dev.nines.console.client.LiveBackend;
import dev.nines.console.fleet.FleetScreen;
import dev.nines.console.fleet.FleetView;
import dev.nines.console.fx.Fx;
import dev.nines.console.fx.FxExtension;
import dev.nines.console.fx.Snapshots;
import dev.nines.server.store.PostgresServer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real console given two replicas of one backend (one PostgreSQL database), the follower
 * first: the status bar names the replica it talks to and the leader; when that replica stops, the
 * console moves to the other and says so.
 */
@ExtendWith(FxExtension.class)
class ReplicasFxTest {
  @TempDir Path config;
  LiveBackend leader;
  LiveBackend follower;
  ShownConsole console;
  ConsoleWindow window;

  @AfterEach
  void close() {
    if (console != null) {
      console.close();
    }
    if (follower != null) {
      follower.close();
    }
    if (leader != null) {
      leader.close();
    }
  }

  static Cluster cluster(LiveBackend b) {
    try (BackendClient c = b.client(LiveBackend.ADMIN)) {
      return c.cluster();
    }
  }

  @Test
  void theStatusBarNamesTheReplicaAndTheLeaderAndFollowsTheConsoleToTheOtherReplica() {
    String db = PostgresServer.get().newDatabase().urlWithCredentials();
    leader = new LiveBackend(db);
    follower = new LiveBackend(db);
    String a = cluster(leader).replica();
    String b = cluster(follower).replica();
    assertThat(cluster(leader).leads()).isTrue();
    for (int h = 1; h <= 4; h++) {
      assertThat(leader.report("gpu-node-0" + h, "llama-70b", 55.0 + h)).isEqualTo(200);
    }
    String operator = leader.token("operator", "alice");
    console = new ShownConsole(config);
    window = console.window;
    ConnectionStore store = console.store;
    ConsoleShell shell = console.signIn(follower.uri() + ", " + leader.uri(), operator);
    String onFollower = "LIVE \u00b7 replica " + b + " (follower) \u00b7 leader " + a;
    await().atMost(15, TimeUnit.SECONDS).until(() -> Fx.call(() -> shell.stateLabel().getText()).endsWith(onFollower));
    assertThat(Fx.call(() -> shell.stateLabel().getStyleClass())).contains("success");
    assertThat(store.load().orElseThrow().servers()).containsExactly(follower.uri(), leader.uri());
    FleetView fleet = (FleetView) Fx.call(() -> ((FleetScreen) shell.current()).view());
    await().atMost(15, TimeUnit.SECONDS).until(() -> Fx.call(() -> fleet.table().items().size()) == 4);
    Fx.waitForPulses(2);
    Snapshots.write(window.scene(), Path.of("shell-replicas.png"));

    // the follower goes: the console reconnects to the leader (the only one left) and says so
    follower.stop();
    String onLeader = "LIVE \u00b7 replica " + a + " (leader)";
    await().atMost(20, TimeUnit.SECONDS).until(() -> Fx.call(() -> shell.stateLabel().getText()).endsWith(onLeader));
    assertThat(Fx.call(() -> window.context().client().server())).isEqualTo(leader.uri());
    assertThat(Fx.call(() -> window.context().events().server())).isEqualTo(leader.uri());
  }
}

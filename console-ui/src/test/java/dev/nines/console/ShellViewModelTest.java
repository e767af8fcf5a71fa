package dev.nines.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.console.app.UiExecutor;
import dev.nines.console.client.BackendException;
import dev.nines.console.client.Cluster;
import dev.nines.console.client.ConnectionState;
import dev.nines.console.client.ConnectionStatus;
import dev.nines.console.client.Scheduler;
import dev.nines.console.client.WhoAmI;
import dev.nines.console.theme.Theme;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellViewModelTest {
  static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void theStatusSaysTheStateInWordsWithTheRetryDelayAndTheReason() {
    assertThat(ShellViewModel.text(new ConnectionStatus(ConnectionState.LIVE, "connected", T, null)))
        .isEqualTo("LIVE: events arrive as they happen");
    assertThat(ShellViewModel.text(new ConnectionStatus(ConnectionState.RECONNECTING, "the connection was lost", T, Duration.ofMillis(2500))))
        .isEqualTo("RECONNECTING in 3 s: the connection was lost");
    assertThat(ShellViewModel.text(new ConnectionStatus(ConnectionState.UNAUTHORIZED, "The token was refused (401)", T, null)))
        .startsWith("UNAUTHORIZED: The token was refused (401)").contains("no more tries: sign in again");
  }

  @Test
  void theStateAndTheUserFollowTheStreamAndTheTokensRole() {
    ShellViewModel vm = new ShellViewModel(null, new WhoAmI("wall", WhoAmI.Role.VIEWER), UiExecutor.direct());
    assertThat(vm.userProperty().get()).isEqualTo("Signed in as wall (viewer): read-only");
    vm.show(new ConnectionStatus(ConnectionState.UNREACHABLE, "refused", T, Duration.ofSeconds(8)));
    assertThat(vm.stateProperty().get()).isEqualTo(ConnectionState.UNREACHABLE);
    assertThat(vm.statusTextProperty().get()).isEqualTo("UNREACHABLE in 8 s: refused");
    assertThat(vm.darkProperty().get()).isTrue();
    vm.toggleTheme();
    assertThat(vm.darkProperty().get()).isFalse();
  }

  @Test
  void aRefusedTokenOffersSignInAgainUntilAnotherTokenIsAttached() {
    ShellViewModel vm = new ShellViewModel(null, new WhoAmI("alice", WhoAmI.Role.OPERATOR), UiExecutor.direct());
    int[] asked = {0};
    vm.setSignInHandler(() -> asked[0]++);
    assertThat(vm.signInNeededProperty().get()).isFalse();
    vm.show(new ConnectionStatus(ConnectionState.UNAUTHORIZED, "The token was refused (401)", T, null));
    assertThat(vm.signInNeededProperty().get()).isTrue();
    vm.signInAgain();
    assertThat(asked[0]).isEqualTo(1);
    vm.attach(null, new WhoAmI("bob", WhoAmI.Role.VIEWER));
    assertThat(vm.signInNeededProperty().get()).isFalse();
    assertThat(vm.stateProperty().get()).isEqualTo(ConnectionState.CONNECTING);
    assertThat(vm.userProperty().get()).isEqualTo("Signed in as bob (viewer): read-only");
  }

  static Cluster replica(String id, String role, String leader) {
    return new Cluster("replicated", id, role, leader, "", 0, 3, 0, 0, null);
  }

  /** A scheduler that runs nothing until the test says so. */
  static final class Ticks implements Scheduler {
    final List<Runnable> due = new ArrayList<>();
    final List<Duration> delays = new ArrayList<>();

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
      due.add(task);
      delays.add(delay);
      return () -> due.remove(task);
    }

    void runAll() {
      List<Runnable> now = new ArrayList<>(due);
      due.clear();
      now.forEach(Runnable::run);
    }
  }

  @Test
  void withReplicasTheStatusNamesTheReplicaAndTheLeaderOnlyWhileLive() {
    ConnectionStatus live = new ConnectionStatus(ConnectionState.LIVE, "connected", T, null);
    assertThat(ShellViewModel.text(live, replica("b", "follower", "a"))).isEqualTo("LIVE \u00b7 replica b (follower) \u00b7 leader a");
    assertThat(ShellViewModel.text(live, replica("a", "leader", "a"))).isEqualTo("LIVE \u00b7 replica a (leader)");
    assertThat(ShellViewModel.text(live, replica("b", "follower", ""))).isEqualTo("LIVE \u00b7 replica b (follower) \u00b7 no leader");
    // a single server, or nothing read: as before
    assertThat(ShellViewModel.text(live, new Cluster("single", "single", "leader", "single", "", 0, 0, 0, 0, null)))
        .isEqualTo("LIVE: events arrive as they happen");
    assertThat(ShellViewModel.text(live, null)).isEqualTo("LIVE: events arrive as they happen");
    ConnectionStatus lost = new ConnectionStatus(ConnectionState.RECONNECTING, "lost", T, Duration.ofSeconds(1));
    assertThat(ShellViewModel.text(lost, replica("b", "follower", "a"))).isEqualTo("RECONNECTING in 1 s: lost");
  }

  @Test
  void theReplicaIsReadWhenTheStreamGoesLiveAgainAndEveryThirtySeconds() {
    ShellViewModel vm = new ShellViewModel(null, new WhoAmI("wall", WhoAmI.Role.VIEWER), UiExecutor.direct());
    Ticks ticks = new Ticks();
    Cluster[] answer = {replica("a", "leader", "a")};
    int[] reads = {0};
    vm.watchCluster(() -> {
      reads[0]++;
      if (answer[0] == null) {
        throw new BackendException(BackendException.Kind.NOT_FOUND, 404, "not found", null, "no /cluster", null);
      }
      return answer[0];
    }, Runnable::run, ticks);
    assertThat(reads[0]).isZero(); // not live yet: nothing to name
    assertThat(ticks.delays).containsExactly(ShellViewModel.CLUSTER_EVERY);

    vm.show(new ConnectionStatus(ConnectionState.LIVE, "connected to a", T, null));
    assertThat(reads[0]).isEqualTo(1);
    assertThat(vm.statusTextProperty().get()).isEqualTo("LIVE \u00b7 replica a (leader)");

    // the stream is lost: the replica is no longer known
    vm.show(new ConnectionStatus(ConnectionState.RECONNECTING, "Connection to a lost", T, Duration.ofMillis(400)));
    assertThat(vm.statusTextProperty().get()).isEqualTo("RECONNECTING in 1 s: Connection to a lost");
    assertThat(vm.cluster()).isNull();
    ticks.runAll(); // a tick while not live reads nothing
    assertThat(reads[0]).isEqualTo(1);

    // live on b: read again at once
    answer[0] = replica("b", "follower", "c");
    vm.show(new ConnectionStatus(ConnectionState.LIVE, "connected to b", T, null));
    assertThat(reads[0]).isEqualTo(2);
    assertThat(vm.statusTextProperty().get()).isEqualTo("LIVE \u00b7 replica b (follower) \u00b7 leader c");

    // b leads now: the next 30 s tick shows it
    answer[0] = replica("b", "leader", "b");
    ticks.runAll();
    assertThat(reads[0]).isEqualTo(3);
    assertThat(vm.statusTextProperty().get()).isEqualTo("LIVE \u00b7 replica b (leader)");
    assertThat(ticks.due).hasSize(1);

    // a server without /cluster: nothing extra
    answer[0] = null;
    ticks.runAll();
    assertThat(vm.statusTextProperty().get()).isEqualTo("LIVE: events arrive as they happen");

    vm.close();
    assertThat(ticks.due).isEmpty();
  }

  @Test
  void theThemeIsRememberedAndDarkByDefault(@TempDir Path dir) {
    UiPrefs prefs = new UiPrefs(dir.resolve("nines"));
    assertThat(prefs.theme()).isEqualTo(Theme.DARK);
    assertThat(prefs.saveTheme(Theme.LIGHT)).isTrue();
    assertThat(new UiPrefs(dir.resolve("nines")).theme()).isEqualTo(Theme.LIGHT);
  }

  @Test
  void optionsAreReadInBothForms() {
    List<String> args = List.of("--server", "http://a:1", "--token=t");
    assertThat(ConsoleWindow.option(args, "--server")).isEqualTo("http://a:1");
    assertThat(ConsoleWindow.option(args, "--token")).isEqualTo("t");
    assertThat(ConsoleWindow.option(args, "--theme")).isNull();
  }
}

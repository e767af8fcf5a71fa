package dev.nines.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.console.app.UiExecutor;
import dev.nines.console.client.ConnectionState;
import dev.nines.console.client.ConnectionStatus;
import dev.nines.console.client.WhoAmI;
import dev.nines.console.theme.Theme;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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

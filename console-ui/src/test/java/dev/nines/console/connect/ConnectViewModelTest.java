package dev.nines.console.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.console.app.UiExecutor;
import dev.nines.console.client.ConnectionStore;
import dev.nines.console.client.LiveBackend;
import dev.nines.console.client.WhoAmI;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connection dialog's view-model without the toolkit, against a real backend. */
class ConnectViewModelTest {
  @TempDir static Path dir;
  @TempDir Path config;
  static LiveBackend backend;

  @BeforeAll
  static void start() {
    backend = new LiveBackend(dir);
  }

  @AfterAll
  static void stop() {
    backend.close();
  }

  ConnectViewModel vm(ConnectionStore store) {
    return new ConnectViewModel(store, UiExecutor.direct(), Runnable::run);
  }

  @Test
  void aRefusedTokenShowsTheServersAnswerAndConnectsNothing() {
    ConnectionStore store = new ConnectionStore(config.resolve("nines"));
    ConnectViewModel vm = vm(store);
    vm.serverProperty().set(backend.uri().toString());
    vm.tokenProperty().set("not-a-token");
    vm.connect();
    assertThat(vm.errorProperty().get()).startsWith("The token was refused (401)");
    assertThat(vm.connectedProperty().get()).isNull();
    assertThat(vm.busyProperty().get()).isFalse();
    assertThat(Files.exists(store.file())).as("nothing remembered").isFalse();
  }

  @Test
  void aGoodTokenConnectsSaysWhoItIsAndIsRememberedForTheOwnerOnly() throws IOException {
    String token = backend.token("operator", "alice");
    ConnectionStore store = new ConnectionStore(config.resolve("nines"));
    ConnectViewModel vm = vm(store);
    vm.serverProperty().set(backend.uri().toString());
    vm.tokenProperty().set(token);
    vm.connect();
    assertThat(vm.errorProperty().get()).isEmpty();
    Connection c = vm.connectedProperty().get();
    assertThat(c).isNotNull();
    assertThat(c.me()).isEqualTo(new WhoAmI("alice", WhoAmI.Role.OPERATOR));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
    ConnectViewModel next = vm(store);
    next.loadRemembered();
    assertThat(next.serverProperty().get()).isEqualTo(backend.uri().toString());
    assertThat(next.tokenProperty().get()).isEqualTo(token);
    c.client().close();
  }

  @Test
  void anUnreachableServerSaysSoAndHowToCheck() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    ConnectViewModel vm = vm(null);
    vm.serverProperty().set("http://127.0.0.1:" + closed);
    vm.tokenProperty().set("anything");
    vm.connect();
    assertThat(vm.errorProperty().get()).startsWith("Cannot reach the server at http://127.0.0.1:" + closed);
    assertThat(vm.connectedProperty().get()).isNull();
  }

  @Test
  void missingUrlOrTokenIsSaidBeforeAnyRequest() {
    ConnectViewModel vm = vm(null);
    vm.serverProperty().set("");
    vm.connect();
    assertThat(vm.errorProperty().get()).contains("Enter the server's URL");
    vm.serverProperty().set("ftp://x");
    vm.connect();
    assertThat(vm.errorProperty().get()).contains("not an http(s) URL");
    vm.serverProperty().set("127.0.0.1:7070");
    vm.tokenProperty().set(" ");
    vm.connect();
    assertThat(vm.errorProperty().get()).contains("Enter a token");
  }

  @Test
  void aTokenFileOthersMayReadIsRefusedWithTheFix() throws IOException {
    ConnectionStore store = new ConnectionStore(config.resolve("nines"));
    store.save(new ConnectionStore.Saved(URI.create("http://127.0.0.1:7070"), "secret"));
    Files.setPosixFilePermissions(store.file(), PosixFilePermissions.fromString("rw-r--r--"));
    ConnectViewModel vm = vm(store);
    vm.loadRemembered();
    assertThat(vm.errorProperty().get()).contains("chmod 600");
    assertThat(vm.tokenProperty().get()).isEmpty();
  }

  @Test
  void aUrlWithoutSchemeIsTakenAsHttp() {
    assertThat(ConnectViewModel.parseServer("nines.example:7070")).isEqualTo(URI.create("http://nines.example:7070"));
    assertThatThrownBy(() -> ConnectViewModel.parseServer("http://")).isInstanceOf(IllegalArgumentException.class);
  }
}

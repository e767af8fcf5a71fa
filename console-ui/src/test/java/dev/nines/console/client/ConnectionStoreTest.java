package dev.nines.console.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionStoreTest {
  @TempDir Path tmp;

  @Test
  void aSavedConnectionLoadsBackAndTheFileAndFolderAreOwnerOnly() throws IOException {
    Path dir = tmp.resolve("config").resolve("nines");
    ConnectionStore store = new ConnectionStore(dir);
    assertThat(store.load()).isEmpty();
    store.save(new ConnectionStore.Saved(URI.create("http://ops.example:7070/"), "nines_secret"));
    assertThat(store.load()).contains(new ConnectionStore.Saved(URI.create("http://ops.example:7070"), "nines_secret"));
    assertThat(store.file()).isEqualTo(dir.resolve("console.properties").toAbsolutePath());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    try (var files = Files.list(dir)) {
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("console.properties");
    }
  }

  @Test
  void savingAgainReplacesTheConnectionAndKeepsThePermissions() throws IOException {
    ConnectionStore store = new ConnectionStore(tmp.resolve("nines"));
    store.save(new ConnectionStore.Saved(URI.create("http://a:1"), "one"));
    store.save(new ConnectionStore.Saved(URI.create("http://b:2"), null));
    assertThat(store.load()).contains(new ConnectionStore.Saved(URI.create("http://b:2"), null));
    assertThat(Files.readString(store.file())).doesNotContain("one");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
    store.clear();
    assertThat(store.load()).isEmpty();
  }

  @Test
  void aTokenInAFileOthersCanReadIsRefusedWithAClearMessage() throws IOException {
    ConnectionStore store = new ConnectionStore(tmp.resolve("nines"));
    store.save(new ConnectionStore.Saved(URI.create("http://a:1"), "nines_secret"));
    Files.setPosixFilePermissions(store.file(), PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(store::load)
        .isInstanceOf(ConnectionStore.StoreException.class)
        .hasMessageContaining("Refusing the token in " + store.file())
        .hasMessageContaining("rw-r--r--")
        .hasMessageContaining("chmod 600");
  }

  @Test
  void aUrlWithoutTokenMayBeInAReadableFile() throws IOException {
    ConnectionStore store = new ConnectionStore(tmp.resolve("nines"));
    store.save(new ConnectionStore.Saved(URI.create("http://a:1"), null));
    Files.setPosixFilePermissions(store.file(), PosixFilePermissions.fromString("rw-rw-r--"));
    assertThat(store.load()).contains(new ConnectionStore.Saved(URI.create("http://a:1"), null));
  }

  @Test
  void theFolderFollowsXdgOnUnixAndAppDataOnWindows() {
    assertThat(ConnectionStore.defaultDir(Map.of("XDG_CONFIG_HOME", "/x/cfg"), "Linux", "/home/ann"))
        .isEqualTo(Paths.get("/x/cfg/nines"));
    assertThat(ConnectionStore.defaultDir(Map.of(), "Linux", "/home/ann")).isEqualTo(Paths.get("/home/ann/.config/nines"));
    assertThat(ConnectionStore.defaultDir(Map.of("XDG_CONFIG_HOME", "relative"), "Mac OS X", "/Users/ann"))
        .isEqualTo(Paths.get("/Users/ann/.config/nines"));
    assertThat(ConnectionStore.defaultDir(Map.of("APPDATA", "/C/Users/ann/AppData/Roaming"), "Windows 11", "/C/Users/ann"))
        .isEqualTo(Paths.get("/C/Users/ann/AppData/Roaming/nines"));
  }

  @Test
  void aServerThatIsNotHttpIsRefused() {
    assertThatThrownBy(() -> new ConnectionStore.Saved(URI.create("ftp://a"), "t")).hasMessageContaining("server");
  }
}

package dev.nines.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * MVVM kept true: a view-model imports only javafx.beans, javafx.collections, the client (and its
 * JSON nodes), the app contracts and helpers (and java.*), never javafx.scene or a widget: it is
 * tested without the toolkit.
 */
class ViewModelPackageTest {
  private static final Pattern IMPORT = Pattern.compile("(?m)^import (static )?([\\w.]+)");

  @Test
  void noViewModelImportsTheSceneGraphOrWidgets() throws IOException {
    List<Path> vms;
    try (Stream<Path> s = Files.walk(Paths.get("src/main/java/dev/nines/console"))) {
      vms = s.filter(p -> p.getFileName().toString().endsWith("ViewModel.java")).toList();
    }
    assertThat(vms).extracting(p -> p.getFileName().toString())
        .contains("FleetViewModel.java", "ConnectViewModel.java", "ShellViewModel.java");
    for (Path p : vms) {
      String src = Files.readString(p);
      assertThat(src).as(p.toString()).doesNotContain("javafx.scene").doesNotContain("javafx.application");
      Matcher m = IMPORT.matcher(src);
      while (m.find()) {
        String name = m.group(2);
        assertThat(
                name.startsWith("java.") || name.startsWith("javafx.beans.") || name.startsWith("javafx.collections.")
                    || name.startsWith("dev.nines.console.client.") || name.startsWith("dev.nines.console.app.")
                    // the client's raw JSON for the parts it does not type, and the wire records it returns
                    || name.startsWith("com.fasterxml.jackson.databind.") || name.startsWith("dev.nines.protocol."))
            .as(p.getFileName() + " imports " + name)
            .isTrue();
      }
    }
  }
}

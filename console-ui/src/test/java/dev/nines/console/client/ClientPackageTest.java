package dev.nines.console.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The client package stays free of JavaFX: view-models and the CLI may use it without the toolkit. */
class ClientPackageTest {
  @Test
  void noSourceOfTheClientPackageImportsJavaFx() throws IOException {
    Path dir = Paths.get("src/main/java/dev/nines/console/client");
    List<Path> sources;
    try (Stream<Path> s = Files.list(dir)) {
      sources = s.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertThat(sources).hasSizeGreaterThan(10);
    for (Path p : sources) {
      assertThat(Files.readString(p)).as(p.toString()).doesNotContain("import javafx.").doesNotContain("dev.nines.server.");
    }
  }
}

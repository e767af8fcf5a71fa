package dev.nines.console.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The host and pools view-models (and their data types) stay free of the scene graph. */
class ViewModelImportsTest {
  @Test
  void noViewModelOfTheHostOrPoolsScreenImportsJavafxScene() throws IOException {
    int checked = 0;
    for (String pkg : List.of("host", "pools")) {
      Path dir = Paths.get("src/main/java/dev/nines/console/" + pkg);
      List<Path> viewModels;
      try (Stream<Path> s = Files.list(dir)) {
        viewModels = s.filter(p -> p.getFileName().toString().endsWith("ViewModel.java")).toList();
      }
      assertThat(viewModels).as(pkg).isNotEmpty();
      for (Path p : viewModels) {
        String src = Files.readString(p);
        assertThat(src).as(p.toString())
            .doesNotContain("import javafx.scene").doesNotContain("import javafx.application")
            .doesNotContain("dev.nines.console.widgets").doesNotContain("dev.nines.console.theme");
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(2);
  }
}

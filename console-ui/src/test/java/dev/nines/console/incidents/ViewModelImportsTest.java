package dev.nines.console.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The operations view-models stay toolkit-free: no javafx.scene, only javafx.base beside the client and app. */
class ViewModelImportsTest {
  @Test
  void noViewModelOfTheOperationsScreensImportsJavafxSceneOrAnotherToolkitPackage() throws IOException {
    Path root = Paths.get("src/main/java/dev/nines/console");
    List<Path> vms;
    try (Stream<Path> s = Files.walk(root)) {
      vms = s.filter(p -> p.getFileName().toString().endsWith("ViewModel.java")).toList();
    }
    assertThat(vms).extracting(p -> p.getFileName().toString())
        .contains("ActionsViewModel.java", "IncidentsViewModel.java", "AlertsViewModel.java", "AuditViewModel.java", "ReportViewModel.java");
    for (Path p : vms) {
      for (String line : Files.readAllLines(p)) {
        if (line.startsWith("import javafx.")) {
          assertThat(line).as(p + ": " + line).matches("import javafx\\.(beans|collections)\\..*");
        }
      }
      assertThat(Files.readString(p)).as(p.toString()).doesNotContain("javafx.scene").doesNotContain("javafx.application");
    }
  }
}

package dev.nines.console.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.UiExecutor;
import dev.nines.console.client.BackendClient;
import dev.nines.console.client.LiveBackend;
import dev.nines.console.client.ReportFormat;
import dev.nines.console.client.Subject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report dialog's logic: ranges, subjects, and a real report saved to a file with progress. */
class ReportViewModelTest {
  @TempDir Path dir;
  static final Clock FIXED = Clock.fixed(Instant.parse("2024-05-17T10:00:00Z"), ZoneOffset.UTC);

  static ReportViewModel vm(BackendClient client, Clock clock) {
    return new ReportViewModel(new ConsoleContext(
        client, null, new dev.nines.console.client.WhoAmI("t", dev.nines.console.client.WhoAmI.Role.VIEWER),
        UiExecutor.direct(), Runnable::run, clock));
  }

  @Test
  void rangesAndSubjectsMakeTheRequest() {
    try (BackendClient c = new BackendClient(java.net.URI.create("http://127.0.0.1:9"), "t")) {
      ReportViewModel vm = vm(c, FIXED);
      ReportRequest last30 = vm.request();
      assertThat(last30.to()).isEqualTo(FIXED.instant());
      assertThat(last30.from()).isEqualTo(FIXED.instant().minus(java.time.Duration.ofDays(30)));
      assertThat(last30.subject()).isNull();
      assertThat(last30.format()).isEqualTo(ReportFormat.PDF);
      assertThat(last30.suggestedFileName()).isEqualTo("uptime-fleet-2024-04-17-2024-05-17.pdf");

      vm.rangeProperty().set(ReportViewModel.Range.MONTH);
      assertThat(vm.monthProperty().get()).isEqualTo(YearMonth.of(2024, 4));
      vm.scopeProperty().set(ReportViewModel.Scope.POOL);
      assertThatThrownBy(vm::request).hasMessage("Name the pool");
      vm.subjectProperty().set(" chat ");
      vm.formatProperty().set(ReportFormat.CSV);
      ReportRequest april = vm.request();
      assertThat(april.from()).isEqualTo(Instant.parse("2024-04-01T00:00:00Z"));
      assertThat(april.to()).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
      assertThat(april.subject()).isEqualTo(Subject.pool("chat"));
      assertThat(april.suggestedFileName()).isEqualTo("uptime-pool-chat-2024-04-01-2024-04-30.csv");

      vm.rangeProperty().set(ReportViewModel.Range.CUSTOM);
      vm.fromProperty().set(LocalDate.of(2024, 5, 10));
      vm.toProperty().set(LocalDate.of(2024, 5, 1));
      assertThatThrownBy(vm::request).hasMessageContaining("is after the last day");
      vm.toProperty().set(LocalDate.of(2024, 5, 20));
      ReportRequest custom = vm.request();
      assertThat(custom.to()).isEqualTo(FIXED.instant());
    }
  }

  @Test
  void aReportIsSavedToAFileWithProgress() throws Exception {
    try (LiveBackend backend = new LiveBackend(dir);
        BackendClient viewer = backend.client(backend.token("viewer", "wall"))) {
      for (int i = 0; i < 20; i++) {
        assertThat(backend.report("chat-" + i, "chat", 55.0)).isEqualTo(200);
      }
      ReportViewModel vm = vm(viewer, Clock.systemUTC());
      vm.formatProperty().set(ReportFormat.HTML);
      vm.rangeProperty().set(ReportViewModel.Range.LAST_7_DAYS);
      Path out = dir.resolve("out").resolve(vm.request().suggestedFileName());
      vm.save(vm.request(), out);
      await().atMost(60, TimeUnit.SECONDS).until(() -> vm.statusProperty().get() != ReportViewModel.Status.RUNNING);
      assertThat(vm.statusProperty().get()).as(vm.messageProperty().get()).isEqualTo(ReportViewModel.Status.DONE);
      assertThat(out).exists();
      assertThat(Files.size(out)).isPositive().isEqualTo(vm.bytesProperty().get());
      assertThat(Files.readString(out)).contains("chat-7");
      assertThat(vm.progressCalls()).isPositive();
      assertThat(vm.savedProperty().get()).isEqualTo(out.toAbsolutePath());
      assertThat(vm.messageProperty().get()).isEqualTo("Saved to " + out.toAbsolutePath());
      assertThat(vm.progressTextProperty().get()).matches(".* in \\d+\\.\\d s");

      vm.scopeProperty().set(ReportViewModel.Scope.HOST);
      vm.subjectProperty().set("no-such-host");
      vm.save(vm.request(), dir.resolve("missing.html"));
      await().atMost(60, TimeUnit.SECONDS).until(() -> vm.statusProperty().get() != ReportViewModel.Status.RUNNING);
      assertThat(vm.statusProperty().get()).isEqualTo(ReportViewModel.Status.FAILED);
      assertThat(vm.messageProperty().get()).contains("404");
      assertThat(dir.resolve("missing.html")).doesNotExist();
    }
  }
}

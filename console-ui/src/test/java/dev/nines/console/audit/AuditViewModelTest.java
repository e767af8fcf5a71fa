package dev.nines.console.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.UiExecutor;
import dev.nines.console.client.BackendClient;
import dev.nines.console.client.LiveBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit screen's logic against a real backend: pages, newest first, new lines on top. */
class AuditViewModelTest {
  @TempDir Path dir;

  @Test
  void theAuditLogPagesNewestFirstLoadsMoreAndPutsNewLinesOnTop() {
    try (LiveBackend backend = new LiveBackend(dir);
        BackendClient operator = backend.client(backend.token("operator", "alice"))) {
      for (int i = 0; i < 130; i++) {
        operator.createSilence(List.of("host=h-" + i), "batch " + i, Duration.ofMinutes(5));
      }
      AuditViewModel vm = new AuditViewModel(
          new ConsoleContext(operator, null, operator.whoAmI(), UiExecutor.direct(), Runnable::run, Clock.systemUTC()),
          Duration.ofMillis(200));
      vm.refresh();
      assertThat(vm.errorProperty().get()).isEmpty();
      assertThat(vm.rows()).hasSize(100);
      assertThat(vm.hasMoreProperty().get()).isTrue();
      AuditRow newest = vm.rows().get(0);
      assertThat(newest.action()).isEqualTo("silence.create");
      assertThat(newest.actor()).startsWith("alice (token:");
      assertThat(newest.detail()).contains("batch 129");
      vm.loadMore();
      assertThat(vm.rows().size()).isGreaterThanOrEqualTo(130);
      assertThat(vm.rows().stream().map(AuditRow::id).distinct().count()).isEqualTo(vm.rows().size());
      assertThat(vm.hasMoreProperty().get()).isFalse();

      int before = vm.rows().size();
      vm.setShown(true);
      operator.createSilence(List.of("host=late"), "the latest", Duration.ofMinutes(5));
      await().atMost(10, TimeUnit.SECONDS).until(() -> vm.rows().size() == before + 1);
      assertThat(vm.rows().get(0).detail()).contains("the latest");
      vm.close();
    }
  }

  @Test
  void aViewerIsToldTheAuditLogNeedsAnOperator() {
    try (LiveBackend backend = new LiveBackend(dir);
        BackendClient viewer = backend.client(backend.token("viewer", "wall"))) {
      AuditViewModel vm = new AuditViewModel(
          new ConsoleContext(viewer, null, viewer.whoAmI(), UiExecutor.direct(), Runnable::run, Clock.systemUTC()));
      vm.refresh();
      assertThat(vm.rows()).isEmpty();
      assertThat(vm.errorProperty().get()).contains("'wall' is a viewer", "operator or admin");
    }
  }
}

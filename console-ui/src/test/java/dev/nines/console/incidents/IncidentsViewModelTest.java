package dev.nines.console.incidents;

import dev.nines.console.app.OpsText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.UiExecutor;
import dev.nines.console.client.BackendClient;
import dev.nines.console.client.ConnectionState;
import dev.nines.console.client.EventStream;
import dev.nines.console.client.LiveBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The incidents screen's logic, live against a real backend: a host overheats, then cools down. */
class IncidentsViewModelTest {
  @TempDir Path dir;

  @Test
  void anIncidentOpensAndClosesLiveWithItsTimelineAndTheRefreshesAreCoalesced() {
    ExecutorService ui = Executors.newSingleThreadExecutor();
    try (LiveBackend backend = new LiveBackend(dir);
        BackendClient viewer = backend.client(backend.token("viewer", "wall"));
        EventStream events = EventStream.of(viewer)) {
      events.start();
      await().atMost(10, TimeUnit.SECONDS).until(() -> events.status().state() == ConnectionState.LIVE);
      IncidentsViewModel vm = new IncidentsViewModel(
          new ConsoleContext(viewer, events, viewer.whoAmI(), ui::execute, Runnable::run, Clock.systemUTC()));
      ui.execute(() -> vm.setShown(true));
      await().atMost(10, TimeUnit.SECONDS).until(() -> vm.summaryProperty().get().equals("0 incidents, 0 open"));

      for (int i = 0; i < 5; i++) {
        assertThat(backend.report("hot-" + i, "chat", 99.0)).isEqualTo(200);
      }
      await().atMost(10, TimeUnit.SECONDS).until(() -> vm.rows().stream().filter(r -> r.kind().equals("host")).count() == 5);
      IncidentRow row = vm.rows().stream().filter(r -> r.subject().equals("hot-0")).findFirst().orElseThrow();
      assertThat(row.open()).isTrue();
      assertThat(row.severity()).isEqualTo("UNHEALTHY");
      assertThat(row.duration()).endsWith(", open");
      assertThat(row.cause()).isNotBlank();
      ui.execute(() -> vm.select(row.id()));
      await().atMost(10, TimeUnit.SECONDS).until(() -> !vm.timeline().isEmpty());
      assertThat(vm.timeline().get(0)).contains("opened", "UNHEALTHY");

      // recovery takes a few good reports (the health rules' hysteresis)
      await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).until(() -> {
        backend.report("hot-0", "chat", 55.0);
        return vm.rows().stream().noneMatch(r -> r.subject().equals("hot-0"));
      });
      // the selected incident follows: it closed, its timeline says so
      await().atMost(10, TimeUnit.SECONDS).until(() -> !vm.selectedProperty().get().isOpen());
      assertThat(vm.timeline()).anySatisfy(l -> assertThat(l).contains("closed"));
      ui.execute(() -> vm.stateFilterProperty().set(IncidentsViewModel.StateFilter.CLOSED));
      await().atMost(10, TimeUnit.SECONDS).until(() -> vm.rows().size() == 1);
      assertThat(vm.rows().get(0).duration()).doesNotContain("open");
      // a burst of events (5 opened, pool changes, a close) made few refreshes: at most one a second
      assertThat(vm.liveRefreshes()).isBetween(1, 8);
      vm.close();
    } finally {
      ui.shutdownNow();
    }
  }

  @Test
  void textsForPeople() {
    assertThat(OpsText.duration(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(OpsText.duration(Duration.ofSeconds(200))).isEqualTo("3m 20s");
    assertThat(OpsText.duration(Duration.ofMinutes(62))).isEqualTo("1h 02m");
    assertThat(OpsText.duration(Duration.ofHours(52))).isEqualTo("2d 4h");
    assertThat(OpsText.time(0)).isEqualTo("1970-01-01 00:00:00");
    assertThat(OpsText.labels(java.util.Map.of("pool", "chat", "host", "a"))).isEqualTo("host=a, pool=chat");
  }

  static UiExecutor direct() {
    return UiExecutor.direct();
  }
}

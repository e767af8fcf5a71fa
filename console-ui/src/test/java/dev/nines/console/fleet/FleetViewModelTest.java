package dev.nines.console.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.UiExecutor;
import dev.nines.console.client.BackendClient;
import dev.nines.console.client.EventStream;
import dev.nines.console.client.LiveBackend;
import dev.nines.console.client.Scheduler;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet's view-model without the toolkit, against a real backend. */
class FleetViewModelTest {
  @TempDir static Path dir;
  static LiveBackend backend;
  static BackendClient viewer;

  @BeforeAll
  static void start() {
    backend = new LiveBackend(dir);
    viewer = backend.client(backend.token("viewer", "fleet-test"));
    for (int i = 1; i <= 4; i++) {
      assertThat(backend.report("chat-" + i, "chat", 50.0 + i)).isEqualTo(200);
    }
    assertThat(backend.report("embed-1", "embed", 60.0)).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    viewer.close();
    backend.close();
  }

  /** Direct UI and io: every command has finished when it returns. */
  static ConsoleContext direct(EventStream events) {
    return new ConsoleContext(viewer, events, viewer.whoAmI(), UiExecutor.direct(), Runnable::run, Clock.systemUTC());
  }

  @Test
  void refreshFillsOneRowPerHostWithStatesFiguresAndPools() {
    FleetViewModel vm = new FleetViewModel(direct(null), new RecordingNavigator(), Scheduler.daemon("t"));
    vm.refresh();
    assertThat(vm.errorProperty().get()).isEmpty();
    assertThat(vm.rows()).extracting(FleetRow::id).contains("chat-1", "chat-2", "chat-3", "chat-4", "embed-1");
    assertThat(vm.hostCountProperty().get()).isEqualTo(vm.rows().size());
    assertThat(vm.pools()).contains("chat", "embed").isSorted();
    FleetRow r = vm.row("chat-3");
    assertThat(r.pool()).isEqualTo("chat");
    assertThat(r.routing()).isEqualTo("ACTIVE");
    assertThat(r.metric(Metric.CPU).value()).isEqualTo(0.42);
    assertThat(r.metric(Metric.GPU_TEMP).value()).isEqualTo(53.0);
    assertThat(r.metric(Metric.GPU_MEM).value()).isCloseTo(70.0 / 141.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(r.metric(Metric.LATENCY_P95).value()).isEqualTo(120.0);
    assertThat(r.metric(Metric.ERROR_RATIO).value()).isEqualTo(0.01);
    // the sparkline starts with the stored minutes (one 5 s bucket here), then the latest report
    assertThat(r.metric(Metric.GPU_TEMP).history()).isNotEmpty().endsWith(53.0);
    vm.close();
  }

  @Test
  void aNewReportAppendsToTheHostsHistoryAndTheSameReportDoesNot() {
    FleetViewModel vm = new FleetViewModel(direct(null), new RecordingNavigator(), Scheduler.daemon("t"));
    vm.refresh();
    double[] before = vm.row("embed-1").metric(Metric.GPU_TEMP).history();
    long revision = vm.revisionProperty().get();
    vm.refresh(); // nothing new: the history stays
    assertThat(vm.row("embed-1").metric(Metric.GPU_TEMP).history()).isSameAs(before);
    assertThat(vm.revisionProperty().get()).isEqualTo(revision + 1);
    assertThat(backend.report("embed-1", "embed", 77.0)).isEqualTo(200);
    vm.markDirty("embed-1");
    vm.flush();
    Sample now = vm.row("embed-1").metric(Metric.GPU_TEMP);
    assertThat(now.value()).isEqualTo(77.0);
    assertThat(now.history()).hasSize(before.length + 1).endsWith(77.0);
    vm.close();
  }

  @Test
  void filtersByPoolStateAndTextTogether() {
    FleetViewModel vm = new FleetViewModel(direct(null), new RecordingNavigator(), Scheduler.daemon("t"));
    vm.refresh();
    int all = vm.rows().size();
    assertThat(vm.visibleRows()).hasSize(all);
    vm.poolFilterProperty().set("embed");
    assertThat(vm.visibleRows()).extracting(FleetRow::id).containsExactly("embed-1");
    vm.poolFilterProperty().set("chat");
    vm.textFilterProperty().set("CHAT-2");
    assertThat(vm.visibleRows()).extracting(FleetRow::id).containsExactly("chat-2");
    vm.textFilterProperty().set("");
    vm.stateFilterProperty().set("DRAINED");
    assertThat(vm.visibleRows()).isEmpty();
    vm.stateFilterProperty().set("ACTIVE");
    assertThat(vm.visibleRows()).hasSize(4);
    vm.poolFilterProperty().set("");
    vm.stateFilterProperty().set("");
    assertThat(vm.visibleRows()).hasSize(all);
    vm.close();
  }

  @Test
  void openingARowAsksTheNavigatorForTheHost() {
    RecordingNavigator nav = new RecordingNavigator();
    FleetViewModel vm = new FleetViewModel(direct(null), nav, Scheduler.daemon("t"));
    vm.refresh();
    vm.open(vm.row("chat-1"));
    assertThat(nav.hosts).containsExactly("chat-1");
    vm.close();
  }

  @Test
  void reportEventsUpdateTheRowLiveWithinAboutASecond() throws Exception {
    // a UI thread of its own: the view-model's state is read there too
    ExecutorService uiThread = Executors.newSingleThreadExecutor();
    ExecutorService io = Executors.newFixedThreadPool(2);
    EventStream events = EventStream.of(viewer);
    ConsoleContext ctx =
        new ConsoleContext(viewer, events, viewer.whoAmI(), uiThread::execute, io, Clock.systemUTC());
    FleetViewModel vm = new FleetViewModel(ctx, new RecordingNavigator(), Scheduler.daemon("t"));
    try {
      vm.start();
      events.start();
      await().atMost(10, TimeUnit.SECONDS).until(() -> uiThread.submit(() -> vm.row("chat-4") != null).get());
      await().atMost(10, TimeUnit.SECONDS).until(
          () -> events.status().state() == dev.nines.console.client.ConnectionState.LIVE);
      long seq = uiThread.submit(() -> vm.row("chat-4").lastSeqProperty().get()).get();
      assertThat(backend.report("chat-4", "chat", 88.0)).isEqualTo(200);
      await().atMost(10, TimeUnit.SECONDS).until(
          () -> uiThread.submit(() -> vm.row("chat-4").lastSeqProperty().get()).get() > seq);
      assertThat(uiThread.submit(() -> vm.row("chat-4").metric(Metric.GPU_TEMP).value()).get()).isEqualTo(88.0);
      // a host never seen before appears without a full reload
      assertThat(backend.report("new-1", "fresh", 40.0)).isEqualTo(200);
      await().atMost(10, TimeUnit.SECONDS).until(() -> uiThread.submit(() -> vm.row("new-1") != null).get());
    } finally {
      vm.close();
      events.close();
      uiThread.shutdownNow();
      io.shutdownNow();
    }
  }
}

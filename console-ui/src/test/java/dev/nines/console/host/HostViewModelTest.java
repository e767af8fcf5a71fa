package dev.nines.console.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.UiExecutor;
import dev.nines.console.client.BackendClient;
import dev.nines.console.client.EventStream;
import dev.nines.console.client.LiveBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host view-model against a real backend, without the toolkit (UI and I/O run on the caller). */
class HostViewModelTest {
  @TempDir static Path dir;
  static LiveBackend backend;
  static HostFeed feed;

  @BeforeAll
  static void start() {
    backend = new LiveBackend(dir);
    feed = new HostFeed(backend);
    feed.history("gpu-a1", "chat", 60, 62);
    feed.history("gpu-a2", "chat", 5, 62);
  }

  @AfterAll
  static void stop() {
    backend.close();
  }

  static ConsoleContext context(String role, EventStream events) {
    BackendClient client = backend.client(backend.token(role, role + "-console"));
    return new ConsoleContext(client, events, client.whoAmI(), UiExecutor.direct(), Runnable::run, Clock.systemUTC());
  }

  static HostViewModel viewModel(ConsoleContext ctx, Recorder r) {
    return new HostViewModel(ctx, r, r);
  }

  @Test
  void showsTheHeaderGpuTableAndChartsOfAReportingHost() {
    Recorder r = new Recorder();
    HostViewModel vm = viewModel(context("operator", null), r);
    vm.showHost("gpu-a1");

    assertThat(vm.errorProperty().get()).isEmpty();
    assertThat(vm.hostIdProperty().get()).isEqualTo("gpu-a1");
    assertThat(vm.poolProperty().get()).isEqualTo("chat");
    assertThat(vm.routingProperty().get()).isEqualTo("ACTIVE");
    assertThat(vm.healthProperty().get()).isIn("HEALTHY", "DEGRADED", "UNHEALTHY", "UNKNOWN");
    assertThat(vm.gpus()).extracting(GpuRow::index).containsExactly(0, 1);
    assertThat(vm.gpus().get(1).name()).isEqualTo("NVIDIA H200");
    assertThat(vm.gpus().get(1).xids()).startsWith("13 @ ");
    HostCharts charts = vm.chartsProperty().get();
    assertThat(charts.step()).isEqualTo(Duration.ofSeconds(12));
    assertThat(Duration.between(charts.from(), charts.to())).isEqualTo(Duration.ofHours(1));
    assertThat(charts.chart("cpu").lines().get(0).size()).isGreaterThan(50);
    assertThat(charts.chart("gpu-temperature").lines()).extracting(HostChart.Line::name).containsExactly("GPU 0", "GPU 1");
    assertThat(charts.chart("gpu-power").lines()).hasSize(2);
    assertThat(charts.chart("latency").lines()).extracting(HostChart.Line::name).containsExactly("p50", "p95", "p99");
    assertThat(charts.chart("latency").lines().get(0).size()).as("p50 is a stored series over the range").isGreaterThan(50);
    assertThat(charts.chart("errors").lines().get(0).lastValue()).isBetween(0.0, 0.02);
    assertThat(vm.history()).anyMatch(h -> h.kind().equals("health"));
    assertThat(vm.history()).anyMatch(h -> h.kind().equals("routing") && h.state().equals("ACTIVE") && h.rule().equals("system"));
    // an operator may drain or put an ACTIVE host in maintenance, not undrain it
    assertThat(vm.drainDisabledProperty().get()).isFalse();
    assertThat(vm.maintenanceDisabledProperty().get()).isFalse();
    assertThat(vm.undrainDisabledProperty().get()).isTrue();
    assertThat(vm.actionsNoteProperty().get()).isEmpty();

    vm.drain();
    vm.openPool();
    assertThat(r.calls).containsExactly("drain gpu-a1", "pool chat");
  }

  @Test
  void aRangeChangeReadsTheWholeRangeAgainWithItsStep() {
    HostViewModel vm = viewModel(context("viewer", null), new Recorder());
    vm.showHost("gpu-a1");
    assertThat(vm.fullLoads.get()).isEqualTo(1);

    vm.setRange(HostRange.H6);
    HostCharts six = vm.chartsProperty().get();
    assertThat(vm.fullLoads.get()).isEqualTo(2);
    assertThat(six.step()).isEqualTo(Duration.ofSeconds(72));
    assertThat(Duration.between(six.from(), six.to())).isEqualTo(Duration.ofHours(6));
    assertThat(six.chart("cpu").lines().get(0).size()).isBetween(40, 301);

    vm.setRange(HostRange.D7);
    assertThat(vm.chartsProperty().get().step()).isEqualTo(Duration.ofSeconds(2016));
    assertThat(vm.rangeProperty().get()).isEqualTo(HostRange.D7);
    vm.setRange(HostRange.D7);
    assertThat(vm.fullLoads.get()).as("the same range again reads nothing").isEqualTo(3);
  }

  @Test
  void aViewerSeesEveryActionDisabledWithTheReason() {
    Recorder r = new Recorder();
    HostViewModel vm = viewModel(context("viewer", null), r);
    vm.showHost("gpu-a1");
    assertThat(vm.drainDisabledProperty().get()).isTrue();
    assertThat(vm.undrainDisabledProperty().get()).isTrue();
    assertThat(vm.maintenanceDisabledProperty().get()).isTrue();
    assertThat(vm.actionsNoteProperty().get()).contains("viewer-console").contains("is a viewer");
    // a viewer reads the routing history too (it comes from the routing intervals, not the audit log)
    assertThat(vm.history()).anyMatch(h -> h.kind().equals("routing") && h.state().equals("ACTIVE"));
    vm.drain();
    vm.maintenance();
    assertThat(r.calls).isEmpty();
  }

  @Test
  void anUnknownHostShowsTheServersAnswer() {
    HostViewModel vm = viewModel(context("viewer", null), new Recorder());
    vm.showHost("no-such-host");
    assertThat(vm.errorProperty().get()).contains("404");
    assertThat(vm.loadingProperty().get()).isFalse();
  }

  @Test
  void aHostDrainedThroughTheClientShowsItsRoutingChangeLive() {
    BackendClient admin = backend.client(LiveBackend.ADMIN);
    try (EventStream events = EventStream.of(backend.client(backend.token("operator", "live-op")))) {
      HostViewModel vm = viewModel(context("operator", events), new Recorder());
      vm.showHost("gpu-a2");
      vm.setLive(true);
      events.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> events.status().state().name().equals("LIVE"));

      admin.drain("gpu-a2", "replace a fan", null, true, false);

      await().atMost(Duration.ofSeconds(15))
          .untilAsserted(() -> assertThat(vm.routingProperty().get()).isIn("DRAINING", "DRAINED"));
      assertThat(vm.routingDetailProperty().get()).contains("replace a fan");
      assertThat(vm.history()).anyMatch(h -> h.kind().equals("routing") && h.reason().contains("replace a fan"));
      assertThat(vm.drainDisabledProperty().get()).isTrue();
      assertThat(vm.undrainDisabledProperty().get()).isFalse();
      // the refresh the event asked for reads the routing intervals: they carry the bands
      await().atMost(Duration.ofSeconds(15))
          .untilAsserted(() -> assertThat(vm.tailLoads.get()).isGreaterThan(0));
      vm.setLive(false);
      admin.undrain("gpu-a2", "fan replaced", false);
    }
  }

  @Test
  void reportsPostedAppendTheLatestBucketsWithoutReadingTheWholeRange() {
    try (EventStream events = EventStream.of(backend.client(backend.token("viewer", "live-viewer")))) {
      HostViewModel vm = viewModel(context("viewer", events), new Recorder());
      vm.showHost("gpu-a1");
      vm.setLive(true);
      events.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> events.status().state().name().equals("LIVE"));
      int before = vm.chartsProperty().get().chart("cpu").lines().get(0).size();

      // three reports at 100 % CPU: the latest bucket's average goes over the wave's 70 % whatever else it holds
      for (int i = 0; i < 3; i++) {
        feed.post("gpu-a1", "chat", System.currentTimeMillis(), 1.0, 62);
      }

      await().atMost(Duration.ofSeconds(15))
          .untilAsserted(() -> assertThat(vm.chartsProperty().get().chart("cpu").lines().get(0).lastValue()).isGreaterThan(0.75));
      assertThat(vm.chartsProperty().get().chart("cpu").lines().get(0).size()).isBetween(before, before + 3);
      assertThat(vm.fullLoads.get()).isEqualTo(1);
      assertThat(vm.tailLoads.get()).isGreaterThan(0);
      vm.setLive(false);
    }
  }
}

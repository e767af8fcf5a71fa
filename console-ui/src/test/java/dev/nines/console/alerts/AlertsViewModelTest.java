package dev.nines.console.alerts;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alerts screen's logic against a real backend where a GPU fault fires gpu-fault. */
class AlertsViewModelTest {
  @TempDir static Path dir;
  static LiveBackend backend;
  static BackendClient operator;

  @BeforeAll
  static void start() throws Exception {
    backend = new LiveBackend(dir);
    operator = backend.client(backend.token("operator", "alice"));
    assertThat(backend.report("gpu-1", "chat", 55.0)).isEqualTo(200);
    assertThat(backend.report("gpu-2", "chat", 55.0)).isEqualTo(200);
    assertThat(FaultyAgent.reportXid(backend, "gpu-1", "chat", 2)).isEqualTo(200);
    await().atMost(20, TimeUnit.SECONDS).until(() -> operator.alerts(null, null).items().stream()
        .anyMatch(a -> "firing".equals(a.state()) && "gpu-fault".equals(a.labels().get("alertname"))));
  }

  @AfterAll
  static void stop() {
    operator.close();
    backend.close();
  }

  static AlertsViewModel vm(BackendClient client) {
    return new AlertsViewModel(
        new ConsoleContext(client, null, client.whoAmI(), UiExecutor.direct(), Runnable::run, Clock.systemUTC()));
  }

  static AlertRow gpuFault(AlertsViewModel vm) {
    return vm.rows().stream().filter(r -> r.alertname().equals("gpu-fault")).findFirst().orElseThrow();
  }

  @Test
  void firingAlertsShowTheirLabelsSummarySinceAndSeverity() {
    AlertsViewModel vm = vm(operator);
    vm.refresh();
    AlertRow r = gpuFault(vm);
    assertThat(r.state()).isEqualTo("firing");
    assertThat(r.severity()).isEqualTo("critical");
    assertThat(r.labels()).contains("host=gpu-1", "pool=chat");
    assertThat(r.summary()).isNotBlank();
    assertThat(r.since()).matches("\\d+s|\\d+m \\d\\ds");
    assertThat(vm.summaryProperty().get()).contains("firing");
    vm.stateFilterProperty().set(AlertsViewModel.StateFilter.RESOLVED);
    assertThat(vm.rows()).noneMatch(x -> x.state().equals("firing"));
  }

  @Test
  void anOperatorAcknowledgesAndSilencesFromTheAlertsLabels() {
    AlertsViewModel vm = vm(operator);
    vm.refresh();
    vm.acknowledge(gpuFault(vm).fingerprint(), "replacing the GPU");
    assertThat(vm.errorProperty().get()).isEmpty();
    assertThat(vm.messageProperty().get()).isEqualTo("Acknowledged gpu-fault");
    assertThat(gpuFault(vm).ack()).isEqualTo("alice: replacing the GPU");

    SilenceDraft draft = vm.draftSilence(gpuFault(vm).alert());
    assertThat(draft.matchers()).contains("alertname=gpu-fault", "host=gpu-1", "pool=chat");
    assertThat(AlertsViewModel.problemOf(draft)).hasValue("Say why: a silence needs a comment");
    vm.silence(new SilenceDraft(draft.matchers(), Duration.ofHours(1), "RMA of GPU 0 under way"));
    assertThat(vm.errorProperty().get()).isEmpty();
    assertThat(vm.messageProperty().get()).startsWith("Silenced alertname=").contains("gpu-fault", "host=", "gpu-1");
    SilenceRow s = vm.silences().stream().filter(x -> x.comment().equals("RMA of GPU 0 under way")).findFirst().orElseThrow();
    assertThat(s.author()).contains("alice");
    assertThat(s.expirable()).isTrue();
    await().atMost(10, TimeUnit.SECONDS).until(() -> {
      vm.refresh();
      return gpuFault(vm).suppressedBy().contains(s.id());
    });

    vm.expire(s.id());
    SilenceRow after = vm.silences().stream().filter(x -> x.id().equals(s.id())).findFirst().orElseThrow();
    assertThat(after.state()).isEqualTo("expired");
    assertThat(after.expirable()).isFalse();
  }

  @Test
  void aViewerMayNotAcknowledgeOrSilenceAndIsToldWhy() {
    try (BackendClient viewer = backend.client(backend.token("viewer", "wall"))) {
      AlertsViewModel vm = vm(viewer);
      vm.refresh();
      assertThat(vm.mayOperate()).isFalse();
      vm.acknowledge(gpuFault(vm).fingerprint(), "x");
      assertThat(vm.errorProperty().get()).contains("'wall' is a viewer", "acknowledge");
      assertThat(vm.messageProperty().get()).isEmpty();
    }
  }

  @Test
  void aMalformedMatcherOrTooLongSilenceIsRefusedBeforeAnythingIsSent() {
    assertThat(AlertsViewModel.problemOf(new SilenceDraft(List.of("pool chat"), Duration.ofHours(1), "why")))
        .hasValueSatisfying(p -> assertThat(p).contains("'pool chat'"));
    assertThat(AlertsViewModel.problemOf(new SilenceDraft(List.of("pool=chat"), Duration.ofDays(31), "why")))
        .hasValueSatisfying(p -> assertThat(p).contains("30 days"));
    assertThat(AlertsViewModel.problemOf(new SilenceDraft(List.of("pool=~ch.*"), Duration.ofDays(1), "why"))).isEmpty();
  }
}

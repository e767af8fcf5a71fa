package dev.nines.console.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nines.console.actions.ActionDialogs;
import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.UiExecutor;
import dev.nines.console.audit.AuditView;
import dev.nines.console.audit.AuditViewModel;
import dev.nines.console.client.BackendClient;
import dev.nines.console.client.LiveBackend;
import dev.nines.console.client.ReportFormat;
import dev.nines.console.fx.Fx;
import dev.nines.console.fx.FxExtension;
import dev.nines.console.fx.Snapshots;
import dev.nines.console.incidents.IncidentsView;
import dev.nines.console.incidents.IncidentsViewModel;
import dev.nines.console.reports.ReportView;
import dev.nines.console.reports.ReportViewModel;
import dev.nines.console.theme.Theme;
import dev.nines.console.theme.Themes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations screens on the real toolkit (headless) against one real backend with incidents, a
 * firing GPU fault, a silence and audit lines; each renders a PNG under target/screenshots/.
 */
@ExtendWith(FxExtension.class)
class OpsScreensFxTest {
  @TempDir static Path dir;
  static LiveBackend backend;
  static BackendClient operator;
  static ExecutorService io;
  static java.util.concurrent.ScheduledExecutorService reporter;
  static ConsoleContext ctx;

  static final UiExecutor FX = r -> {
    if (Platform.isFxApplicationThread()) {
      r.run();
    } else {
      Platform.runLater(r);
    }
  };

  @BeforeAll
  static void start() throws Exception {
    backend = new LiveBackend(dir);
    operator = backend.client(backend.token("operator", "alice"));
    for (int i = 1; i <= 6; i++) {
      assertThat(backend.report("chat-" + i, "chat", 55.0)).isEqualTo(200);
      assertThat(backend.report("embed-" + i, "embed", 52.0)).isEqualTo(200);
    }
    assertThat(backend.report("chat-5", "chat", 99.0)).isEqualTo(200);
    assertThat(backend.report("embed-2", "embed", 97.0)).isEqualTo(200);
    assertThat(FaultyAgent.reportXid(backend, "chat-3", "chat", 2)).isEqualTo(200);
    await().atMost(20, TimeUnit.SECONDS).until(() -> operator.alerts(null, null).items().stream()
        .anyMatch(a -> "firing".equals(a.state()) && "gpu-fault".equals(a.labels().get("alertname"))));
    await().atMost(20, TimeUnit.SECONDS).until(() -> operator.incidents(null, null).items().size() >= 3);
    operator.drain("chat-6", "kernel upgrade", Duration.ofSeconds(2), false, false);
    operator.createSilence(List.of("pool=embed", "alertname=gpu-hot"), "embed-2 fan replaced, cooling down", Duration.ofHours(4));
    // the fleet keeps reporting (every 2 s, as agents would) so that only the faulty hosts look faulty
    reporter = Executors.newSingleThreadScheduledExecutor();
    reporter.scheduleWithFixedDelay(() -> {
      for (int i = 1; i <= 6; i++) {
        backend.report("chat-" + i, "chat", i == 5 ? 99.0 : 55.0);
        backend.report("embed-" + i, "embed", i == 2 ? 97.0 : 52.0);
      }
    }, 0, 2, TimeUnit.SECONDS);
    io = Executors.newCachedThreadPool();
    ctx = new ConsoleContext(operator, null, operator.whoAmI(), FX, io, Clock.systemUTC());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    reporter.shutdownNow();
    reporter.awaitTermination(30, TimeUnit.SECONDS);
    io.shutdownNow();
    operator.close();
    backend.close();
  }

  static Scene scene(Parent root) {
    Scene scene = Fx.call(() -> {
      Scene s = new Scene(root, 1280, 800);
      Themes.apply(s, Theme.DARK);
      return s;
    });
    Fx.layout(scene);
    return scene;
  }

  @Test
  void incidentsScreenListsOpenIncidentsAndShowsTheSelectedTimeline() {
    IncidentsViewModel vm = new IncidentsViewModel(ctx);
    IncidentsView view = Fx.call(() -> new IncidentsView(vm, new ActionDialogs(ctx, () -> null), ctx.me()));
    Scene scene = scene(view);
    Fx.run(() -> view.shown(true));
    @SuppressWarnings("unchecked")
    TableView<Object> table = (TableView<Object>) scene.lookup("#incidents");
    await().atMost(10, TimeUnit.SECONDS).until(() -> Fx.call(() -> table.getItems().size()) >= 2);
    Fx.run(() -> table.getSelectionModel().select(0));
    await().atMost(10, TimeUnit.SECONDS)
        .failFast(() -> !Fx.call(() -> vm.errorProperty().get()).isEmpty())
        .until(() -> Fx.call(() -> !vm.timeline().isEmpty()));
    assertThat(Fx.call(() -> vm.rows().stream().map(r -> r.subject()).toList())).contains("chat-5", "embed-2");
    Path png = Snapshots.write(scene, Path.of("incidents-dark.png"));
    assertThat(png).exists();
    vm.close();
  }

  @Test
  void alertsScreenShowsTheFiringFaultAcknowledgesItAndListsTheSilence() {
    AlertsViewModel vm = new AlertsViewModel(ctx);
    AlertsView view = Fx.call(() -> new AlertsView(vm));
    Scene scene = scene(view);
    Fx.run(() -> view.shown(true));
    @SuppressWarnings("unchecked")
    TableView<AlertRow> table = (TableView<AlertRow>) scene.lookup("#alerts");
    await().atMost(10, TimeUnit.SECONDS).until(() -> Fx.call(() -> table.getItems().stream().anyMatch(r -> r.alertname().equals("gpu-fault"))));
    Fx.run(() -> {
      table.getItems().stream().filter(r -> r.alertname().equals("gpu-fault")).findFirst().ifPresent(r -> table.getSelectionModel().select(r));
      ((javafx.scene.control.TextField) scene.lookup("#ackComment")).setText("RMA opened for GPU 0");
      ((Button) scene.lookup("#ack")).fire();
    });
    await().atMost(10, TimeUnit.SECONDS).until(() -> Fx.call(() -> ((Label) scene.lookup("#message")).getText()).equals("Acknowledged gpu-fault"));
    await().atMost(10, TimeUnit.SECONDS).until(() -> Fx.call(() -> vm.rows().stream().anyMatch(r -> r.ack().startsWith("alice"))));
    assertThat(Fx.call(() -> vm.silences().size())).isEqualTo(1);
    assertThat(Fx.call(() -> ((javafx.scene.control.TextField) scene.lookup("#matchers")).getText())).contains("alertname=gpu-fault");
    Snapshots.write(scene, Path.of("alerts-dark.png"));
    vm.close();
  }

  @Test
  void auditScreenShowsTheNewestLinesFirst() {
    AuditViewModel vm = new AuditViewModel(ctx);
    AuditView view = Fx.call(() -> new AuditView(vm));
    Scene scene = scene(view);
    Fx.run(() -> view.shown(true));
    await().atMost(10, TimeUnit.SECONDS).until(() -> Fx.call(() -> vm.rows().size()) >= 2);
    assertThat(Fx.call(() -> vm.rows().stream().map(r -> r.action()).toList())).contains("silence.create");
    Snapshots.write(scene, Path.of("audit-dark.png"));
    Fx.run(() -> view.shown(false));
  }

  @Test
  void aReportIsSavedToTheFileThePickerGaveWithProgress() throws Exception {
    ReportViewModel vm = new ReportViewModel(ctx);
    Path out = dir.resolve("reports").resolve("uptime.pdf");
    ReportView view = Fx.call(() -> new ReportView(vm, request -> out));
    Scene scene = scene(view);
    Fx.run(() -> {
      vm.scopeProperty().set(ReportViewModel.Scope.POOL);
      vm.subjectProperty().set("chat");
      vm.formatProperty().set(ReportFormat.PDF);
      ((Button) scene.lookup("#save")).fire();
    });
    await().atMost(60, TimeUnit.SECONDS).until(() -> Fx.call(() -> vm.statusProperty().get()) != ReportViewModel.Status.RUNNING);
    assertThat(Fx.call(() -> vm.statusProperty().get())).as(Fx.call(() -> vm.messageProperty().get())).isEqualTo(ReportViewModel.Status.DONE);
    assertThat(out).exists();
    assertThat(Files.size(out)).isPositive();
    assertThat(Files.readAllBytes(out)).startsWith("%PDF".getBytes());
    assertThat(Fx.call(() -> ((Label) scene.lookup("#message")).getText())).isEqualTo("Saved to " + out.toAbsolutePath());
    assertThat(Fx.call(() -> ((Label) scene.lookup("#progressText")).getText())).contains(" in ");
    assertThat(vm.progressCalls()).isPositive();
    Snapshots.write(scene, Path.of("report-dark.png"));
  }
}

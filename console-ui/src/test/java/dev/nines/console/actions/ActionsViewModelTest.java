package dev.nines.console.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The action dialog's logic against a real backend: dry run, guard verdict, confirm, live progress
 * from the event stream, refusal then force, and a viewer's disabled actions.
 */
class ActionsViewModelTest {
  @TempDir static Path dir;
  static LiveBackend backend;
  static BackendClient operator;
  static EventStream events;
  /** One thread stands for the UI thread, so events and commands never touch the view-model at once. */
  static ExecutorService uiThread;

  @BeforeAll
  static void start() {
    backend = new LiveBackend(dir);
    operator = backend.client(backend.token("operator", "alice"));
    for (String h : new String[] {"chat-1", "chat-2", "chat-3"}) {
      assertThat(backend.report(h, "chat", 55.0)).isEqualTo(200);
    }
    assertThat(backend.report("solo-1", "solo", 55.0)).isEqualTo(200);
    events = EventStream.of(operator);
    events.start();
    await().atMost(10, TimeUnit.SECONDS).until(() -> events.status().state() == ConnectionState.LIVE);
    uiThread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "test-ui");
      t.setDaemon(true);
      return t;
    });
  }

  @AfterAll
  static void stop() {
    events.close();
    uiThread.shutdownNow();
    operator.close();
    backend.close();
  }

  static ConsoleContext direct(BackendClient client, EventStream stream) {
    return new ConsoleContext(client, stream, client.whoAmI(), UiExecutor.direct(), Runnable::run, Clock.systemUTC());
  }

  static ConsoleContext live() {
    return new ConsoleContext(operator, events, operator.whoAmI(), uiThread::execute, Runnable::run, Clock.systemUTC());
  }

  /** Runs a command on the test's UI thread and waits for it. */
  static void onUi(Runnable command) {
    try {
      uiThread.submit(command).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aDrainDryRunShowsTheImpactAndTheGuardsVerdictWithoutChangingAnything() {
    ActionsViewModel vm = new ActionsViewModel(direct(operator, null));
    vm.start(ActionKind.DRAIN, "chat-3");

    assertThat(vm.state()).isEqualTo(ActionState.CONFIRM);
    Impact i = vm.impactProperty().get();
    assertThat(i.activeNow()).isEqualTo(3);
    assertThat(i.activeAfter()).isEqualTo(2);
    assertThat(i.required()).isEqualTo(2);
    assertThat(i.allowed()).isTrue();
    assertThat(i.verdict()).startsWith("Capacity guard allows: 3 active now, 2 after, 2 required");
    assertThat(i.change()).isEqualTo("ACTIVE -> DRAINING");
    assertThat(i.steps()).isNotEmpty();
    assertThat(vm.routingStateProperty().get()).isEqualTo("ACTIVE");
    assertThat(operator.host("chat-3").routing().state()).isEqualTo("ACTIVE");
    vm.close();
    assertThat(vm.state()).isEqualTo(ActionState.IDLE);
  }

  @Test
  void aConfirmedDrainMovesToDrainingThenDrainedLive() {
    ActionsViewModel vm = new ActionsViewModel(live());
    onUi(() -> {
      vm.drainTimeoutProperty().set(Duration.ofSeconds(3));
      vm.reasonProperty().set("kernel upgrade");
      vm.start(ActionKind.DRAIN, "chat-1");
    });
    await().atMost(10, TimeUnit.SECONDS).until(() -> vm.state() == ActionState.CONFIRM);
    onUi(vm::confirm);
    await().atMost(10, TimeUnit.SECONDS).until(() -> "DRAINING".equals(vm.routingStateProperty().get()));
    // no model-server figures come after the drain began: it ends at its 3 s timeout
    await().atMost(30, TimeUnit.SECONDS).until(() -> vm.state() == ActionState.DONE);
    assertThat(vm.routingStateProperty().get()).isEqualTo("DRAINED");
    assertThat(vm.messageProperty().get()).isEqualTo("chat-1 is DRAINED");
    assertThat(vm.progress()).anySatisfy(l -> assertThat(l).contains("ACTIVE -> DRAINING", "kernel upgrade"));
    assertThat(vm.progress()).anySatisfy(l -> assertThat(l).contains("DRAINING -> DRAINED"));
    assertThat(operator.host("chat-1").routing().state()).isEqualTo("DRAINED");

    // and back: an undrain adds capacity, the guard is not asked
    onUi(() -> vm.start(ActionKind.UNDRAIN, "chat-1"));
    await().atMost(10, TimeUnit.SECONDS).until(() -> vm.state() == ActionState.CONFIRM);
    assertThat(vm.impactProperty().get().allowed()).isNull();
    onUi(vm::confirm);
    await().atMost(10, TimeUnit.SECONDS).until(() -> vm.state() == ActionState.DONE);
    assertThat(operator.host("chat-1").routing().state()).isEqualTo("ACTIVE");
  }

  @Test
  void aGuardRefusalThenForceWithAReasonAndASecondConfirmationDrainsTheLastMember() {
    ActionsViewModel vm = new ActionsViewModel(live());
    onUi(() -> {
      vm.drainTimeoutProperty().set(Duration.ofSeconds(3));
      vm.start(ActionKind.DRAIN, "solo-1");
    });
    await().atMost(10, TimeUnit.SECONDS).until(() -> vm.state() == ActionState.REFUSED);
    Impact i = vm.impactProperty().get();
    assertThat(i.refused()).isTrue();
    assertThat(i.activeAfter()).isZero();
    assertThat(i.verdict()).startsWith("Capacity guard refuses: 1 active now, 0 after, 1 required");
    assertThatThrownBy(vm::confirm).isInstanceOf(IllegalStateException.class);

    onUi(vm::offerForce);
    assertThat(vm.state()).isEqualTo(ActionState.FORCE_REASON);
    onUi(() -> {
      vm.forceReasonProperty().set("too short");
      vm.submitForceReason();
    });
    assertThat(vm.state()).isEqualTo(ActionState.FORCE_REASON);
    assertThat(vm.forceReasonValidProperty().get()).isFalse();
    assertThat(vm.messageProperty().get()).contains("at least " + ActionsViewModel.MIN_FORCE_REASON);
    onUi(() -> {
      vm.forceReasonProperty().set("GPU 3 throws XIDs, traffic is moved to the standby region");
      vm.submitForceReason();
    });
    assertThat(vm.state()).isEqualTo(ActionState.FORCE_CONFIRM);
    assertThat(operator.host("solo-1").routing().state()).isEqualTo("ACTIVE");
    onUi(vm::confirmForce);
    await().atMost(30, TimeUnit.SECONDS).until(() -> vm.state() == ActionState.DONE);
    assertThat(vm.forcedProperty().get()).isTrue();
    assertThat(vm.progress()).anySatisfy(l -> assertThat(l).contains("Forced"));
    assertThat(operator.host("solo-1").routing().state()).isEqualTo("DRAINED");
    assertThat(operator.audit(null).items())
        .anySatisfy(a -> assertThat(a.target()).isEqualTo("solo-1"));
    onUi(() -> vm.start(ActionKind.UNDRAIN, "solo-1"));
    await().atMost(10, TimeUnit.SECONDS).until(() -> vm.state() == ActionState.CONFIRM);
    onUi(vm::confirm);
    await().atMost(10, TimeUnit.SECONDS).until(() -> vm.state() == ActionState.DONE);
  }

  @Test
  void aViewerSeesEveryActionDisabledWithTheReasonAndNothingIsSent() {
    try (BackendClient viewer = backend.client(backend.token("viewer", "wall-screen"))) {
      AtomicInteger ioCalls = new AtomicInteger();
      ConsoleContext ctx = new ConsoleContext(
          viewer, null, viewer.whoAmI(), UiExecutor.direct(), r -> { ioCalls.incrementAndGet(); r.run(); }, Clock.systemUTC());
      ActionsViewModel vm = new ActionsViewModel(ctx);
      assertThat(vm.mayOperate()).isFalse();
      assertThat(vm.whyNotOperate()).hasValueSatisfying(w -> assertThat(w).contains("'wall-screen' is a viewer", "drain"));
      for (ActionKind k : ActionKind.values()) {
        vm.start(k, k.onPool() ? "chat" : "chat-2");
        assertThat(vm.state()).isEqualTo(ActionState.FAILED);
        assertThat(vm.messageProperty().get()).contains("viewer");
      }
      assertThat(ioCalls).hasValue(0);
    }
  }

  @Test
  void anErrorOfTheServerShowsItsOperatorMessage() {
    ActionsViewModel vm = new ActionsViewModel(direct(operator, null));
    vm.start(ActionKind.FAILOVER, "chat");
    // a pool without sides cannot fail over: a plain conflict, not a guard refusal
    assertThat(vm.state()).isEqualTo(ActionState.FAILED);
    assertThat(vm.messageProperty().get()).isNotBlank().contains("409");
    vm.start(ActionKind.DRAIN, "no-such-host");
    assertThat(vm.state()).isEqualTo(ActionState.FAILED);
    assertThat(vm.messageProperty().get()).contains("404");
  }
}

package dev.nines.console.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.UiExecutor;
import dev.nines.console.client.BackendClient;
import dev.nines.console.client.EventStream;
import dev.nines.console.client.LiveBackend;
import dev.nines.console.host.HostFeed;
import dev.nines.console.host.Recorder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pools view-model against a real backend, without the toolkit. */
class PoolsViewModelTest {
  @TempDir static Path dir;
  static LiveBackend backend;

  @BeforeAll
  static void start() {
    backend = new LiveBackend(dir);
    PoolConfig.put(backend, "chat", "{\"sides\": {\"blue\": [\"chat-1\", \"chat-2\"], \"green\": [\"chat-3\", \"chat-4\"]}, \"minActive\": 1}");
    HostFeed feed = new HostFeed(backend);
    for (String h : new String[] {"chat-1", "chat-2", "chat-3", "chat-4"}) {
      feed.history(h, "chat", 3, 60);
    }
    feed.history("batch-1", "batch", 3, 60);
    feed.history("batch-2", "batch", 3, 60);
  }

  @AfterAll
  static void stop() {
    backend.close();
  }

  static ConsoleContext context(String role, EventStream events) {
    BackendClient client = backend.client(backend.token(role, role + "-pools"));
    return new ConsoleContext(client, events, client.whoAmI(), UiExecutor.direct(), Runnable::run, Clock.systemUTC());
  }

  @Test
  void listsEveryPoolAndShowsTheSelectedOnesFiguresMembersAndSides() {
    Recorder r = new Recorder();
    PoolsViewModel vm = new PoolsViewModel(context("operator", null), r, r);
    vm.refresh();
    assertThat(vm.errorProperty().get()).isEmpty();
    assertThat(vm.pools()).extracting(PoolRow::name).contains("chat", "batch");
    PoolRow chat = vm.pools().stream().filter(p -> p.name().equals("chat")).findFirst().orElseThrow();
    assertThat(chat.memberCount()).isEqualTo(4);
    // the first pool is selected by itself, so that the screen never opens empty
    assertThat(vm.selectedProperty().get()).isEqualTo(vm.pools().get(0).name());

    vm.select("chat");
    PoolDetail d = vm.detailProperty().get();
    assertThat(d.name()).isEqualTo("chat");
    assertThat(d.sides()).containsOnlyKeys("blue", "green");
    assertThat(d.activeSide()).isEqualTo("blue");
    assertThat(d.target()).isBetween(0.0, 1.0);
    assertThat(d.availability()).containsKeys("1h", "1d", "30d");
    assertThat(d.nPlusOne()).startsWith("N+1");
    assertThat(d.conditions()).isNotEmpty();
    assertThat(vm.members()).extracting(MemberRow::id).containsExactlyInAnyOrder("chat-1", "chat-2", "chat-3", "chat-4");
    assertThat(vm.members()).filteredOn(m -> m.id().equals("chat-3")).extracting(MemberRow::side).containsExactly("green");
    assertThat(vm.failoverDisabledProperty().get()).isFalse();
    assertThat(vm.failoverNoteProperty().get()).isEmpty();

    vm.failover();
    vm.openHost("chat-2");
    assertThat(r.calls).containsExactly("failover chat", "host chat-2");
  }

  @Test
  void failoverIsDisabledWithTheReasonForAPoolWithoutSidesAndForAViewer() {
    Recorder r = new Recorder();
    PoolsViewModel op = new PoolsViewModel(context("operator", null), r, r);
    op.select("batch");
    assertThat(op.failoverDisabledProperty().get()).isTrue();
    assertThat(op.failoverNoteProperty().get()).contains("batch has no failover sides");
    op.failover();

    PoolsViewModel viewer = new PoolsViewModel(context("viewer", null), r, r);
    viewer.select("chat");
    assertThat(viewer.failoverDisabledProperty().get()).isTrue();
    assertThat(viewer.failoverNoteProperty().get()).contains("is a viewer");
    viewer.failover();
    assertThat(r.calls).isEmpty();
  }

  @Test
  void aMemberDrainedThroughTheClientShowsItsRoutingLive() {
    BackendClient admin = backend.client(LiveBackend.ADMIN);
    try (EventStream events = EventStream.of(backend.client(backend.token("viewer", "pools-live")))) {
      PoolsViewModel vm = new PoolsViewModel(context("viewer", events), new Recorder(), new Recorder());
      vm.select("batch");
      vm.setLive(true);
      events.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> events.status().state().name().equals("LIVE"));
      int before = vm.loads.get();

      admin.drain("batch-2", "disk check", null, true, false);

      await().atMost(Duration.ofSeconds(15))
          .untilAsserted(() -> assertThat(vm.members()).filteredOn(m -> m.id().equals("batch-2"))
              .extracting(MemberRow::routing).first().asString().matches("DRAINING|DRAINED"));
      assertThat(vm.loads.get()).isGreaterThan(before);
      vm.setLive(false);
      admin.undrain("batch-2", null, false);
    }
  }
}

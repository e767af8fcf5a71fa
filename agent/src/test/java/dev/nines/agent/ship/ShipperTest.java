package dev.nines.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.protocol.RoutingState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShipperTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(TestReports.T0);
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private FakeBackend backend() throws IOException {
    FakeBackend b = FakeBackend.start();
    open.add(b);
    return b;
  }

  /** A loopback port with nothing listening: connections are refused at once. */
  private static int deadPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private Shipper shipper(DesiredState desired, Duration budget, URI... servers) {
    ShipperConfig config =
        new ShipperConfig(List.of(servers), "agent-token", Duration.ofSeconds(2), budget);
    return new Shipper(config, Spool.open(dir), desired, Backoff.withDefaults(new Random(3)), clock);
  }

  private Shipper shipper(URI... servers) {
    return shipper(DesiredState.open(dir), Duration.ofSeconds(3), servers);
  }

  private void passBackoff(Shipper shipper) {
    clock.advance(Duration.ofMillis(Math.max(0, shipper.retryAtMs() - clock.millis()) + 1));
  }

  @Test
  void reportsSpoolWhileTheBackendIsDownAndReplayInOrderExactlyOnceWhenItReturns()
      throws Exception {
    int port = deadPort();
    Shipper shipper = shipper(URI.create("http://127.0.0.1:" + port));

    Shipper.ShipResult first = shipper.ship(TestReports.report(1));
    assertThat(first.backingOff()).isTrue();
    assertThat(first.spooled()).isEqualTo(1);
    // During backoff ship only spools: no further attempts are made.
    long failures = shipper.failedAttemptsTotal();
    shipper.ship(TestReports.report(2));
    shipper.ship(TestReports.report(3));
    assertThat(shipper.failedAttemptsTotal()).isEqualTo(failures).isEqualTo(1);
    assertThat(shipper.spool().depth()).isEqualTo(3);

    FakeBackend backend = FakeBackend.start(port);
    open.add(backend);
    passBackoff(shipper);
    Shipper.ShipResult replay = shipper.ship(TestReports.report(4));

    assertThat(replay.sent()).isEqualTo(4);
    assertThat(replay.spooled()).isZero();
    assertThat(backend.accepted).containsExactly(1L, 2L, 3L, 4L);
    shipper.ship(TestReports.report(5));
    assertThat(backend.posted).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(backend.authorization).allMatch("Bearer agent-token"::equals);
    assertThat(shipper.sentTotal()).isEqualTo(5);
    assertThat(shipper.lastAckAtMs()).hasValue(clock.millis());
  }

  @Test
  void spooledReportsSurviveARestartAndAreReplayedByTheNextProcess() throws Exception {
    int port = deadPort();
    Shipper before = shipper(URI.create("http://127.0.0.1:" + port));
    before.ship(TestReports.report(1));
    before.ship(TestReports.report(2));

    FakeBackend backend = FakeBackend.start(port);
    open.add(backend);
    Shipper after = shipper(backend.uri());
    after.ship(TestReports.report(3));
    assertThat(backend.accepted).containsExactly(1L, 2L, 3L);
  }

  @Test
  void failsOverFromADeadFirstUrlAndSticksWithTheOneThatAnswers() throws Exception {
    FakeBackend backend = backend();
    URI dead = URI.create("http://127.0.0.1:" + deadPort());
    Shipper shipper = shipper(dead, backend.uri());

    Shipper.ShipResult result = shipper.ship(TestReports.report(1));
    assertThat(result.sent()).isEqualTo(1);
    assertThat(result.backingOff()).isFalse();
    assertThat(shipper.currentServer()).isEqualTo(backend.uri());
    assertThat(shipper.failedAttemptsTotal()).isEqualTo(1);

    shipper.ship(TestReports.report(2));
    assertThat(shipper.failedAttemptsTotal()).isEqualTo(1);
    assertThat(backend.accepted).containsExactly(1L, 2L);
  }

  @Test
  void serverErrorOnTheFirstUrlAlsoFailsOver() throws Exception {
    FakeBackend broken = backend();
    broken.statusFor = seq -> 503;
    FakeBackend good = backend();
    Shipper shipper = shipper(broken.uri(), good.uri());
    shipper.ship(TestReports.report(1));
    assertThat(broken.posted).containsExactly(1L);
    assertThat(good.accepted).containsExactly(1L);
    assertThat(shipper.currentServer()).isEqualTo(good.uri());
  }

  @Test
  void poisonReportIsDroppedAndCountedAndTheQueueContinues() throws Exception {
    int port = deadPort();
    Shipper shipper = shipper(URI.create("http://127.0.0.1:" + port));
    shipper.ship(TestReports.report(1));
    shipper.ship(TestReports.report(2));
    FakeBackend backend = FakeBackend.start(port);
    open.add(backend);
    backend.statusFor = seq -> seq == 2 ? 400 : seq == 3 ? 422 : 200;
    passBackoff(shipper);

    Shipper.ShipResult result = shipper.ship(TestReports.report(3));
    shipper.ship(TestReports.report(4));

    assertThat(result.dropped()).isEqualTo(2);
    assertThat(backend.posted).containsExactly(1L, 2L, 3L, 4L);
    assertThat(backend.accepted).containsExactly(1L, 4L);
    assertThat(shipper.droppedTotal(DropReason.BAD_REQUEST)).isEqualTo(1);
    assertThat(shipper.droppedTotal(DropReason.UNPROCESSABLE)).isEqualTo(1);
    assertThat(shipper.droppedTotal(DropReason.TOO_LARGE)).isZero();
    assertThat(shipper.spool().depth()).isZero();
  }

  @Test
  void unauthorizedReportStaysSpooledAndIsDeliveredOnceTheTokenIsAccepted() throws Exception {
    FakeBackend backend = backend();
    backend.statusFor = seq -> 401;
    Shipper shipper = shipper(backend.uri());

    Shipper.ShipResult result = shipper.ship(TestReports.report(1));
    assertThat(result.backingOff()).isTrue();
    assertThat(shipper.spool().depth()).isEqualTo(1);
    for (DropReason reason : DropReason.values()) {
      assertThat(shipper.droppedTotal(reason)).isZero();
    }

    backend.statusFor = seq -> 200;
    passBackoff(shipper);
    shipper.ship(TestReports.report(2));
    assertThat(backend.posted).containsExactly(1L, 1L, 2L);
    assertThat(backend.accepted).containsExactly(1L, 2L);
  }

  @Test
  void backoffGrowsWhileEveryBackendFails() throws Exception {
    FakeBackend backend = backend();
    backend.statusFor = seq -> 500;
    Shipper shipper = shipper(backend.uri());
    long previousDelay = 0;
    for (int attempt = 0; attempt < 6; attempt++) {
      shipper.ship(TestReports.report(attempt + 1));
      long delay = shipper.retryAtMs() - clock.millis();
      assertThat(delay).isGreaterThan(previousDelay / 2).isLessThanOrEqualTo(60_000);
      assertThat(delay).isGreaterThanOrEqualTo((1000L << attempt) / 2);
      previousDelay = delay;
      passBackoff(shipper);
    }
    assertThat(backend.posted).hasSize(6);
    assertThat(shipper.spool().depth()).isEqualTo(6);
  }

  @Test
  void replyDesiredStateLandsInDesiredStateAndSurvivesAReopen() throws Exception {
    FakeBackend backend = backend();
    backend.desired = RoutingState.DRAINING;
    backend.reason = "operator alice: kernel update";
    backend.changedAtMs = 1234;
    DesiredState desired = DesiredState.open(dir);
    Shipper shipper = shipper(desired, Duration.ofSeconds(3), backend.uri());

    shipper.ship(TestReports.report(1));

    assertThat(desired.state()).isEqualTo(RoutingState.DRAINING);
    assertThat(DesiredState.open(dir).current())
        .isEqualTo(new DesiredState.Snapshot(
            RoutingState.DRAINING, "operator alice: kernel update", 1234));
  }

  @Test
  void oneCallStopsReplayingWhenItsBudgetIsSpent() throws Exception {
    int port = deadPort();
    // A zero budget: every call sends one report, then returns.
    Shipper shipper = shipper(DesiredState.open(dir), Duration.ZERO, URI.create("http://127.0.0.1:" + port));
    for (long s = 1; s <= 5; s++) {
      shipper.ship(TestReports.report(s));
    }
    FakeBackend backend = FakeBackend.start(port);
    open.add(backend);
    passBackoff(shipper);

    Shipper.ShipResult result = shipper.replay();
    assertThat(result.sent()).isEqualTo(1);
    assertThat(result.spooled()).isEqualTo(4);
    assertThat(backend.accepted).containsExactly(1L);
    shipper.replay();
    assertThat(backend.accepted).containsExactly(1L, 2L);
  }
}

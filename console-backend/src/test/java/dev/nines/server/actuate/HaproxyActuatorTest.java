package dev.nines.server.actuate;

import dev.nines.server.MovableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.nines.protocol.RoutingState;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real HAProxy (started per test from the installed package) in front of three JDK HTTP
 * servers: the runtime client over both sockets, the actuator, and the reconciler.
 */
class HaproxyActuatorTest {
  private static final Target HOST1 = new Target("llm-pool", "gpu-1");
  private static final Target HOST2 = new Target("llm-pool", "gpu-2");
  private static final Target HOST3 = new Target("llm-pool", "s3"); // not in the map: its id is its name

  @TempDir Path dir;
  private final List<HttpServer> servers = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private HaproxyProcess haproxy;
  private HaproxyRuntime unix;
  private HaproxyRuntime tcp;
  private HaproxyActuator actuator;

  @BeforeEach
  void start() throws IOException {
    List<Integer> ports = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      String name = "s" + i;
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(Executors.newCachedThreadPool());
      server.createContext(
          "/",
          exchange -> {
            try {
              if (exchange.getRequestURI().getPath().equals("/slow")) {
                release.await(20, TimeUnit.SECONDS);
              }
              byte[] body = name.getBytes(StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(200, body.length);
              try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } finally {
              exchange.close();
            }
          });
      server.start();
      servers.add(server);
      ports.add(server.getAddress().getPort());
    }
    haproxy = HaproxyProcess.start(dir, ports);
    unix = new HaproxyRuntime(haproxy.unixAddress());
    tcp = new HaproxyRuntime(haproxy.tcpAddress());
    actuator =
        new HaproxyActuator(
            "llm-pool", unix, HaproxyProcess.BACKEND, Map.of("gpu-1", "s1", "gpu-2", "s2"));
  }

  @AfterEach
  void stop() {
    release.countDown();
    if (haproxy != null) {
      haproxy.close();
    }
    for (HttpServer s : servers) {
      s.stop(0);
      ((java.util.concurrent.ExecutorService) s.getExecutor()).shutdownNow();
    }
  }

  private static Map<String, AdminState> admin(HaproxyRuntime runtime) throws ActuatorException {
    return runtime.showServersState(HaproxyProcess.BACKEND).stream()
        .collect(Collectors.toMap(ServerState::server, ServerState::admin));
  }

  @Test
  void setsDrainMaintAndReadyAndReadsThemBackOverTheUnixSocket() throws Exception {
    unix.setServerState("llm", "s1", AdminState.DRAIN);
    unix.setServerState("llm", "s2", AdminState.MAINT);
    assertThat(admin(unix))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("s1", AdminState.DRAIN, "s2", AdminState.MAINT, "s3", AdminState.READY));
    List<ServerState> states = unix.showServersState("llm");
    assertThat(states).filteredOn(s -> s.server().equals("s1")).singleElement()
        .satisfies(s -> assertThat(s.adminBits()).isEqualTo(ServerState.FDRAIN))
        .satisfies(s -> assertThat(s.up()).isTrue());
    assertThat(states).filteredOn(s -> s.server().equals("s2")).singleElement()
        .satisfies(s -> assertThat(s.adminBits()).isEqualTo(ServerState.FMAINT))
        .satisfies(s -> assertThat(s.up()).isFalse());

    unix.setServerState("llm", "s1", AdminState.READY);
    unix.setServerState("llm", "s2", AdminState.READY);
    assertThat(admin(unix)).containsOnly(
        Map.entry("s1", AdminState.READY), Map.entry("s2", AdminState.READY), Map.entry("s3", AdminState.READY));
  }

  @Test
  void setsAndReadsStatesOverTheTcpSocketToo() throws Exception {
    tcp.setServerState("llm", "s3", AdminState.MAINT);
    assertThat(admin(tcp)).containsEntry("s3", AdminState.MAINT);
    assertThat(admin(unix)).containsEntry("s3", AdminState.MAINT); // one HAProxy, two sockets

    tcp.setServerState("llm", "s3", AdminState.DRAIN);
    assertThat(admin(tcp)).containsEntry("s3", AdminState.DRAIN);
  }

  @Test
  void settingTheSameStateTwiceIsHarmless() throws Exception {
    actuator.apply(HOST1, RoutingState.DRAINING, "kernel upgrade");
    actuator.apply(HOST1, RoutingState.DRAINED, "kernel upgrade");

    assertThat(actuator.observe(HOST1)).contains(AdminState.DRAIN);
  }

  @Test
  void passesOnHaproxysOwnWordsForAnUnknownServerOrBackend() {
    assertThatThrownBy(() -> unix.setServerState("llm", "s9", AdminState.DRAIN))
        .isInstanceOf(ActuatorException.class)
        .hasMessageEndingWith("No such server.");
    assertThatThrownBy(() -> tcp.setServerState("nope", "s1", AdminState.DRAIN))
        .isInstanceOf(ActuatorException.class)
        .hasMessageEndingWith("No such backend.");
    assertThatThrownBy(() -> unix.showServersState("nope"))
        .isInstanceOf(ActuatorException.class)
        .hasMessageEndingWith("Can't find backend.");
    assertThatThrownBy(() -> unix.showStat("nope"))
        .isInstanceOf(ActuatorException.class)
        .hasMessageEndingWith("No such proxy.");
    assertThatThrownBy(() -> actuator.observe(new Target("llm-pool", "gpu-9")))
        .isInstanceOf(ActuatorException.class)
        .hasMessageContaining("no server gpu-9 in backend llm");
  }

  @Test
  void mapsRoutingStatesToServerStatesThroughTheHostMap() throws Exception {
    actuator.apply(HOST1, RoutingState.DRAINING, "slow");
    actuator.apply(HOST2, RoutingState.MAINTENANCE, "gpu xid 79");
    actuator.apply(HOST3, RoutingState.DRAINED, "operator");

    assertThat(admin(unix))
        .containsOnly(
            Map.entry("s1", AdminState.DRAIN), Map.entry("s2", AdminState.MAINT), Map.entry("s3", AdminState.DRAIN));
    actuator.apply(HOST2, RoutingState.ACTIVE, "released");
    assertThat(actuator.observe(HOST2)).contains(AdminState.READY);
    assertThat(actuator.handles(HOST1)).isTrue();
    assertThat(actuator.handles(new Target("other-pool", "gpu-1"))).isFalse();
  }

  @Test
  void countsARequestHeldByAServerAsInFlight() throws Exception {
    // only s1 in rotation, so the request has one place to go
    actuator.apply(HOST2, RoutingState.MAINTENANCE, "test");
    actuator.apply(HOST3, RoutingState.MAINTENANCE, "test");
    assertThat(actuator.inFlight(HOST1)).hasValue(0);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    CompletableFuture<HttpResponse<String>> slow =
        client.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + haproxy.frontendPort() + "/slow"))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(unix.showStat("llm").get("s1").currentSessions()).isEqualTo(1));
    assertThat(actuator.inFlight(HOST1)).hasValue(1);
    assertThat(actuator.inFlight(HOST2)).hasValue(0);
    // draining keeps the request alive: it still finishes on s1
    actuator.apply(HOST1, RoutingState.DRAINING, "test");
    assertThat(actuator.inFlight(HOST1)).hasValue(1);
    release.countDown();

    assertThat(slow.get(20, TimeUnit.SECONDS).body()).isEqualTo("s1");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(actuator.inFlight(HOST1)).hasValue(0));
    assertThat(actuator.inFlight(new Target("llm-pool", "gpu-9"))).isEmpty();
  }

  @Test
  void reconcilerCorrectsAStateChangedBehindItsBack() throws Exception {
    MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    Reconciler reconciler = new Reconciler(clock, List.of(actuator));
    reconciler.desire(HOST1, RoutingState.DRAINING, "operator alice: maintenance");
    assertThat(reconciler.status(HOST1)).singleElement()
        .satisfies(s -> assertThat(s.inSync()).isTrue())
        .satisfies(s -> assertThat(s.observed()).contains(AdminState.DRAIN));

    tcp.setServerState("llm", "s1", AdminState.READY); // someone undoes it by hand
    clock.advance(Duration.ofSeconds(1));
    reconciler.runOnce();

    assertThat(reconciler.driftCorrections()).isEqualTo(1);
    assertThat(admin(unix)).containsEntry("s1", AdminState.DRAIN);
    assertThat(reconciler.status(HOST1)).singleElement()
        .satisfies(s -> assertThat(s.inSync()).isTrue());
    reconciler.runOnce();
    assertThat(reconciler.driftCorrections()).isEqualTo(1); // in sync: nothing more to do
  }

  @Test
  void reconcilerRetriesWithBackoffWhileHaproxyIsDownAndCatchesUpAfterItsRestart() throws Exception {
    MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    Reconciler reconciler = new Reconciler(clock, List.of(actuator));
    reconciler.desire(HOST1, RoutingState.DRAINED, "drained");
    haproxy.stop();
    Instant t0 = clock.instant();

    reconciler.desire(HOST2, RoutingState.MAINTENANCE, "gpu xid 79");
    ActuatorStatus failed = reconciler.status(HOST2).get(0);
    assertThat(failed.inSync()).isFalse();
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(failed.lastError()).contains(haproxy.unixAddress());
    assertThat(failed.nextAttempt()).isEqualTo(t0.plusSeconds(1));
    long appliesBefore = reconciler.applies();

    reconciler.runOnce(); // HOST2 not due yet; HOST1's observation fails and starts its backoff
    assertThat(reconciler.applies()).isEqualTo(appliesBefore);
    clock.advance(Duration.ofSeconds(1));
    reconciler.runOnce(); // both due: both fail again
    assertThat(reconciler.status(HOST2).get(0).attempts()).isEqualTo(2);
    assertThat(reconciler.status(HOST2).get(0).nextAttempt()).isEqualTo(t0.plusSeconds(3));

    haproxy.start(); // comes back with its configuration: every server ready
    clock.advance(Duration.ofSeconds(1));
    reconciler.runOnce();
    assertThat(reconciler.status(HOST2).get(0).inSync()).isFalse(); // its backoff still runs
    assertThat(admin(unix)).containsEntry("s2", AdminState.READY);
    clock.advance(Duration.ofSeconds(1));
    reconciler.runOnce();

    assertThat(reconciler.status())
        .allSatisfy(s -> {
          assertThat(s.inSync()).isTrue();
          assertThat(s.attempts()).isZero();
          assertThat(s.lastError()).isNull();
          assertThat(s.nextAttempt()).isNull();
        });
    assertThat(admin(unix)).containsEntry("s1", AdminState.DRAIN).containsEntry("s2", AdminState.MAINT);
    assertThat(reconciler.failures()).isGreaterThanOrEqualTo(4);
  }
}

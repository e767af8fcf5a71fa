package dev.nines.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drills with Nines: the same HAProxy as {@link HaproxyAloneDrillTest} (its own health
 * checks, {@code retries 0}) plus the backend's HAProxy actuator on the runtime socket and the
 * agents' agent-check, 200 req/s. Each drill prints its figures and asserts the promise.
 */
class NinesDrillTest {
  static final String VARIANT = "nines";
  static final String S2 = "s2";
  static final int S2_INDEX = 1;

  /** Pool knobs of the 3-server drills: act after 1 s, recover after 3 s. */
  static final String POOL_KEYS = """
          minActive: 1
          hysteresis: 1s
          cooldown: 5s
          recovery: 3s
          drainTimeout: 15s
      """;

  @TempDir Path dir;

  @BeforeEach
  void haproxy() {
    HaproxyInstalled.require();
  }

  @Test
  @Timeout(150)
  void operatorDrainUnderLoadLosesNoRequestStopsNewOnesWithinTwoSecondsReachesDrainedAndUndrainBringsTrafficBack() {
    try (NinesRig rig = NinesRig.start(dir, 3, POOL_KEYS, Duration.ofSeconds(30), Map.of())) {
      AtomicReference<BackendProcess.Answer> drainAnswer = new AtomicReference<>();
      AtomicReference<BackendProcess.Answer> undrainAnswer = new AtomicReference<>();
      AtomicLong drainCallNanos = new AtomicLong();
      AtomicReference<JsonNode> beforeUndrain = new AtomicReference<>();
      LoadResult r = LoadGen.run(rig.load(14),
          LoadGen.Step.at(Duration.ofSeconds(4), "drain", () -> {
            long t0 = System.nanoTime();
            drainAnswer.set(rig.backend().post(
                "/api/v1/hosts/host-2/drain", "{\"reason\": \"drill: maintenance\", \"timeout\": \"30s\"}"));
            drainCallNanos.set(System.nanoTime() - t0);
          }),
          LoadGen.Step.at(Duration.ofSeconds(9), "undrain", () -> {
            beforeUndrain.set(rig.routingOf("host-2"));
            undrainAnswer.set(rig.backend().post("/api/v1/hosts/host-2/undrain", "{}"));
          }));

      long drain = r.mark("drain");
      long undrain = r.mark("undrain");
      OptionalLong lastToS2 = lastSentTo(r, S2, drain, undrain);
      OptionalLong back = r.firstSentToAfter(S2, undrain);
      new DrillReport("drain", VARIANT, r.failed(), r.total(), since(lastToS2, drain),
          r.percentileMs(0.5, 0, drain), r.percentileMs(0.5, drain, undrain),
          r.percentileMs(0.99, 0, drain), r.percentileMs(0.99, drain, undrain),
          String.format(Locale.ROOT, "the drain call took %.2f s, requests to s2 after the call %d, state before undrain %s, "
                  + "back %s after undrain",
              LoadResult.seconds(drainCallNanos.get()), r.sentTo(S2, drain, undrain),
              beforeUndrain.get().path("state").asText("?"), seconds(back, undrain)))
          .print();

      assertThat(drainAnswer.get().status()).as("drain: %s", drainAnswer.get().body()).isEqualTo(202);
      assertThat(r.failed()).as("failures: %s", r.someErrors(5)).isZero();
      assertThat(lastToS2.orElse(drain) - drain).as("last new request to s2 after the API call, ns")
          .isLessThanOrEqualTo(Duration.ofSeconds(2).toNanos());
      assertThat(beforeUndrain.get().path("state").asText()).as("%s", beforeUndrain.get()).isEqualTo("DRAINED");
      assertThat(undrainAnswer.get().status()).as("undrain: %s", undrainAnswer.get().body()).isBetween(200, 202);
      assertThat(back).as("s2 gets requests again after the undrain").isPresent();
      assertThat(rig.routingOf("host-2").path("state").asText()).isEqualTo("ACTIVE");
    }
  }

  // The health judge rates a gray failure DEGRADED (latency-vs-pool); the policy drains a host
  // DEGRADED by that rule like an UNHEALTHY one (pool key drainDegradedBy, default [latency-vs-pool]).
  @Test
  @Timeout(150)
  void grayFailureTenTimesSlowerIsTakenOutWithinFiveSecondsWithoutFailuresAndComesBackAfterRecovery() {
    try (NinesRig rig = NinesRig.start(dir, 3, POOL_KEYS, Duration.ofSeconds(30), Map.of())) {
      long slowMs = SimServers.BASE_LATENCY_MS * 9; // base + 9x base = 10x
      AtomicReference<JsonNode> during = new AtomicReference<>();
      LoadResult r = LoadGen.run(rig.load(32),
          LoadGen.Step.at(Duration.ofSeconds(5), "slow", () -> rig.sims().slow(S2_INDEX, slowMs)),
          LoadGen.Step.at(Duration.ofSeconds(15), "recover", () -> {
            during.set(rig.routingOf("host-2"));
            rig.sims().clear(S2_INDEX);
          }));

      long slow = r.mark("slow");
      long recover = r.mark("recover");
      OptionalLong lastToS2 = lastSentTo(r, S2, slow, recover);
      long out = lastToS2.orElse(slow);
      // After the last request sent to s2, plus 1 s for the slow ones already in flight.
      long afterOut = out + Duration.ofSeconds(1).toNanos();
      OptionalLong back = r.firstSentToAfter(S2, recover);
      OptionalDouble p99Before = r.percentileMs(0.99, 0, slow);
      OptionalDouble p99After = r.percentileMs(0.99, afterOut, recover);
      new DrillReport("gray-failure", VARIANT, r.failed(), r.total(), since(lastToS2, slow),
          r.percentileMs(0.5, 0, slow), r.percentileMs(0.5, afterOut, recover), p99Before, p99After,
          String.format(Locale.ROOT, "host-2 while slow: %s by %s, requests to s2 while slow %d, back %s after it "
                  + "recovered (recovery 3 s), requests to s2 in the last 5 s %d",
              during.get().path("state").asText("?"), during.get().path("changedBy").asText("?"),
              r.sentTo(S2, slow, recover), seconds(back, recover),
              r.sentTo(S2, r.durationNanos() - Duration.ofSeconds(5).toNanos(), r.durationNanos())))
          .print();

      assertThat(r.failed()).as("failures: %s", r.someErrors(5)).isZero();
      assertThat(out - slow).as("last new request to s2 after the fault, ns (backend log:\n%s)", rig.backendLog())
          .isLessThanOrEqualTo(Duration.ofSeconds(5).toNanos());
      assertThat(during.get().path("state").asText()).isIn("DRAINING", "DRAINED");
      assertThat(during.get().path("changedBy").asText()).isEqualTo("policy");
      // Near the baseline: well under the 300 ms of the slow server.
      assertThat(p99After.getAsDouble()).as("p99 after s2 is out, ms")
          .isLessThan(Math.max(2 * p99Before.getAsDouble(), 150));
      assertThat(back).as("s2 back in rotation after it recovered (backend log:\n%s)", rig.backendLog()).isPresent();
    }
  }

  @Test
  @Timeout(150)
  void hungEngineAnsweringItsHealthCheckIsTakenOutByThePolicy() {
    Duration timeoutServer = Duration.ofSeconds(10);
    try (NinesRig rig = NinesRig.start(dir, 3, POOL_KEYS, timeoutServer, Map.of())) {
      AtomicReference<JsonNode> late = new AtomicReference<>();
      LoadResult r = LoadGen.run(rig.load(22).withRequestTimeout(Duration.ofSeconds(15)),
          LoadGen.Step.at(Duration.ofSeconds(4), "hang", () -> rig.sims().hang(S2_INDEX)),
          LoadGen.Step.at(Duration.ofSeconds(21), "look", () -> late.set(rig.routingOf("host-2"))));
      rig.sims().clear(S2_INDEX);

      long hang = r.mark("hang");
      // HAProxy's 504 carries no X-Served-By: every request sent to the hung s2 is a failure, so the
      // last failed request is the last new request that reached it.
      OptionalLong lastToS2 = r.samples().stream().filter(s -> !s.ok() && s.sentNanos() >= hang)
          .mapToLong(LoadResult.Sample::sentNanos).max();
      long failedDuring = r.failedBetween(hang, Long.MAX_VALUE);
      new DrillReport("hung-engine", VARIANT, r.failed(), r.total(), since(lastToS2, hang),
          r.percentileMs(0.5, 0, hang), r.percentileMs(0.5, hang, Long.MAX_VALUE),
          r.percentileMs(0.99, 0, hang), r.percentileMs(0.99, hang, Long.MAX_VALUE),
          String.format(Locale.ROOT, "host-2 at +21 s: %s by %s (%s), failed during the hang %d/%d (%s), "
                  + "failed in the last 5 s %d, timeout server %d s",
              late.get().path("state").asText("?"), late.get().path("changedBy").asText("?"),
              late.get().path("reason").asText(""), failedDuring, r.due(hang, Long.MAX_VALUE).size(),
              r.statusCounts(), r.failedBetween(r.durationNanos() - Duration.ofSeconds(5).toNanos(), r.durationNanos()),
              timeoutServer.toSeconds()))
          .print();

      assertThat(r.failedBetween(0, hang)).as("failures before the fault: %s", r.someErrors(5)).isZero();
      assertThat(late.get().path("state").asText()).as("host-2 (backend log:\n%s)", rig.backendLog())
          .isIn("DRAINING", "DRAINED");
      assertThat(late.get().path("changedBy").asText()).isEqualTo("policy");
      // Every request that reaches the hung s2 fails: none may fail in the last 5 s.
      assertThat(r.failedBetween(r.durationNanos() - Duration.ofSeconds(5).toNanos(), r.durationNanos()))
          .as("failed requests due in the last 5 s").isZero();
      assertThat(failedDuring).as("requests the hung server held").isPositive();
    }
  }

  @Test
  @Timeout(150)
  void failoverFromBlueToGreenUnderLoadLosesNoRequestAndLeavesOnlyGreenInRotation() {
    String keys = """
            sides: {blue: [host-1, host-2], green: [host-3, host-4]}
            activeSide: blue
            minActive: 1
            autoFailover: false
            hysteresis: 1s
            cooldown: 5s
            recovery: 3s
            drainTimeout: 15s
            failoverTimeout: 20s
        """;
    try (NinesRig rig = NinesRig.start(dir, 4, keys, Duration.ofSeconds(30),
        Map.of("host-3", "DRAINED", "host-4", "DRAINED"))) {
      AtomicReference<BackendProcess.Answer> answer = new AtomicReference<>();
      LoadResult r = LoadGen.run(rig.load(16),
          LoadGen.Step.at(Duration.ofSeconds(4), "failover",
              () -> answer.set(rig.backend().post("/api/v1/pools/llm/failover", "{}"))));

      long failover = r.mark("failover");
      OptionalLong lastBlue = max(lastSentTo(r, "s1", failover, Long.MAX_VALUE), lastSentTo(r, "s2", failover, Long.MAX_VALUE));
      long last4s = r.durationNanos() - Duration.ofSeconds(4).toNanos();
      long blueLast4s = r.sentTo("s1", last4s, r.durationNanos()) + r.sentTo("s2", last4s, r.durationNanos());
      long greenLast4s = r.sentTo("s3", last4s, r.durationNanos()) + r.sentTo("s4", last4s, r.durationNanos());
      JsonNode routing = rig.poolRouting();
      new DrillReport("failover", VARIANT, r.failed(), r.total(), since(lastBlue, failover),
          r.percentileMs(0.5, 0, failover), r.percentileMs(0.5, failover, Long.MAX_VALUE),
          r.percentileMs(0.99, 0, failover), r.percentileMs(0.99, failover, Long.MAX_VALUE),
          String.format(Locale.ROOT, "answer %d, first to green %s after the call, in the last 4 s blue %d green %d, "
                  + "activeSide %s, lastFailover %s, per server %s",
              answer.get().status(),
              seconds(min(r.firstSentToAfter("s3", failover), r.firstSentToAfter("s4", failover)), failover),
              blueLast4s, greenLast4s, routing.path("activeSide").asText("?"), routing.path("lastFailover"),
              r.perServer()))
          .print();

      assertThat(answer.get().status()).as("failover: %s", answer.get().body()).isEqualTo(202);
      assertThat(r.failed()).as("failures: %s", r.someErrors(5)).isZero();
      assertThat(blueLast4s).as("blue requests in the last 4 s (backend log:\n%s)", rig.backendLog()).isZero();
      assertThat(greenLast4s).isPositive();
      assertThat(routing.path("activeSide").asText()).isEqualTo("green");
      assertThat(rig.backend().hostRouting()).containsEntry("host-3", "ACTIVE").containsEntry("host-4", "ACTIVE");
    }
  }

  @Test
  @Timeout(150)
  void guardKeepsTwoOfFourMembersInRotationWhenThreeFailAndTheRefusalIsVisible() {
    String keys = """
            minActive: 2
            hysteresis: 1s
            cooldown: 1s
            recovery: 3s
            drainTimeout: 5s
        """;
    try (NinesRig rig = NinesRig.start(dir, 4, keys, Duration.ofSeconds(30), Map.of())) {
      List<Map<String, String>> seen = new ArrayList<>();
      LoadResult r = LoadGen.run(rig.load(16),
          LoadGen.Step.at(Duration.ofSeconds(3), "faults", () -> {
            for (int i = 1; i <= 3; i++) {
              rig.sims().fault(i, "{\"mode\": \"errors\", \"rate\": 1.0}");
            }
          }),
          LoadGen.Step.at(Duration.ofSeconds(8), "look1", () -> seen.add(rig.backend().hostRouting())),
          LoadGen.Step.at(Duration.ofSeconds(12), "look2", () -> seen.add(rig.backend().hostRouting())),
          LoadGen.Step.at(Duration.ofSeconds(15), "look3", () -> seen.add(rig.backend().hostRouting())));

      AtomicReference<JsonNode> refusal = new AtomicReference<>();
      await("a guard refusal in the pool's routing").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> {
            JsonNode found = null;
            for (JsonNode e : rig.poolRouting().path("policyEvents")) {
              if ("policy.refused".equals(e.path("kind").asText()) && "guard".equals(e.path("reason").asText())) {
                found = e;
              }
            }
            assertThat(found).as("policyEvents: %s\nbackend log:\n%s", rig.poolRouting().path("policyEvents"),
                rig.backendLog()).isNotNull();
            refusal.set(found);
          });
      Map<String, String> end = rig.backend().hostRouting();
      seen.add(end);
      long maxOut = seen.stream().mapToLong(NinesDrillTest::outOfRotation).max().orElse(0);
      long inRotation = rig.haproxy().inRotation().size();
      new DrillReport("guard", VARIANT, r.failed(), r.total(), OptionalDouble.empty(),
          r.percentileMs(0.5, 0, r.mark("faults")), r.percentileMs(0.5, r.mark("faults"), Long.MAX_VALUE),
          r.percentileMs(0.99, 0, r.mark("faults")), r.percentileMs(0.99, r.mark("faults"), Long.MAX_VALUE),
          String.format(Locale.ROOT, "routing seen %s, most out of rotation %d, HAProxy servers in rotation at the end %d, "
              + "refusal: %s", seen, maxOut, inRotation, refusal.get().path("figures").path("message").asText(
                  refusal.get().toString())))
          .print();

      assertThat(maxOut).as("hosts out of rotation at any look: %s", seen).isLessThanOrEqualTo(2);
      assertThat(outOfRotation(end)).as("the policy drained 2 of the 3 faulty hosts: %s", end).isEqualTo(2);
      assertThat(end).containsEntry("host-1", "ACTIVE");
      assertThat(inRotation).as("HAProxy servers in rotation").isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  @Timeout(180)
  void backendKilledUnderLoadAndRestartedDrainsNoHostAndCostsNoRequest() {
    try (NinesRig rig = NinesRig.start(dir, 3, POOL_KEYS, Duration.ofSeconds(30), Map.of())) {
      LoadResult r = LoadGen.run(rig.load(24),
          LoadGen.Step.at(Duration.ofSeconds(4), "kill", rig::killBackend),
          LoadGen.Step.at(Duration.ofSeconds(9), "restart", rig::restartBackend));

      long kill = r.mark("kill");
      Map<String, String> healthy = Map.of("host-1", "HEALTHY", "host-2", "HEALTHY", "host-3", "HEALTHY");
      // Errors of the restarted backend's API (seen once: GET /api/v1/hosts answered 500 right after the
      // restart) are counted and printed; the drill's promise is about routing and traffic.
      List<String> apiErrors = new ArrayList<>();
      try {
        await("reports again after the restart").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
            .untilAsserted(() -> {
              Map<String, String> health;
              try {
                health = rig.backend().hostHealth();
              } catch (IllegalStateException e) {
                apiErrors.add(e.getMessage());
                throw new AssertionError(e.getMessage(), e);
              }
              assertThat(health).isEqualTo(healthy);
            });
      } catch (RuntimeException | AssertionError e) {
        throw new AssertionError("after the restart: " + e.getMessage() + "\nbackend log:\n" + rig.backendLog(), e);
      }
      Map<String, String> routing = rig.backend().hostRouting();
      List<JsonNode> audit = rig.routingAudit();
      List<String> inRotation = rig.haproxy().inRotation();
      new DrillReport("backend-killed", VARIANT, r.failed(), r.total(), OptionalDouble.empty(),
          r.percentileMs(0.5, 0, kill), r.percentileMs(0.5, kill, Long.MAX_VALUE),
          r.percentileMs(0.99, 0, kill), r.percentileMs(0.99, kill, Long.MAX_VALUE),
          String.format(Locale.ROOT, "restart took %.1f s, routing after %s, routing audit lines %d, HAProxy in rotation %s, "
                  + "per server %s, API errors after the restart %d %s",
              LoadResult.seconds(r.mark("restart") - kill), routing, audit.size(), inRotation, r.perServer(),
              apiErrors.size(), apiErrors.stream().limit(2).toList()))
          .print();

      assertThat(r.failed()).as("failures: %s", r.someErrors(5)).isZero();
      assertThat(routing).as("routing after the restart").containsOnly(
          Map.entry("host-1", "ACTIVE"), Map.entry("host-2", "ACTIVE"), Map.entry("host-3", "ACTIVE"));
      assertThat(audit).as("routing changes in the audit log (backend log:\n%s)", rig.backendLog()).isEmpty();
      assertThat(inRotation).containsExactlyInAnyOrder("s1", "s2", "s3");
    }
  }

  private static long outOfRotation(Map<String, String> routing) {
    return routing.values().stream().filter(s -> !"ACTIVE".equals(s)).count();
  }

  /** When the last request answered by {@code server} and sent in {@code [from, to)} was sent. */
  static OptionalLong lastSentTo(LoadResult r, String server, long from, long to) {
    return r.samples().stream()
        .filter(s -> server.equals(s.servedBy()) && s.sentNanos() >= from && s.sentNanos() < to)
        .mapToLong(LoadResult.Sample::sentNanos).max();
  }

  private static OptionalDouble since(OptionalLong at, long from) {
    return OptionalDouble.of(at.isPresent() ? LoadResult.seconds(at.getAsLong() - from) : 0.0);
  }

  private static OptionalLong max(OptionalLong a, OptionalLong b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isEmpty() ? a : OptionalLong.of(Math.max(a.getAsLong(), b.getAsLong()));
  }

  private static OptionalLong min(OptionalLong a, OptionalLong b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isEmpty() ? a : OptionalLong.of(Math.min(a.getAsLong(), b.getAsLong()));
  }

  private static String seconds(OptionalLong at, long since) {
    return at.isPresent() ? String.format(Locale.ROOT, "%.1f s", LoadResult.seconds(at.getAsLong() - since)) : "never";
  }
}

package dev.nines.server.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthJudgeTest {

  /** A host that has reported once and is HEALTHY. */
  private static HostSim healthyHost() {
    HostSim h = new HostSim();
    h.report();
    assertThat(h.health()).isEqualTo(Health.HEALTHY);
    h.changes.clear();
    return h;
  }

  @Test
  void firstReportDecidesAtOnceOutOfUnknown() {
    HostSim h = new HostSim();
    assertThat(h.health()).isEqualTo(Health.UNKNOWN);
    Judgement j = h.report();
    assertThat(j.health()).isEqualTo(Health.HEALTHY);
    assertThat(j.change()).get().satisfies(c -> {
      assertThat(c.from()).isEqualTo(Health.UNKNOWN);
      assertThat(c.to()).isEqualTo(Health.HEALTHY);
      assertThat(c.at()).isEqualTo(h.now);
      assertThat(c.hostId()).isEqualTo("host-a");
    });
  }

  @Test
  void hungEngineWithHealthyHealthPageTurnsUnhealthyAfterThreeFailedGenerations() {
    HostSim h = healthyHost();
    h.generationOk = false;
    h.generationTimedOut = true;
    assertThat(h.report().health()).isEqualTo(Health.HEALTHY);
    assertThat(h.report().health()).isEqualTo(Health.HEALTHY);
    Judgement third = h.report();
    assertThat(third.health()).isEqualTo(Health.UNHEALTHY);
    HealthChange c = third.change().orElseThrow();
    assertThat(c.from()).isEqualTo(Health.HEALTHY);
    assertThat(c.rules()).containsExactly(RuleIds.GENERATION_FAILURES);
    RuleFinding f = c.findings().get(0);
    assertThat(f.figures())
        .containsEntry("consecutiveFailures", 3.0)
        .containsEntry("timedOut", 1.0)
        .containsEntry("healthStatus", 200.0);
    assertThat(c.reason()).contains(HostSim.URL).contains("timed out").contains("health page answered 200");
  }

  @Test
  void generationFailureCountRestartsAfterASuccess() {
    HostSim h = healthyHost();
    for (int round = 0; round < 5; round++) {
      h.generationOk = false;
      h.reports(2);
      h.generationOk = true;
      h.report();
    }
    assertThat(h.changes).isEmpty();
  }

  @Test
  void hostThreeTimesSlowerThanPoolMedianDegradesOnlyAfterPersisting() {
    HostSim h = healthyHost();
    h.pool = PoolContext.ofMemberP95s(List.of(100.0, 100.0, 120.0, 350.0), 3);
    assertThat(h.pool.medianP95Ms()).isEqualTo(110.0);
    h.p95Ms = 350.0;
    assertThat(h.report().health()).isEqualTo(Health.HEALTHY);
    assertThat(h.report().health()).isEqualTo(Health.HEALTHY);
    Judgement third = h.report();
    assertThat(third.health()).isEqualTo(Health.DEGRADED);
    RuleFinding f = third.change().orElseThrow().findings().get(0);
    assertThat(f.rule()).isEqualTo(RuleIds.LATENCY_VS_POOL);
    assertThat(f.figures())
        .containsEntry("p95Ms", 350.0)
        .containsEntry("poolMedianP95Ms", 110.0)
        .containsEntry("consecutiveReports", 3.0);
    assertThat(f.figures().get("timesMedian")).isCloseTo(3.18, org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void hostJustUnderThreeTimesThePoolMedianStaysHealthy() {
    HostSim h = healthyHost();
    h.pool = PoolContext.ofMemberP95s(List.of(100.0, 100.0, 100.0), 3);
    h.p95Ms = 300.0;
    h.reports(10);
    assertThat(h.changes).isEmpty();
  }

  @Test
  void poolWithTooFewFiguresHasNoMedianAndNoGrayFailure() {
    assertThat(PoolContext.ofMemberP95s(List.of(100.0, 900.0), 3).medianP95Ms()).isNull();
    java.util.List<Double> withGap = new java.util.ArrayList<>(List.of(100.0, 900.0));
    withGap.add(null);
    PoolContext ctx = PoolContext.ofMemberP95s(withGap, 3);
    assertThat(ctx.medianP95Ms()).isNull();
    assertThat(ctx.membersWithFigures()).isEqualTo(2);
    assertThat(PoolContext.ofMemberP95s(List.of(400.0, 100.0, 300.0, 200.0), 3).medianP95Ms()).isEqualTo(250.0);
    assertThat(PoolContext.ofMemberP95s(List.of(5.0, 1.0, 3.0), HealthRules.defaults()).medianP95Ms()).isEqualTo(3.0);

    HostSim h = healthyHost();
    h.pool = PoolContext.ofMemberP95s(List.of(100.0, 900.0), 3);
    h.p95Ms = 5000.0;
    h.reports(10);
    assertThat(h.changes).isEmpty();
  }

  @Test
  void singleSlowReportDoesNotFlap() {
    HostSim h = healthyHost();
    h.pool = PoolContext.ofMemberP95s(List.of(100.0, 100.0, 100.0), 3);
    for (int i = 0; i < 20; i++) {
      h.p95Ms = i % 3 == 2 ? 1000.0 : 100.0;
      h.report();
    }
    // and a single hot report, or two slow ones, do not either
    h.p95Ms = 1000.0;
    h.reports(2);
    h.p95Ms = 100.0;
    h.gpu(0).temperatureC = 90;
    h.report();
    h.gpu(0).temperatureC = 60;
    h.reports(3);
    assertThat(h.changes).isEmpty();
  }

  @Test
  void recoversOnlyAfterThreeGoodReports() {
    HostSim h = healthyHost();
    h.gpu(1).temperatureC = 88;
    assertThat(h.report().health()).isEqualTo(Health.HEALTHY);
    Judgement degraded = h.report();
    assertThat(degraded.health()).isEqualTo(Health.DEGRADED);
    assertThat(degraded.change().orElseThrow().findings().get(0).figures())
        .containsEntry("temperatureC", 88.0)
        .containsEntry("gpuIndex", 1.0)
        .containsEntry("thresholdC", 85.0);

    h.gpu(1).temperatureC = 70;
    assertThat(h.report().health()).isEqualTo(Health.DEGRADED);
    assertThat(h.report().health()).isEqualTo(Health.DEGRADED);
    Judgement recovered = h.report();
    assertThat(recovered.health()).isEqualTo(Health.HEALTHY);
    HealthChange c = recovered.change().orElseThrow();
    assertThat(c.from()).isEqualTo(Health.DEGRADED);
    assertThat(c.findings()).isEmpty();
    assertThat(c.reason()).contains("3 consecutive better evaluations");
    assertThat(h.state.since()).isEqualTo(h.now);
  }

  @Test
  void oneBadReportDuringRecoveryRestartsTheCount() {
    HostSim h = healthyHost();
    h.gpu(0).temperatureC = 90;
    h.reports(2);
    assertThat(h.health()).isEqualTo(Health.DEGRADED);
    h.gpu(0).temperatureC = 60;
    h.reports(2);
    h.gpu(0).temperatureC = 90;
    h.report();
    h.gpu(0).temperatureC = 60;
    h.reports(2);
    assertThat(h.health()).isEqualTo(Health.DEGRADED);
    h.report();
    assertThat(h.health()).isEqualTo(Health.HEALTHY);
  }

  @Test
  void recoveryFromUnhealthyStopsAtTheWorstStateOfTheGoodStreak() {
    HostSim h = healthyHost();
    h.gpu(0).temperatureC = 97;
    h.reports(2);
    assertThat(h.health()).isEqualTo(Health.UNHEALTHY);
    h.gpu(0).temperatureC = 60;
    h.report();
    h.gpu(0).temperatureC = 88;
    h.report();
    h.gpu(0).temperatureC = 60;
    Judgement j = h.report();
    assertThat(j.change().orElseThrow().to()).isEqualTo(Health.DEGRADED);
  }

  @Test
  void gpuTemperatureDegradesAt85AndIsUnhealthyAt95() {
    HostSim h = healthyHost();
    h.gpu(0).temperatureC = 84.9;
    h.reports(5);
    assertThat(h.health()).isEqualTo(Health.HEALTHY);
    h.gpu(0).temperatureC = 85;
    h.reports(2);
    assertThat(h.health()).isEqualTo(Health.DEGRADED);
    h.gpu(0).temperatureC = 95;
    assertThat(h.report().health()).isEqualTo(Health.DEGRADED);
    assertThat(h.report().health()).isEqualTo(Health.UNHEALTHY);
    assertThat(h.changes).extracting(HealthChange::to).containsExactly(Health.DEGRADED, Health.UNHEALTHY);
  }

  @Test
  void newEccErrorIsImmediatelyUnhealthy() {
    HostSim h = new HostSim();
    h.gpu(0).ecc = 7; // errors from before the judge knew the host are not new
    h.reports(2);
    assertThat(h.health()).isEqualTo(Health.HEALTHY);
    h.gpu(0).ecc = 9;
    Judgement j = h.report();
    assertThat(j.health()).isEqualTo(Health.UNHEALTHY);
    RuleFinding f = j.change().orElseThrow().findings().get(0);
    assertThat(f.rule()).isEqualTo(RuleIds.GPU_ECC);
    assertThat(f.figures()).containsEntry("newErrors", 2.0).containsEntry("eccUncorrectedVolatile", 9.0);
    // a steady count is no new error: the host recovers after the hysteresis
    h.reports(3);
    assertThat(h.health()).isEqualTo(Health.HEALTHY);
  }

  @Test
  void fatalXidUnhealthyButBenignXidIgnored() {
    HostSim h = healthyHost();
    h.gpu(1).xidsNextReport.add(13L); // graphics engine exception: an application fault
    h.gpu(1).xidsNextReport.add(31L); // MMU fault
    assertThat(h.report().findings()).isEmpty();
    assertThat(h.health()).isEqualTo(Health.HEALTHY);
    h.gpu(1).xidsNextReport.add(79L); // fallen off the bus
    Judgement j = h.report();
    assertThat(j.health()).isEqualTo(Health.UNHEALTHY);
    RuleFinding f = j.change().orElseThrow().findings().get(0);
    assertThat(f.rule()).isEqualTo(RuleIds.GPU_XID);
    assertThat(f.figures()).containsEntry("xid", 79.0).containsEntry("gpuIndex", 1.0);
  }

  @Test
  void lostGpuUnhealthy() {
    HostSim h = healthyHost();
    h.gpus.remove("GPU-1");
    Judgement j = h.report();
    assertThat(j.health()).isEqualTo(Health.UNHEALTHY);
    RuleFinding f = j.change().orElseThrow().findings().get(0);
    assertThat(f.rule()).isEqualTo(RuleIds.GPU_LOST);
    assertThat(f.reason()).contains("GPU-1");
    assertThat(f.figures()).containsEntry("gpusNow", 1.0).containsEntry("gpusBefore", 2.0);
    // it stays lost: no recovery while the GPU is missing
    h.reports(10);
    assertThat(h.health()).isEqualTo(Health.UNHEALTHY);
    // until an operator tells the judge the new set is the right one
    h.state = h.state.withGpusForgotten();
    h.reports(3);
    assertThat(h.health()).isEqualTo(Health.HEALTHY);
  }

  @Test
  void gpusThatCannotBeReadAnyMoreCountAsLost() {
    HostSim h = healthyHost();
    h.gpusReadable = false;
    Judgement j = h.report();
    assertThat(j.health()).isEqualTo(Health.UNHEALTHY);
    assertThat(j.findings().get(0).reason()).contains("NVML init failed");
  }

  @Test
  void hostWithoutGpusIsNotMissingAny() {
    HostSim h = new HostSim();
    h.gpusReadable = false;
    h.reports(5);
    assertThat(h.health()).isEqualTo(Health.HEALTHY);
  }

  @Test
  void silentHostGoesUnknownThenUnhealthyAfterGrace() {
    HostSim h = healthyHost();
    // 3 intervals of 10 s: at exactly 30 s the report is not yet stale
    assertThat(h.silence(Duration.ofSeconds(30)).change()).isEmpty();
    Judgement unknown = h.silence(Duration.ofSeconds(1));
    assertThat(unknown.health()).isEqualTo(Health.UNKNOWN);
    RuleFinding f = unknown.change().orElseThrow().findings().get(0);
    assertThat(f.rule()).isEqualTo(RuleIds.STALE);
    assertThat(f.figures()).containsEntry("ageMs", 31_000.0).containsEntry("limitMs", 30_000.0);
    assertThat(h.silence(Duration.ofSeconds(59)).change()).isEmpty(); // 90 s: grace not yet over
    Judgement unhealthy = h.silence(Duration.ofSeconds(1));
    assertThat(unhealthy.health()).isEqualTo(Health.UNHEALTHY);
    assertThat(unhealthy.change().orElseThrow().rules()).containsExactly(RuleIds.STALE);
    assertThat(h.silence(Duration.ofMinutes(10)).change()).isEmpty();

    // it came back down: good reports bring it back only after the hysteresis
    h.reports(2);
    assertThat(h.health()).isEqualTo(Health.UNHEALTHY);
    h.report();
    assertThat(h.health()).isEqualTo(Health.HEALTHY);
  }

  @Test
  void hostBackWithinTheGraceIsJudgedOnItsFirstReport() {
    HostSim h = healthyHost();
    h.silence(Duration.ofSeconds(45));
    assertThat(h.health()).isEqualTo(Health.UNKNOWN);
    assertThat(h.report().health()).isEqualTo(Health.HEALTHY);
  }

  @Test
  void hostThatNeverReportedStaysUnknown() {
    HostSim h = new HostSim();
    assertThat(h.silence(Duration.ofHours(1)).change()).isEmpty();
    assertThat(h.health()).isEqualTo(Health.UNKNOWN);
  }

  @Test
  void reportJudgedLateIsStale() {
    HostSim h = healthyHost();
    HostObservation old = new HostObservation(h.buildReport(), h.now);
    Judgement j = HealthJudge.evaluate(h.state, old, PoolContext.none(), h.rules, h.now.plusSeconds(45));
    assertThat(j.health()).isEqualTo(Health.UNKNOWN);
  }

  @Test
  void errorRatioNeedsMinimumRequests() {
    HostSim h = healthyHost();
    h.requests = 2;
    h.errors = 1; // 50 %, but 12 requests over the window of 6 reports is below the minimum of 20
    h.reports(10);
    assertThat(h.changes).isEmpty();
    assertThat(h.state.requestWindow()).hasSize(6);
  }

  @Test
  void errorRatioDegradesAbove5AndIsUnhealthyAbove20Percent() {
    HostSim h = healthyHost();
    h.requests = 100;
    h.errors = 5; // exactly 5 %: not above
    h.reports(8);
    assertThat(h.health()).isEqualTo(Health.HEALTHY);
    h.errors = 30; // the window sums: (5*4 + 30*2) / 600 = 13.3 % after two reports
    h.reports(2);
    assertThat(h.health()).isEqualTo(Health.DEGRADED);
    RuleFinding f = h.changes.get(0).findings().get(0);
    assertThat(f.rule()).isEqualTo(RuleIds.ERROR_RATIO);
    assertThat(f.figures()).containsEntry("errors", 80.0).containsEntry("requests", 600.0);
    h.reports(4); // now 180/600 = 30 %
    assertThat(h.health()).isEqualTo(Health.UNHEALTHY);
  }

  @Test
  void absoluteLatencyLimitIsOffByDefaultAndDegradesWhenSet() {
    HostSim h = healthyHost();
    h.p95Ms = 60_000.0;
    h.reports(5);
    assertThat(h.health()).isEqualTo(Health.HEALTHY);
    h.rules = HealthRules.defaults().toBuilder().latencyP95LimitMs(1000.0).build();
    h.reports(2);
    assertThat(h.health()).isEqualTo(Health.DEGRADED);
    assertThat(h.changes.get(0).rules()).containsExactly(RuleIds.LATENCY_ABSOLUTE);
  }

  @Test
  void memoryNearlyExhaustedDegrades() {
    HostSim h = healthyHost();
    h.memoryTotalBytes = 100L << 30;
    h.memoryAvailableBytes = 4L << 30; // 4 %
    h.reports(2);
    assertThat(h.health()).isEqualTo(Health.DEGRADED);
    assertThat(h.changes.get(0).findings().get(0).figures()).containsEntry("availableRatio", 0.04);
    assertThat(h.changes.get(0).rules()).containsExactly(RuleIds.MEMORY);
  }

  @Test
  void worstRuleWinsAndAllAreListed() {
    HostSim h = healthyHost();
    h.memoryAvailableBytes = h.memoryTotalBytes / 50;
    h.gpu(0).temperatureC = 88;
    h.gpu(1).xidsNextReport.add(48L);
    Judgement j = h.report();
    assertThat(j.health()).isEqualTo(Health.UNHEALTHY);
    HealthChange c = j.change().orElseThrow();
    assertThat(c.rules().get(0)).isEqualTo(RuleIds.GPU_XID);
    assertThat(c.rules()).containsExactlyInAnyOrder(RuleIds.GPU_XID, RuleIds.GPU_TEMPERATURE, RuleIds.MEMORY);
    assertThat(c.reason()).contains("XID 48").contains("88 C").contains("memory");
  }

  @Test
  void worseningWaitsForTheStateThatHeldThroughout() {
    HostSim h = healthyHost();
    h.gpu(0).temperatureC = 88;
    h.report();
    h.gpu(0).temperatureC = 97;
    Judgement j = h.report();
    // DEGRADED held for two evaluations, UNHEALTHY for one
    assertThat(j.health()).isEqualTo(Health.DEGRADED);
    h.report();
    assertThat(h.report().health()).isEqualTo(Health.UNHEALTHY);
  }

  @Test
  void perPoolOverridesApply() {
    HealthRules hot = HealthRules.defaults().toBuilder().gpuTemperatureDegradedC(90).failAfter(1).build();
    HealthConfig config = new HealthConfig(HealthRules.defaults(), Map.of("hot-pool", hot));
    assertThat(config.rulesFor("hot-pool")).isSameAs(hot);
    assertThat(config.rulesFor("other")).isEqualTo(HealthRules.defaults());
    assertThat(config.rulesFor(null)).isEqualTo(HealthRules.defaults());

    HostSim inHotPool = healthyHost();
    inHotPool.rules = config.rulesFor("hot-pool");
    inHotPool.gpu(0).temperatureC = 88;
    inHotPool.reports(5);
    assertThat(inHotPool.health()).isEqualTo(Health.HEALTHY);
    inHotPool.gpu(0).temperatureC = 91;
    assertThat(inHotPool.report().health()).isEqualTo(Health.DEGRADED); // failAfter 1

    HostSim elsewhere = healthyHost();
    elsewhere.rules = config.rulesFor("other");
    elsewhere.gpu(0).temperatureC = 88;
    elsewhere.reports(2);
    assertThat(elsewhere.health()).isEqualTo(Health.DEGRADED);
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    HealthRules d = HealthRules.defaults();
    assertThat(d.staleAfterIntervals()).isEqualTo(3);
    assertThat(d.staleGrace()).isEqualTo(Duration.ofSeconds(60));
    assertThat(d.generationFailures()).isEqualTo(3);
    assertThat(d.errorWindowReports()).isEqualTo(6);
    assertThat(d.errorRatioDegraded()).isEqualTo(0.05);
    assertThat(d.errorRatioUnhealthy()).isEqualTo(0.20);
    assertThat(d.latencyP95LimitMs()).isNull();
    assertThat(d.latencyVsPoolFactor()).isEqualTo(3.0);
    assertThat(d.latencyVsPoolReports()).isEqualTo(3);
    assertThat(d.latencyPoolMinMembers()).isEqualTo(3);
    assertThat(d.gpuTemperatureDegradedC()).isEqualTo(85.0);
    assertThat(d.gpuTemperatureUnhealthyC()).isEqualTo(95.0);
    assertThat(d.fatalXids()).containsExactlyInAnyOrder(48L, 79L, 94L, 95L, 63L, 64L, 74L);
    assertThat(d.memoryAvailableMinRatio()).isEqualTo(0.05);
    assertThat(d.failAfter()).isEqualTo(2);
    assertThat(d.recoverAfter()).isEqualTo(3);
    assertThat(d.toBuilder().build()).isEqualTo(d);
  }

  @Test
  void reportFromAnotherHostIsRefused() {
    HostSim a = healthyHost();
    HostSim b = new HostSim("host-b");
    HostObservation fromB = new HostObservation(b.buildReport(), a.now);
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> HealthJudge.evaluate(a.state, fromB, PoolContext.none(), a.rules, a.now))
        .withMessageContaining("hostId");
  }
}

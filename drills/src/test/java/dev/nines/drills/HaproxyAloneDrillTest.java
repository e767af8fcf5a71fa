package dev.nines.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Baselines without Nines: HAProxy with only its own HTTP health checks ({@code check inter 2s fall
 * 3 rise 2}, {@code retries 0}) in front of 3 simulated servers, 200 req/s, and one fault on s2 (the
 * simulator's server 1). The drills print what happens; they assert only what must hold (the load
 * itself works before the fault) and the HAProxy behaviour that is deterministic, not the figures.
 */
class HaproxyAloneDrillTest {
  static final int RATE = 200;
  static final String VARIANT = "haproxy-alone";
  /** The faulty server: HAProxy's s2 is the simulator's server 1. */
  static final String S2 = "s2";
  static final int S2_INDEX = 1;

  @TempDir Path dir;

  @BeforeEach
  void haproxy() {
    HaproxyInstalled.require();
  }

  /** 3 simulated servers behind HAProxy with Debian-style health checks; warmed up. */
  private record Rig(SimServers sims, Haproxy haproxy) implements AutoCloseable {
    static Rig start(Path dir, Duration timeoutServer) {
      SimServers sims = SimServers.start(3);
      try {
        Haproxy h = Haproxy.start(
            Haproxy.Settings.of(sims.haproxyServers())
                .withCheck(Haproxy.HealthCheck.debianDefaults())
                .withRetries(0)
                .withTimeouts(Duration.ofSeconds(30), timeoutServer),
            dir);
        Rig rig = new Rig(sims, h);
        LoadGen.warmUp(h.frontendUrl(), RATE, 2);
        return rig;
      } catch (RuntimeException e) {
        sims.close();
        throw e;
      }
    }

    LoadGen.Settings load(int seconds) {
      return LoadGen.Settings.completions(haproxy.frontendUrl(), RATE, Duration.ofSeconds(seconds));
    }

    @Override
    public void close() {
      try {
        haproxy.close();
      } finally {
        sims.close();
      }
    }
  }

  @Test
  @Timeout(60)
  void operatorDrainThroughTheRuntimeApiStopsNewRequestsAtOnceAndReadyBringsThemBack() {
    try (Rig rig = Rig.start(dir, Duration.ofSeconds(30))) {
      LoadResult r = LoadGen.run(rig.load(12),
          LoadGen.Step.at(Duration.ofSeconds(4), "drain", () -> rig.haproxy().setState(S2, "drain")),
          LoadGen.Step.at(Duration.ofSeconds(8), "ready", () -> rig.haproxy().setState(S2, "ready")));

      long drain = r.mark("drain");
      long ready = r.mark("ready");
      assertThat(r.failedBetween(0, drain)).as("failures before the drain: %s", r.someErrors(5)).isZero();
      // Last request that reached s2 and was sent after the command (in-flight ones were sent before).
      OptionalLong lastToS2 = r.samples().stream()
          .filter(s -> S2.equals(s.servedBy()) && s.sentNanos() >= drain && s.sentNanos() < ready)
          .mapToLong(LoadResult.Sample::sentNanos).max();
      OptionalLong back = r.firstSentToAfter(S2, ready);
      new DrillReport("drain", VARIANT, r.failed(), r.total(),
          OptionalDouble.of(lastToS2.isPresent() ? LoadResult.seconds(lastToS2.getAsLong() - drain) : 0.0),
          r.percentileMs(0.5, 0, drain), r.percentileMs(0.5, drain, ready),
          r.percentileMs(0.99, 0, drain), r.percentileMs(0.99, drain, ready),
          String.format(Locale.ROOT, "requests to s2 after the command %d, back %s after ready",
              r.sentTo(S2, drain, ready), seconds(back, ready)))
          .print();

      // The runtime API acts at once, and a drain lets in-flight requests finish: stable behaviour.
      assertThat(r.failed()).as("failures: %s", r.someErrors(5)).isZero();
      assertThat(r.sentTo(S2, drain + Duration.ofMillis(500).toNanos(), ready)).isZero();
      assertThat(back).as("s2 gets requests again after ready").isPresent();
      assertThat(back.getAsLong() - ready).isLessThan(Duration.ofSeconds(1).toNanos());
    }
  }

  @Test
  @Timeout(60)
  void grayFailureTenTimesSlowerWithAFastHealthCheckIsNeverTakenOut() {
    try (Rig rig = Rig.start(dir, Duration.ofSeconds(30));
        StatusWatch watch = StatusWatch.start(rig.haproxy(), S2, System::nanoTime)) {
      long slowMs = SimServers.BASE_LATENCY_MS * 9; // base + 9x base = 10x
      LoadResult r = LoadGen.run(rig.load(20),
          LoadGen.Step.at(Duration.ofSeconds(5), "slow", () -> rig.sims().slow(S2_INDEX, slowMs)));

      long slow = r.mark("slow");
      long settled = slow + Duration.ofSeconds(1).toNanos();
      long last5s = r.durationNanos() - Duration.ofSeconds(5).toNanos();
      Optional<StatusWatch.Change> out = watch.firstOutAfter(r.originNanos() + slow);
      long toS2InLast5s = r.sentTo(S2, last5s, r.durationNanos());
      new DrillReport("gray-failure", VARIANT, r.failed(), r.total(),
          out.map(c -> OptionalDouble.of(LoadResult.seconds(c.nanos() - r.originNanos() - slow)))
              .orElse(OptionalDouble.empty()),
          r.percentileMs(0.5, 0, slow), r.percentileMs(0.5, settled, Long.MAX_VALUE),
          r.percentileMs(0.99, 0, slow), r.percentileMs(0.99, settled, Long.MAX_VALUE),
          String.format(Locale.ROOT, "taken out: %s, s2 status at end %s, requests to s2 in the last 5 s %d",
              out.isPresent() ? "yes" : "never", watch.lastStatus().orElse("?"), toS2InLast5s))
          .print();

      assertThat(r.failedBetween(0, slow)).as("failures before the fault: %s", r.someErrors(5)).isZero();
      assertThat(watch.errors()).isEmpty();
      // /health answers fast, so HAProxy's check keeps s2 in: it still gets its share at the end.
      assertThat(toS2InLast5s).isPositive();
    }
  }

  @Test
  @Timeout(60)
  void hungEngineAnsweringItsHealthCheckIsNeverTakenOutAndItsRequestsTimeOut() {
    // timeout server 10 s (not 30 s) keeps the drill within 40 s; every hung request waits that long.
    Duration timeoutServer = Duration.ofSeconds(10);
    try (Rig rig = Rig.start(dir, timeoutServer);
        StatusWatch watch = StatusWatch.start(rig.haproxy(), S2, System::nanoTime)) {
      LoadResult r = LoadGen.run(rig.load(12).withRequestTimeout(Duration.ofSeconds(15)),
          LoadGen.Step.at(Duration.ofSeconds(4), "hang", () -> rig.sims().hang(S2_INDEX)));
      rig.sims().clear(S2_INDEX);

      long hang = r.mark("hang");
      Optional<StatusWatch.Change> out = watch.firstOutAfter(r.originNanos() + hang);
      long failedDuring = r.failedBetween(hang, Long.MAX_VALUE);
      long dueDuring = r.due(hang, Long.MAX_VALUE).size();
      new DrillReport("hung-engine", VARIANT, r.failed(), r.total(),
          out.map(c -> OptionalDouble.of(LoadResult.seconds(c.nanos() - r.originNanos() - hang)))
              .orElse(OptionalDouble.empty()),
          r.percentileMs(0.5, 0, hang), r.percentileMs(0.5, hang, Long.MAX_VALUE),
          r.percentileMs(0.99, 0, hang), r.percentileMs(0.99, hang, Long.MAX_VALUE),
          String.format(Locale.ROOT, "taken out: %s, failed during the hang %d/%d (%s), timeout server %d s",
              out.isPresent() ? "yes" : "never", failedDuring, dueDuring, r.statusCounts(),
              timeoutServer.toSeconds()))
          .print();

      assertThat(r.failedBetween(0, hang)).as("failures before the fault: %s", r.someErrors(5)).isZero();
      assertThat(watch.errors()).isEmpty();
      // Requests that reached the hung server got no answer from it: there are failures.
      assertThat(failedDuring).isPositive();
    }
  }

  @Test
  @Timeout(60)
  void killedServerCostsSecondsOf503sUntilTheHealthCheckTakesItOut() {
    try (Rig rig = Rig.start(dir, Duration.ofSeconds(30));
        StatusWatch watch = StatusWatch.start(rig.haproxy(), S2, System::nanoTime)) {
      LoadResult r = LoadGen.run(rig.load(22),
          LoadGen.Step.at(Duration.ofSeconds(4), "down", () -> rig.sims().down(S2_INDEX)),
          LoadGen.Step.at(Duration.ofSeconds(14), "up", () -> rig.sims().clear(S2_INDEX)));

      long down = r.mark("down");
      long up = r.mark("up");
      Optional<StatusWatch.Change> out = watch.firstOutAfter(r.originNanos() + down);
      OptionalLong first = r.firstFailure();
      OptionalLong last = r.lastFailure();
      double failingSeconds = first.isPresent() ? LoadResult.seconds(last.getAsLong() - first.getAsLong()) : 0;
      OptionalLong back = r.firstSentToAfter(S2, up);
      new DrillReport("killed-server", VARIANT, r.failed(), r.total(),
          out.map(c -> OptionalDouble.of(LoadResult.seconds(c.nanos() - r.originNanos() - down)))
              .orElse(OptionalDouble.empty()),
          r.percentileMs(0.5, 0, down), r.percentileMs(0.5, down, up),
          r.percentileMs(0.99, 0, down), r.percentileMs(0.99, down, up),
          String.format(Locale.ROOT,
              "failures for %.1f s (from +%.1f s after the kill; %s; %s), back %s after restart",
              failingSeconds, first.isPresent() ? LoadResult.seconds(first.getAsLong() - down) : 0.0,
              r.statusCounts(), r.someErrors(3), seconds(back, up)))
          .print();

      assertThat(r.failedBetween(0, down)).as("failures before the fault: %s", r.someErrors(5)).isZero();
      assertThat(watch.errors()).isEmpty();
      // With retries 0, requests sent to the dead server fail until the check marks it DOWN.
      assertThat(r.failed()).isPositive();
      assertThat(out).as("HAProxy's check takes a server that stopped listening out").isPresent();
      assertThat(r.failedBetween(up, Long.MAX_VALUE)).as("failures after s2 is back").isZero();
    }
  }

  private static String seconds(OptionalLong at, long since) {
    return at.isPresent() ? String.format(Locale.ROOT, "%.1f s", LoadResult.seconds(at.getAsLong() - since)) : "never";
  }
}

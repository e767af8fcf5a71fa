package dev.nines.agent.collect.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nines.agent.collect.host.HostMath.Mount;
import dev.nines.protocol.HostMetrics.FilesystemUsage;
import dev.nines.protocol.HostMetrics.NetworkRates;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostMathTest {
  // OSHI tick order: USER, NICE, SYSTEM, IDLE, IOWAIT, IRQ, SOFTIRQ, STEAL
  @Test
  void cpuRatioCountsIdleAndIowaitAsNotBusy() {
    long[] prev = {100, 0, 50, 1000, 10, 0, 0, 0};
    long[] now = {160, 0, 70, 1100, 30, 5, 5, 10}; // busy 60+20+5+5+10=100, idle 100+20=120
    assertThat(HostMath.cpuRatio(prev, now)).isCloseTo(100.0 / 220.0, within(1e-12));
  }

  @Test
  void cpuRatioIsNullOnFirstSampleOrWhenNoTimePassed() {
    long[] t = {1, 2, 3, 4, 5, 6, 7, 8};
    assertThat(HostMath.cpuRatio(null, t)).isNull();
    assertThat(HostMath.cpuRatio(t, t.clone())).isNull();
    assertThat(HostMath.cpuRatio(new long[] {1}, t)).isNull();
  }

  @Test
  void cpuRatioIsNullWhenATickCounterWentBackwards() {
    long[] prev = {100, 0, 50, 1000, 10, 0, 0, 0};
    long[] now = {90, 0, 70, 1100, 30, 0, 0, 0};
    assertThat(HostMath.cpuRatio(prev, now)).isNull();
  }

  @Test
  void fullyBusyAndFullyIdleIntervalsGiveOneAndZero() {
    long[] prev = {0, 0, 0, 0, 0, 0, 0, 0};
    assertThat(HostMath.cpuRatio(prev, new long[] {10, 0, 0, 0, 0, 0, 0, 0})).isEqualTo(1.0);
    assertThat(HostMath.cpuRatio(prev, new long[] {0, 0, 0, 10, 0, 0, 0, 0})).isEqualTo(0.0);
  }

  @Test
  void rateIsDeltaOverElapsedSeconds() {
    assertThat(HostMath.ratePerSecond(1_000, 6_000, Duration.ofMillis(2_500))).isEqualTo(2_000.0);
    assertThat(HostMath.ratePerSecond(7, 7, Duration.ofSeconds(5))).isEqualTo(0.0);
  }

  @Test
  void countersAreUnsignedSixtyFourBit() {
    // above 2^63 the long is negative, and still counts up
    assertThat(HostMath.ratePerSecond(-10L, -5L, Duration.ofSeconds(1))).isEqualTo(5.0);
    assertThat(HostMath.ratePerSecond(Long.MAX_VALUE, Long.MIN_VALUE, Duration.ofSeconds(1)))
        .isEqualTo(1.0);
    // from the top of the range down to a small number is a reset
    assertThat(HostMath.ratePerSecond(-1L, 5, Duration.ofSeconds(1))).isNull();
  }

  @Test
  void rateIsNullForACounterResetOrNoElapsedTime() {
    assertThat(HostMath.ratePerSecond(6_000, 1_000, Duration.ofSeconds(1))).isNull();
    assertThat(HostMath.ratePerSecond(1_000, 6_000, Duration.ZERO)).isNull();
    assertThat(HostMath.ratePerSecond(1_000, 6_000, Duration.ofSeconds(-1))).isNull();
    assertThat(HostMath.ratePerSecond(1_000, 6_000, null)).isNull();
  }

  @Test
  void networkRatesAreNullOnFirstSampleAndForNewInterfaces() {
    Map<String, NetCounters> now = Map.of("eth0", new NetCounters(10, 10, 0, 0));
    assertThat(HostMath.networkRates(null, now, null))
        .containsExactly(new NetworkRates("eth0", null, null, null, null));
    Map<String, NetCounters> prev = Map.of("lo", new NetCounters(1, 1, 0, 0));
    assertThat(HostMath.networkRates(prev, now, Duration.ofSeconds(1)))
        .containsExactly(new NetworkRates("eth0", null, null, null, null));
  }

  @Test
  void networkRatesGiveNullOnlyForTheCounterThatWasReset() {
    Map<String, NetCounters> prev = Map.of("eth0", new NetCounters(1_000, 5_000, 4, 2));
    Map<String, NetCounters> now = Map.of("eth0", new NetCounters(3_000, 100, 8, 2));
    assertThat(HostMath.networkRates(prev, now, Duration.ofSeconds(2)))
        .containsExactly(new NetworkRates("eth0", 1_000.0, null, 2.0, 0.0));
  }

  @Test
  void parsesProcNetDevColumns() throws IOException {
    Map<String, NetCounters> parsed = HostMath.parseProcNetDev(fixture("proc-net-dev.txt"));
    assertThat(parsed.keySet()).containsExactly("lo", "ifb0", "eth0", "enp65s0f1np1");
    assertThat(parsed.get("lo")).isEqualTo(new NetCounters(3193, 3193, 0, 0));
    assertThat(parsed.get("eth0")).isEqualTo(new NetCounters(63259260, 210829, 7, 9));
    // a 64-bit counter at its top reads as the same bits (unsigned), not a parse failure
    assertThat(parsed.get("enp65s0f1np1")).isEqualTo(new NetCounters(-1L, 42, 0, 0));
  }

  @Test
  void filesystemsDropPseudoAndEmptyMountsAndReportEachVolumeOnceAtItsShortestMount() {
    List<Mount> mounts =
        List.of(
            new Mount("/etc/hosts", "/dev/vda", "ext4", 1_000, 400),
            new Mount("/", "/dev/vda", "ext4", 1_000, 400),
            new Mount("/dev/shm", "tmpfs", "tmpfs", 500, 500),
            new Mount("/proc", "proc", "proc", 0, 0),
            new Mount("/data", "/dev/nvme0n1p1", "xfs", 8_000, 2_000),
            new Mount("/empty", "/dev/loop0", "ext4", 0, 0),
            new Mount("/mnt/nfs", "server:/export", "nfs4", 9_000, 10_000));
    assertThat(HostMath.filesystems(mounts))
        .containsExactly(
            new FilesystemUsage("/", "ext4", 1_000, 600),
            new FilesystemUsage("/data", "xfs", 8_000, 6_000),
            new FilesystemUsage("/mnt/nfs", "nfs4", 9_000, 0));
  }

  @Test
  void loadAveragesBelowZeroMeanUnavailable() {
    double[] loads = {0.5, -1, Double.NaN};
    assertThat(HostMath.load(loads, 0)).isEqualTo(0.5);
    assertThat(HostMath.load(loads, 1)).isNull();
    assertThat(HostMath.load(loads, 2)).isNull();
    assertThat(HostMath.load(null, 0)).isNull();
  }

  @Test
  void keepsTheOrderOfTheCounterSource() {
    Map<String, NetCounters> now = new LinkedHashMap<>();
    now.put("b", new NetCounters(0, 0, 0, 0));
    now.put("a", new NetCounters(0, 0, 0, 0));
    assertThat(HostMath.networkRates(null, now, null))
        .extracting(NetworkRates::name)
        .containsExactly("b", "a");
  }

  private static String fixture(String name) throws IOException {
    try (InputStream in = HostMathTest.class.getResourceAsStream(name)) {
      assertThat(in).as("fixture " + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

package dev.nines.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.protocol.AgentReport;
import dev.nines.protocol.GpuMetrics;
import dev.nines.protocol.GpuSection;
import dev.nines.protocol.HostMetrics;
import dev.nines.protocol.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class XidCountsTest {
  /** A report of {@code host} whose GPU {@code gpu} (of two) saw one event per code given. */
  static AgentReport report(String host, int gpu, long... codes) {
    List<GpuMetrics> gpus = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      List<GpuMetrics.XidEvent> events = new ArrayList<>();
      if (i == gpu) {
        for (long c : codes) {
          events.add(new GpuMetrics.XidEvent(c, 1_000));
        }
      }
      gpus.add(new GpuMetrics(i, "GPU-" + i, null, null, null, null, null, null, null, null, null, null, List.of(), events));
    }
    return new AgentReport(
        Protocol.CURRENT_VERSION, host, 1, 1_000, 5_000, Map.of(), "0.1.0",
        new HostMetrics(0.1, 16, 1.0, 1.0, 1.0, 64L << 30, 16L << 30, 0, 0, 3600, List.of(), List.of()),
        new GpuSection(true, null, "sim", null, gpus), List.of());
  }

  @Test
  void countsEveryEventByGpuAndCode() {
    XidCounts x = new XidCounts();
    x.add("h1", report("h1", 0, 79, 79, 13));
    x.add("h1", report("h1", 1, 79));
    x.add("h2", report("h2", 0));

    assertThat(x.of("h1"))
        .containsOnly(
            Map.entry(new XidCounts.Key(0, "79"), 2L), Map.entry(new XidCounts.Key(0, "13"), 1L),
            Map.entry(new XidCounts.Key(1, "79"), 1L));
    assertThat(x.of("h2")).isEmpty();
    assertThat(x.hosts()).containsExactly("h1");
  }

  @Test
  void aHostGetsAtMost64CodesAndLaterNewCodesCountAsOther() {
    XidCounts x = new XidCounts();
    long[] first = new long[XidCounts.MAX_CODES_PER_HOST];
    for (int i = 0; i < first.length; i++) {
      first[i] = 100 + i;
    }
    x.add("h1", report("h1", 0, first));
    x.add("h1", report("h1", 1, 7, 8, 100)); // two new codes over the limit, one known code
    x.add("h2", report("h2", 0, 7)); // the limit is per host

    Map<XidCounts.Key, Long> h1 = x.of("h1");
    assertThat(h1.keySet().stream().map(XidCounts.Key::xid).distinct()).hasSize(XidCounts.MAX_CODES_PER_HOST + 1);
    assertThat(h1).containsEntry(new XidCounts.Key(1, XidCounts.OTHER), 2L).containsEntry(new XidCounts.Key(1, "100"), 1L);
    assertThat(h1).doesNotContainKey(new XidCounts.Key(1, "7"));
    assertThat(x.of("h2")).containsOnly(Map.entry(new XidCounts.Key(0, "7"), 1L));
  }

  @Test
  void forgottenHostsAreDroppedButOnlyAmongTheCandidates() {
    XidCounts x = new XidCounts();
    x.add("h1", report("h1", 0, 79));
    x.add("h2", report("h2", 0, 79));
    x.add("h3", report("h3", 0, 79));

    // h3 came after the candidates were taken: it stays although the store did not list it yet
    x.retainHosts(Set.of("h1", "h2"), Set.of("h1"));
    assertThat(x.hosts()).containsExactlyInAnyOrder("h1", "h3");
  }
}

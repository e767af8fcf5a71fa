package dev.nines.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.protocol.AgentReport;
import dev.nines.protocol.EndpointReport;
import dev.nines.protocol.GpuSection;
import dev.nines.protocol.HostMetrics;
import dev.nines.protocol.ProbeResult;
import dev.nines.protocol.Protocol;
import dev.nines.protocol.ServerStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportSamplesTest {
  @Test
  void missingFiguresStayMissingAndRatesAreSummedOverInterfaces() {
    HostMetrics host =
        new HostMetrics(
            null, 4, null, null, null, 1000, 250, 0, 0, 1, List.of(),
            List.of(
                new HostMetrics.NetworkRates("eth0", 100.0, null, null, null),
                new HostMetrics.NetworkRates("eth1", 50.0, null, null, null)));
    EndpointReport ep =
        new EndpointReport(
            "http://e", "vllm", new ProbeResult(false, 503, 3.0, false, "down", 1), null,
            ServerStats.failed("refused"));
    AgentReport r =
        new AgentReport(
            Protocol.CURRENT_VERSION, "a", 1, 1_000, 5_000, Map.of(), null, host,
            GpuSection.unavailable("none", "no NVML"), List.of(ep));
    ReportSamples s = ReportSamples.of(r);
    assertThat(s.host()).isEqualTo(new ReportSamples.HostSample(null, 0.75, 750.0, null, 150.0, null));
    assertThat(s.gpus()).isEmpty();
    assertThat(s.endpoints())
        .containsExactly(new ReportSamples.EndpointSample("http://e", 0.0, 3.0, null, null, null, null, null));
  }
}

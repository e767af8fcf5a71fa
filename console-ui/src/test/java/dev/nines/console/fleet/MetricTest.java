package dev.nines.console.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.console.client.Host;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricTest {
  static Host host(Host.Summary summary) {
    return new Host("h", "p", Map.of(), 0, 0, 1, 0, 0, null, null, summary, null, null, List.of());
  }

  @Test
  void figuresOfAHostWithoutGpusOrEndpointsAreNotAvailableRatherThanZero() {
    Host h = host(new Host.Summary(0.5, 0.2, 1.0, new Host.GpuSummary(false, "no NVML", 0, null, null, null, null, null), List.of()));
    assertThat(Metric.CPU.of(h)).isEqualTo(0.5);
    assertThat(Metric.GPU_UTIL.of(h)).isNull();
    assertThat(Metric.GPU_TEMP.of(h)).isNull();
    assertThat(Metric.GPU_MEM.of(h)).isNull();
    assertThat(Metric.LATENCY_P95.of(h)).isNull();
    assertThat(Metric.ERROR_RATIO.of(h)).isNull();
    assertThat(Metric.CPU.of(host(null))).isNull();
  }

  @Test
  void latencyIsTheWorstEndpointsAndErrorsAreSummedOverEndpoints() {
    Host h =
        host(
            new Host.Summary(
                null, null, null, null,
                List.of(
                    new Host.EndpointSummary("a", "vllm", true, true, 1.0, 100.0, 200.0, 100L, 1L),
                    new Host.EndpointSummary("b", "vllm", true, true, 1.0, 300.0, 400.0, 300L, 11L))));
    assertThat(Metric.LATENCY_P95.of(h)).isEqualTo(300.0);
    assertThat(Metric.ERROR_RATIO.of(h)).isEqualTo(0.03);
  }

  @Test
  void historyKeepsTheLastSixtySamplesOldestFirstWithGaps() {
    History hist = new History();
    Double[] v = new Double[Metric.values().length];
    for (int i = 0; i < 70; i++) {
      v[0] = i % 10 == 0 ? null : (double) i;
      hist.append(v);
    }
    double[] cpu = hist.samples[0].history();
    assertThat(cpu).hasSize(History.CAPACITY);
    assertThat(cpu[0]).isNaN(); // sample 10
    assertThat(cpu[1]).isEqualTo(11.0);
    assertThat(cpu[59]).isEqualTo(69.0);
    assertThat(hist.samples[0].value()).isEqualTo(69.0);
  }

  @Test
  void samplesSortByValueWithMissingValuesLast() {
    Sample none = Sample.NONE;
    Sample one = new Sample(1.0, new double[0]);
    Sample two = new Sample(2.0, new double[0]);
    List<Sample> s = new java.util.ArrayList<>(List.of(none, two, one));
    s.sort(Sample::compare);
    assertThat(s).containsExactly(one, two, none);
  }
}

package dev.nines.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.protocol.GpuMetrics;
import dev.nines.protocol.GpuSection;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated GPUs over real HTTP, read back into the protocol's own records. */
class GpuFaultsHttpTest {
  final ObjectMapper mapper = new ObjectMapper();
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  SimFleet fleet;
  SimServer server;
  String url;

  @BeforeEach
  void start() {
    fleet = SimFleet.start(new SimConfig("127.0.0.1", 0, 1, -1, 5, 2, "m", 1L), clock);
    server = fleet.servers().get(0);
    url = server.baseUrl();
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  GpuSection gpus() throws Exception {
    HttpResponse<String> r = Http.get(url + "/sim/gpus");
    assertThat(r.statusCode()).isEqualTo(200);
    return mapper.readValue(r.body(), GpuSection.class);
  }

  void fault(String body) {
    assertThat(Http.post(url + "/sim/fault", body).statusCode()).as(body).isEqualTo(200);
  }

  @Test
  void idleGpusAreCoolIdleAndFollowTheContract() throws Exception {
    GpuSection s = gpus();

    assertThat(s.available()).isTrue();
    assertThat(s.source()).isEqualTo("sim");
    assertThat(s.driverVersion()).startsWith("sim-");
    assertThat(s.gpus()).extracting(GpuMetrics::index).containsExactly(0, 1);
    GpuMetrics g = s.gpus().get(0);
    assertThat(g.name()).isEqualTo("NVIDIA H100 80GB HBM3");
    assertThat(g.uuid()).startsWith("GPU-").isNotEqualTo(s.gpus().get(1).uuid());
    assertThat(g.memoryTotalBytes()).isEqualTo(85_899_345_920L);
    assertThat((double) g.memoryUsedBytes() / g.memoryTotalBytes()).isBetween(0.55, 0.65);
    assertThat(g.temperatureC()).isBetween(33.0, 37.0);
    assertThat(g.utilGpuRatio()).isZero();
    assertThat(g.powerDrawWatts()).isBetween(60.0, 80.0);
    assertThat(g.powerLimitWatts()).isEqualTo(700.0);
    assertThat(g.eccUncorrectedVolatile()).isZero();
    assertThat(g.throttleReasonNames()).containsExactly("gpu_idle");
    assertThat(g.xidEvents()).isEmpty();
    assertThat(gpus().gpus()).extracting(GpuMetrics::uuid)
        .containsExactlyElementsOf(s.gpus().stream().map(GpuMetrics::uuid).toList());
  }

  @Test
  void gpuHotHeatsOneGpuPast95WithThermalThrottleAndItCoolsAfterwards() throws Exception {
    fault("{\"mode\":\"gpu-hot\",\"gpu\":1}");

    GpuSection s = gpus();
    GpuMetrics hot = s.gpus().get(1);
    assertThat(hot.temperatureC()).isGreaterThanOrEqualTo(95.0);
    assertThat(hot.throttleReasons() & GpuModel.HW_THERMAL_SLOWDOWN).isNotZero();
    assertThat(hot.throttleReasonNames()).contains("hw_thermal_slowdown", "sw_thermal_slowdown");
    assertThat(s.gpus().get(0).temperatureC()).isLessThan(40.0);

    fault("{\"mode\":\"none\"}");
    clock.advance(Duration.ofSeconds(5));
    double cooling = gpus().gpus().get(1).temperatureC();
    assertThat(cooling).isBetween(40.0, 95.0);
    clock.advance(Duration.ofMinutes(3));
    assertThat(gpus().gpus().get(1).temperatureC()).isLessThan(36.0);
  }

  @Test
  void gpuHotWithoutIndexHeatsEveryGpu() throws Exception {
    fault("{\"mode\":\"gpu-hot\"}");

    assertThat(gpus().gpus()).allSatisfy(g -> assertThat(g.temperatureC()).isGreaterThan(95.0));
  }

  @Test
  void gpuEccRaisesTheVolatileUncorrectedCounterAndAddsUp() throws Exception {
    fault("{\"mode\":\"gpu-ecc\",\"gpu\":0,\"count\":3}");
    assertThat(gpus().gpus().get(0).eccUncorrectedVolatile()).isEqualTo(3);
    fault("{\"mode\":\"gpu-ecc\",\"gpu\":0}");

    GpuSection s = gpus();
    assertThat(s.gpus().get(0).eccUncorrectedVolatile()).isEqualTo(4);
    assertThat(s.gpus().get(1).eccUncorrectedVolatile()).isZero();
  }

  @Test
  void gpuLostDisappearsUntilCleared() throws Exception {
    fault("{\"mode\":\"gpu-lost\",\"gpu\":1}");
    assertThat(gpus().gpus()).extracting(GpuMetrics::index).containsExactly(0);
    assertThat(server.state().gpus().get(1).lost()).isTrue();

    fault("{\"mode\":\"none\"}");
    assertThat(gpus().gpus()).extracting(GpuMetrics::index).containsExactly(0, 1);
  }

  @Test
  void gpuXidIsDeliveredOnceOnTheNextRead() throws Exception {
    fault("{\"mode\":\"gpu-xid\",\"gpu\":0}");
    assertThat(server.state().gpus().get(0).pendingXids()).isEqualTo(1);

    GpuSection first = gpus();
    assertThat(first.gpus().get(0).xidEvents()).singleElement().satisfies(x -> {
      assertThat(x.xid()).isEqualTo(79);
      assertThat(x.atMs()).isEqualTo(clock.millis());
    });
    assertThat(first.gpus().get(1).xidEvents()).isEmpty();
    assertThat(gpus().gpus().get(0).xidEvents()).isEmpty();
  }

  @Test
  void gpuFaultWithDurationClearsWhenTheClockPassesIt() throws Exception {
    fault("{\"mode\":\"gpu-lost\",\"gpu\":0,\"durationMs\":60000}");
    assertThat(gpus().gpus()).hasSize(1);

    clock.advance(Duration.ofSeconds(61));
    assertThat(gpus().gpus()).hasSize(2);
  }

  @Test
  void trafficWarmsTheGpusAndFillsKvCache() throws Exception {
    GpuSection idle = gpus();
    // Ten requests in flight for a minute of simulated time: hang them, move the clock, read.
    server.setFault(Fault.hang());
    for (int i = 0; i < 10; i++) {
      Http.postAsync(url + "/v1/completions", "{\"prompt\":\"x\"}", Duration.ofSeconds(20));
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> server.state().requestsHung() == 10);
    clock.advance(Duration.ofSeconds(60));

    GpuMetrics busy = gpus().gpus().get(0);
    assertThat(busy.utilGpuRatio()).isGreaterThan(0.95);
    assertThat(busy.temperatureC()).isBetween(65.0, 76.0);
    assertThat(busy.powerDrawWatts()).isGreaterThan(550.0);
    assertThat(busy.memoryUsedBytes()).isGreaterThan(idle.gpus().get(0).memoryUsedBytes());
    assertThat(busy.throttleReasonNames()).doesNotContain("gpu_idle");
    server.setFault(Fault.none());
  }
}

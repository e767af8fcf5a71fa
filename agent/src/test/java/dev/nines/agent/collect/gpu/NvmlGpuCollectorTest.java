package dev.nines.agent.collect.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.protocol.GpuMetrics;
import dev.nines.protocol.GpuMetrics.XidEvent;
import dev.nines.protocol.GpuSection;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The production NVML binding, loaded against the C stub with fixed, known answers. */
class NvmlGpuCollectorTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private NvmlStub.Control stub;
  private Path lib;

  private static final GpuMetrics GPU0 =
      new GpuMetrics(
          0,
          "GPU-0a1b2c3d-0000-4000-8000-000000000000",
          "NVIDIA H100 80GB HBM3",
          0.87,
          0.45,
          85_899_345_920L,
          42_949_672_960L,
          71.0,
          312.5,
          700.0,
          4_294_967_301L,
          0x0000010000000044L,
          List.of("sw_power_cap", "hw_thermal_slowdown"),
          List.of());

  private static final GpuMetrics GPU1 =
      new GpuMetrics(
          1,
          "GPU-0a1b2c3d-1111-4111-8111-111111111111",
          "NVIDIA A100-SXM4-40GB",
          0.03,
          0.01,
          42_949_672_960L,
          1_073_741_824L,
          34.0,
          null,
          null,
          null,
          0x1L,
          List.of("gpu_idle"),
          List.of());

  @BeforeEach
  void resetStub() {
    lib = NvmlStub.library();
    stub = NvmlStub.control();
    stub.nvmlStubReset();
  }

  @AfterEach
  void noInitLeftBehind() {
    assertThat(stub.nvmlStubInitDepth()).as("NVML init depth after the test").isZero();
  }

  @Test
  void readsEveryFieldOfEveryGpuExactlyWithXidEventsOnce() {
    try (GpuCollector c = GpuCollectors.open("nvml", lib, null, clock)) {
      GpuSection first = c.collect();
      assertThat(first.available()).isTrue();
      assertThat(first.unavailableReason()).isNull();
      assertThat(first.source()).isEqualTo("nvml");
      assertThat(first.driverVersion()).isEqualTo("550.54.15");
      assertThat(first.gpus())
          .containsExactly(
              withXids(GPU0, List.of(new XidEvent(79, NOW.toEpochMilli()))),
              withXids(GPU1, List.of(new XidEvent(48, NOW.toEpochMilli()))));

      GpuSection second = c.collect();
      assertThat(second.gpus()).as("XID events are delivered once").containsExactly(GPU0, GPU1);
    }
  }

  @Test
  void fieldsTheGpuDoesNotSupportAreNullNotZero() {
    try (GpuCollector c = GpuCollectors.open("nvml", lib, null, clock)) {
      GpuMetrics gpu1 = c.collect().gpus().get(1);
      assertThat(gpu1.powerDrawWatts()).isNull();
      assertThat(gpu1.powerLimitWatts()).isNull();
      assertThat(gpu1.eccUncorrectedVolatile()).isNull();
      assertThat(gpu1.temperatureC()).isEqualTo(34.0);
    }
  }

  @Test
  void failedInitIsAnUnavailableSectionWithNvmlsErrorString() {
    stub.nvmlStubSetInitResult(9); // NVML_ERROR_DRIVER_NOT_LOADED
    try (GpuCollector c = GpuCollectors.open("nvml", lib, null, clock)) {
      GpuSection s = c.collect();
      assertThat(s.available()).isFalse();
      assertThat(s.source()).isEqualTo("nvml");
      assertThat(s.unavailableReason()).contains("Driver Not Loaded").contains(lib.toString());
      assertThat(s.gpus()).isEmpty();
      assertThat(c.collect()).isEqualTo(s);
    }
  }

  @Test
  void missingLibraryIsAnUnavailableSectionNamingThePath() {
    Path missing = lib.getParent().resolve("no-such-dir").resolve("libnvidia-ml.so.1");
    try (GpuCollector c = GpuCollectors.open("nvml", missing, null, clock)) {
      GpuSection s = c.collect();
      assertThat(s.available()).isFalse();
      assertThat(s.source()).isEqualTo("nvml");
      assertThat(s.unavailableReason()).contains(missing.toString());
    }
  }

  @Test
  void aGpuWhoseHandleIsLostIsLeftOut() {
    stub.nvmlStubSetDeviceCount(3); // index 2 answers NVML_ERROR_GPU_IS_LOST
    try (GpuCollector c = GpuCollectors.open("nvml", lib, null, clock)) {
      GpuSection s = c.collect();
      assertThat(s.available()).isTrue();
      assertThat(s.gpus()).extracting(GpuMetrics::index).containsExactly(0, 1);
    }
  }

  @Test
  void closeFreesTheEventSetAndShutsNvmlDownOnce() {
    GpuCollector c = GpuCollectors.open("nvml", lib, null, clock);
    assertThat(stub.nvmlStubInitDepth()).isEqualTo(1);
    assertThat(stub.nvmlStubEventSetsLive()).isEqualTo(1);
    c.close();
    assertThat(stub.nvmlStubInitDepth()).isZero();
    assertThat(stub.nvmlStubEventSetsLive()).isZero();
    c.close();
    assertThat(stub.nvmlStubInitDepth()).isZero();
    GpuSection after = c.collect();
    assertThat(after.available()).isFalse();
    assertThat(after.unavailableReason()).contains("closed");
  }

  /**
   * Without a path the binding asks for {@code libnvidia-ml.so.1} by name. The stub is already
   * loaded (by path, in {@link #resetStub}), so the dynamic linker resolves that name through the
   * stub's soname, as it would through LD_LIBRARY_PATH on a GPU host. Asking for {@code nvidia-ml}
   * instead (JNA's {@code libnvidia-ml.so}) would not be found.
   */
  @Test
  void findsTheLibraryByItsVersionedNameWhenNoPathIsGiven() {
    try (GpuCollector c = GpuCollectors.open("auto", null, null, clock)) {
      GpuSection s = c.collect();
      assertThat(s.available()).as("reason: %s", s.unavailableReason()).isTrue();
      assertThat(s.gpus()).hasSize(2);
    }
  }

  private static GpuMetrics withXids(GpuMetrics g, List<XidEvent> xids) {
    return new GpuMetrics(
        g.index(), g.uuid(), g.name(), g.utilGpuRatio(), g.utilMemoryRatio(),
        g.memoryTotalBytes(), g.memoryUsedBytes(), g.temperatureC(), g.powerDrawWatts(),
        g.powerLimitWatts(), g.eccUncorrectedVolatile(), g.throttleReasons(),
        g.throttleReasonNames(), xids);
  }
}

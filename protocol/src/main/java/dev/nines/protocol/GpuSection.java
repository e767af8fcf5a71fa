package dev.nines.protocol;

import java.util.List;

/**
 * The GPUs of a host, or the explicit reason they could not be read.
 *
 * @param available false when the agent could not read GPUs (no NVML library, init failed, ...)
 * @param unavailableReason why not, when {@code available} is false
 * @param source where the figures came from: {@code nvml}, {@code sim} or {@code none}
 * @param driverVersion driver version string, or null
 * @param gpus one entry per GPU that the driver reports
 */
public record GpuSection(
    boolean available,
    String unavailableReason,
    String source,
    String driverVersion,
    List<GpuMetrics> gpus) {

  public GpuSection {
    Check.optionalText("gpu.unavailableReason", unavailableReason, 1024);
    Check.text("gpu.source", source, 32);
    Check.optionalText("gpu.driverVersion", driverVersion, 64);
    gpus = Check.list("gpu.gpus", gpus, 64);
    if (!available && unavailableReason == null) {
      throw new IllegalArgumentException("gpu.unavailableReason is required when gpu.available is false");
    }
  }

  /** A section saying that GPUs could not be read, and why. */
  public static GpuSection unavailable(String source, String reason) {
    return new GpuSection(false, reason, source, null, List.of());
  }
}

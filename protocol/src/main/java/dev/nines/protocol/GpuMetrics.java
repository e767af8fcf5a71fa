package dev.nines.protocol;

import java.util.List;

/**
 * One GPU's figures. Nullable fields are ones this GPU or driver does not offer
 * (NVML_ERROR_NOT_SUPPORTED), never zero.
 *
 * @param index NVML index
 * @param uuid GPU UUID
 * @param name product name
 * @param utilGpuRatio share of time a kernel ran, 0..1
 * @param utilMemoryRatio share of time memory was read or written, 0..1
 * @param memoryTotalBytes frame-buffer size
 * @param memoryUsedBytes frame-buffer in use
 * @param temperatureC core temperature in degrees Celsius
 * @param powerDrawWatts current power draw
 * @param powerLimitWatts enforced power limit
 * @param eccUncorrectedVolatile volatile uncorrectable ECC errors since the driver loaded
 * @param throttleReasons NVML clock-throttle reason bit mask
 * @param throttleReasonNames the set bits by name
 * @param xidEvents XID events seen since the last report
 */
public record GpuMetrics(
    int index,
    String uuid,
    String name,
    Double utilGpuRatio,
    Double utilMemoryRatio,
    Long memoryTotalBytes,
    Long memoryUsedBytes,
    Double temperatureC,
    Double powerDrawWatts,
    Double powerLimitWatts,
    Long eccUncorrectedVolatile,
    Long throttleReasons,
    List<String> throttleReasonNames,
    List<XidEvent> xidEvents) {

  public GpuMetrics {
    Check.nonNegative("gpus.index", index);
    Check.text("gpus.uuid", uuid, 128);
    Check.optionalText("gpus.name", name, 128);
    Check.ratio("gpus.utilGpuRatio", utilGpuRatio);
    Check.ratio("gpus.utilMemoryRatio", utilMemoryRatio);
    Check.nonNegative("gpus.memoryTotalBytes", memoryTotalBytes);
    Check.nonNegative("gpus.memoryUsedBytes", memoryUsedBytes);
    Check.finite("gpus.temperatureC", temperatureC);
    Check.nonNegative("gpus.powerDrawWatts", powerDrawWatts);
    Check.nonNegative("gpus.powerLimitWatts", powerLimitWatts);
    Check.nonNegative("gpus.eccUncorrectedVolatile", eccUncorrectedVolatile);
    throttleReasonNames = Check.list("gpus.throttleReasonNames", throttleReasonNames, 64);
    xidEvents = Check.list("gpus.xidEvents", xidEvents, 256);
  }

  /**
   * One XID error event from the driver.
   *
   * @param xid the XID code (e.g. 79: fallen off the bus)
   * @param atMs epoch milliseconds when the agent saw it
   */
  public record XidEvent(long xid, long atMs) {
    public XidEvent {
      Check.nonNegative("xidEvents.xid", xid);
      Check.nonNegative("xidEvents.atMs", atMs);
    }
  }
}

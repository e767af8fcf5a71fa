package dev.nines.agent.collect.gpu;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The part of NVML (nvml.h) the agent calls, mapped by hand: every function returns an {@code
 * nvmlReturn_t} (0 = success); {@code unsigned int} is {@code int} (read with {@link
 * Integer#toUnsignedLong}), {@code unsigned long long} is {@code long}, {@code nvmlDevice_t} and
 * {@code nvmlEventSet_t} are opaque pointers, char buffers are {@code byte[]} with their length.
 * nvml.h maps {@code nvmlInit} and friends to their {@code _v2} symbols with macros that JNA cannot
 * see, so the {@code _v2} names are used directly.
 */
interface NvmlLibrary extends Library {
  int NVML_SUCCESS = 0;
  int NVML_ERROR_NOT_SUPPORTED = 3;
  int NVML_ERROR_TIMEOUT = 10;

  int NVML_TEMPERATURE_GPU = 0;
  int NVML_MEMORY_ERROR_TYPE_UNCORRECTED = 1;
  int NVML_VOLATILE_ECC = 0;
  long NVML_EVENT_TYPE_XID_CRITICAL_ERROR = 0x8L;

  /** NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE. */
  int DRIVER_VERSION_BUFFER = 80;
  /** NVML_DEVICE_UUID_V2_BUFFER_SIZE. */
  int UUID_BUFFER = 96;
  /** NVML_DEVICE_NAME_V2_BUFFER_SIZE. */
  int NAME_BUFFER = 96;

  int nvmlInit_v2();

  int nvmlShutdown();

  String nvmlErrorString(int result);

  int nvmlSystemGetDriverVersion(byte[] version, int length);

  int nvmlDeviceGetCount_v2(IntByReference deviceCount);

  int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

  int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

  int nvmlDeviceGetName(Pointer device, byte[] name, int length);

  int nvmlDeviceGetUtilizationRates(Pointer device, Utilization utilization);

  int nvmlDeviceGetMemoryInfo(Pointer device, Memory memory);

  int nvmlDeviceGetTemperature(Pointer device, int sensorType, IntByReference temp);

  int nvmlDeviceGetPowerUsage(Pointer device, IntByReference milliwatts);

  int nvmlDeviceGetEnforcedPowerLimit(Pointer device, IntByReference milliwatts);

  int nvmlDeviceGetTotalEccErrors(
      Pointer device, int errorType, int counterType, LongByReference eccCounts);

  int nvmlDeviceGetCurrentClocksThrottleReasons(Pointer device, LongByReference reasons);

  int nvmlEventSetCreate(PointerByReference set);

  int nvmlDeviceRegisterEvents(Pointer device, long eventTypes, Pointer set);

  int nvmlEventSetWait_v2(Pointer set, EventData data, int timeoutMs);

  int nvmlEventSetFree(Pointer set);

  /** nvmlUtilization_t: percentages over the driver's last sample period. */
  @Structure.FieldOrder({"gpu", "memory"})
  class Utilization extends Structure {
    public int gpu;
    public int memory;
  }

  /** nvmlMemory_t: frame-buffer bytes. */
  @Structure.FieldOrder({"total", "free", "used"})
  class Memory extends Structure {
    public long total;
    public long free;
    public long used;
  }

  /** nvmlEventData_t (32 bytes on 64-bit Linux). */
  @Structure.FieldOrder({"device", "eventType", "eventData", "gpuInstanceId", "computeInstanceId"})
  class EventData extends Structure {
    public Pointer device;
    public long eventType;
    public long eventData;
    public int gpuInstanceId;
    public int computeInstanceId;
  }
}

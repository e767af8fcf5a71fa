package dev.nines.agent.collect.gpu;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.nines.protocol.GpuMetrics;
import dev.nines.protocol.GpuMetrics.XidEvent;
import dev.nines.protocol.GpuSection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GPUs through NVML. NVML's init is process-global: this collector initialises it once when opened
 * and shuts it down when closed. A field the GPU does not offer (NVML_ERROR_NOT_SUPPORTED) is null,
 * never 0; another error on a field is null plus a debug line; a GPU whose handle cannot be had
 * (e.g. NVML_ERROR_GPU_IS_LOST) is left out with a warning, so the backend sees it disappear.
 */
final class NvmlGpuCollector implements GpuCollector {
  private static final Logger LOG = LoggerFactory.getLogger(NvmlGpuCollector.class);

  /** The versioned file: {@code Native.load("nvidia-ml")} would look for the unversioned one. */
  static final String LIBRARY_NAME = "libnvidia-ml.so.1";

  /** Upper bound on events read in one collect, in case a driver never answers "timeout". */
  private static final int MAX_EVENTS_PER_COLLECT = 1024;

  private static final int MAX_XIDS_PER_GPU = 256;

  private final NvmlLibrary nvml;
  private final String libraryDescription;
  private final Clock clock;
  private final String driverVersion;
  private final Pointer eventSet;
  private boolean closed;

  private NvmlGpuCollector(
      NvmlLibrary nvml, String libraryDescription, Clock clock, String driverVersion, Pointer set) {
    this.nvml = nvml;
    this.libraryDescription = libraryDescription;
    this.clock = clock;
    this.driverVersion = driverVersion;
    this.eventSet = set;
  }

  /**
   * Loads NVML and initialises it. Never throws for a missing library or a failed init: the
   * collector returned then answers an unavailable section naming the library and the NVML error.
   *
   * @param libraryOrNull absolute path of libnvidia-ml, or null to find {@value #LIBRARY_NAME}
   *     through jna.library.path, LD_LIBRARY_PATH and the system's library paths
   */
  static GpuCollector open(Path libraryOrNull, Clock clock) {
    Objects.requireNonNull(clock, "clock");
    String name =
        libraryOrNull == null ? LIBRARY_NAME : libraryOrNull.toAbsolutePath().toString();
    String described =
        libraryOrNull == null
            ? LIBRARY_NAME + " (searched in jna.library.path, LD_LIBRARY_PATH, system paths)"
            : name;
    NvmlLibrary nvml;
    try {
      nvml = Native.load(name, NvmlLibrary.class);
    } catch (LinkageError | RuntimeException e) {
      return unavailable("NVML library not loaded from " + described + ": " + e.getMessage());
    }
    int rc;
    try {
      rc = nvml.nvmlInit_v2();
    } catch (LinkageError | RuntimeException e) {
      return unavailable("nvmlInit_v2 not callable in " + described + ": " + e.getMessage());
    }
    if (rc != NvmlLibrary.NVML_SUCCESS) {
      return unavailable(
          "nvmlInit_v2 failed with " + described + ": " + errorString(nvml, rc) + " (" + rc + ")");
    }
    String driver = null;
    try {
      byte[] buf = new byte[NvmlLibrary.DRIVER_VERSION_BUFFER];
      int drc = nvml.nvmlSystemGetDriverVersion(buf, buf.length);
      if (drc == NvmlLibrary.NVML_SUCCESS) {
        driver = cString(buf);
      } else {
        LOG.debug("nvmlSystemGetDriverVersion: {}", errorString(nvml, drc));
      }
    } catch (LinkageError e) {
      LOG.debug("nvmlSystemGetDriverVersion not callable", e);
    }
    Pointer set = createXidEventSet(nvml);
    LOG.info("NVML initialised from {} (driver {})", described, driver);
    return new NvmlGpuCollector(nvml, described, clock, driver, set);
  }

  private static GpuCollector unavailable(String reason) {
    return new FixedGpuCollector(GpuSection.unavailable("nvml", clip(reason)));
  }

  /** An event set with every GPU that offers XID events registered; null if none could be. */
  private static Pointer createXidEventSet(NvmlLibrary nvml) {
    try {
      PointerByReference setRef = new PointerByReference();
      int rc = nvml.nvmlEventSetCreate(setRef);
      if (rc != NvmlLibrary.NVML_SUCCESS) {
        LOG.info("No XID events: nvmlEventSetCreate: {}", errorString(nvml, rc));
        return null;
      }
      Pointer set = setRef.getValue();
      IntByReference count = new IntByReference();
      int crc = nvml.nvmlDeviceGetCount_v2(count);
      int n = crc == NvmlLibrary.NVML_SUCCESS ? count.getValue() : 0;
      for (int i = 0; i < n; i++) {
        PointerByReference dev = new PointerByReference();
        int hrc = nvml.nvmlDeviceGetHandleByIndex_v2(i, dev);
        if (hrc != NvmlLibrary.NVML_SUCCESS) {
          continue; // reported by collect()
        }
        int rrc =
            nvml.nvmlDeviceRegisterEvents(
                dev.getValue(), NvmlLibrary.NVML_EVENT_TYPE_XID_CRITICAL_ERROR, set);
        if (rrc != NvmlLibrary.NVML_SUCCESS) {
          LOG.info("GPU {}: no XID events: {}", i, errorString(nvml, rrc));
        }
      }
      return set;
    } catch (LinkageError e) {
      LOG.info("No XID events: NVML event functions not callable: {}", e.getMessage());
      return null;
    }
  }

  @Override
  public synchronized GpuSection collect() {
    if (closed) {
      return GpuSection.unavailable("nvml", "NVML collector closed");
    }
    try {
      return collectOpen();
    } catch (LinkageError | RuntimeException e) {
      LOG.warn("Reading GPUs through NVML failed", e);
      return GpuSection.unavailable(
          "nvml", clip("Reading GPUs through " + libraryDescription + " failed: " + e));
    }
  }

  private GpuSection collectOpen() {
    IntByReference count = new IntByReference();
    int rc = nvml.nvmlDeviceGetCount_v2(count);
    if (rc != NvmlLibrary.NVML_SUCCESS) {
      return GpuSection.unavailable(
          "nvml",
          clip("nvmlDeviceGetCount_v2 failed with " + libraryDescription + ": " + error(rc)));
    }
    int n = count.getValue();
    List<Pointer> handles = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < n && handles.size() < 64; i++) {
      PointerByReference dev = new PointerByReference();
      int hrc = nvml.nvmlDeviceGetHandleByIndex_v2(i, dev);
      if (hrc != NvmlLibrary.NVML_SUCCESS) {
        LOG.warn("GPU {} left out: nvmlDeviceGetHandleByIndex_v2: {}", i, error(hrc));
        continue;
      }
      handles.add(dev.getValue());
      indexes.add(i);
    }
    Map<Pointer, List<XidEvent>> xids = drainXidEvents();
    List<GpuMetrics> gpus = new ArrayList<>();
    for (int k = 0; k < handles.size(); k++) {
      Pointer dev = handles.get(k);
      GpuMetrics m = read(indexes.get(k), dev, xids.getOrDefault(dev, List.of()));
      xids.remove(dev);
      if (m != null) {
        gpus.add(m);
      }
    }
    xids.forEach(
        (dev, events) ->
            LOG.warn("{} XID event(s) on a GPU that is no longer listed: {}", events.size(), events));
    return new GpuSection(true, null, "nvml", driverVersion, gpus);
  }

  /** Reads the events queued since the last call, grouped by device handle, oldest first. */
  private Map<Pointer, List<XidEvent>> drainXidEvents() {
    Map<Pointer, List<XidEvent>> out = new HashMap<>();
    if (eventSet == null) {
      return out;
    }
    long now = clock.millis();
    NvmlLibrary.EventData data = new NvmlLibrary.EventData();
    for (int i = 0; i < MAX_EVENTS_PER_COLLECT; i++) {
      int rc;
      try {
        rc = nvml.nvmlEventSetWait_v2(eventSet, data, 0);
      } catch (LinkageError e) {
        LOG.debug("nvmlEventSetWait_v2 not callable", e);
        return out;
      }
      if (rc == NvmlLibrary.NVML_ERROR_TIMEOUT) {
        return out;
      }
      if (rc != NvmlLibrary.NVML_SUCCESS) {
        LOG.debug("nvmlEventSetWait_v2: {}", error(rc));
        return out;
      }
      if ((data.eventType & NvmlLibrary.NVML_EVENT_TYPE_XID_CRITICAL_ERROR) == 0
          || data.device == null
          || data.eventData < 0) {
        continue;
      }
      List<XidEvent> list = out.computeIfAbsent(data.device, d -> new ArrayList<>());
      if (list.size() < MAX_XIDS_PER_GPU) {
        list.add(new XidEvent(data.eventData, now));
      }
    }
    LOG.warn("Stopped reading NVML events after {} in one collect", MAX_EVENTS_PER_COLLECT);
    return out;
  }

  /** One GPU's figures, or null when even its UUID cannot be read (left out, logged). */
  private GpuMetrics read(int index, Pointer dev, List<XidEvent> xids) {
    byte[] uuidBuf = new byte[NvmlLibrary.UUID_BUFFER];
    int urc = nvml.nvmlDeviceGetUUID(dev, uuidBuf, uuidBuf.length);
    String uuid = urc == NvmlLibrary.NVML_SUCCESS ? cString(uuidBuf) : null;
    if (uuid == null || uuid.isEmpty()) {
      LOG.warn("GPU {} left out: nvmlDeviceGetUUID: {}", index, error(urc));
      return null;
    }
    byte[] nameBuf = new byte[NvmlLibrary.NAME_BUFFER];
    String name =
        ok(index, "nvmlDeviceGetName", call(() -> nvml.nvmlDeviceGetName(dev, nameBuf, nameBuf.length)))
            ? emptyToNull(cString(nameBuf))
            : null;

    NvmlLibrary.Utilization util = new NvmlLibrary.Utilization();
    boolean utilOk =
        ok(index, "nvmlDeviceGetUtilizationRates", call(() -> nvml.nvmlDeviceGetUtilizationRates(dev, util)));
    NvmlLibrary.Memory mem = new NvmlLibrary.Memory();
    boolean memOk =
        ok(index, "nvmlDeviceGetMemoryInfo", call(() -> nvml.nvmlDeviceGetMemoryInfo(dev, mem)));
    IntByReference temp = new IntByReference();
    boolean tempOk =
        ok(
            index,
            "nvmlDeviceGetTemperature",
            call(() -> nvml.nvmlDeviceGetTemperature(dev, NvmlLibrary.NVML_TEMPERATURE_GPU, temp)));
    IntByReference power = new IntByReference();
    boolean powerOk =
        ok(index, "nvmlDeviceGetPowerUsage", call(() -> nvml.nvmlDeviceGetPowerUsage(dev, power)));
    IntByReference limit = new IntByReference();
    boolean limitOk =
        ok(
            index,
            "nvmlDeviceGetEnforcedPowerLimit",
            call(() -> nvml.nvmlDeviceGetEnforcedPowerLimit(dev, limit)));
    LongByReference ecc = new LongByReference();
    boolean eccOk =
        ok(
            index,
            "nvmlDeviceGetTotalEccErrors",
            call(
                () ->
                    nvml.nvmlDeviceGetTotalEccErrors(
                        dev,
                        NvmlLibrary.NVML_MEMORY_ERROR_TYPE_UNCORRECTED,
                        NvmlLibrary.NVML_VOLATILE_ECC,
                        ecc)));
    LongByReference throttle = new LongByReference();
    boolean throttleOk =
        ok(
            index,
            "nvmlDeviceGetCurrentClocksThrottleReasons",
            call(() -> nvml.nvmlDeviceGetCurrentClocksThrottleReasons(dev, throttle)));

    return new GpuMetrics(
        index,
        uuid,
        name,
        utilOk ? percentRatio(util.gpu) : null,
        utilOk ? percentRatio(util.memory) : null,
        memOk ? unsignedOrNull(mem.total) : null,
        memOk ? unsignedOrNull(mem.used) : null,
        tempOk ? (double) Integer.toUnsignedLong(temp.getValue()) : null,
        powerOk ? Integer.toUnsignedLong(power.getValue()) / 1000.0 : null,
        limitOk ? Integer.toUnsignedLong(limit.getValue()) / 1000.0 : null,
        eccOk ? unsignedOrNull(ecc.getValue()) : null,
        throttleOk ? throttle.getValue() : null,
        throttleOk ? ThrottleReasons.names(throttle.getValue()) : List.of(),
        xids);
  }

  /** A symbol the installed driver lacks answers like an unsupported field. */
  private static final int MISSING_SYMBOL = -1;

  private interface NvmlCall {
    int run();
  }

  private int call(NvmlCall c) {
    try {
      return c.run();
    } catch (UnsatisfiedLinkError e) {
      LOG.debug("NVML symbol missing: {}", e.getMessage());
      return MISSING_SYMBOL;
    }
  }

  private boolean ok(int index, String function, int rc) {
    if (rc == NvmlLibrary.NVML_SUCCESS) {
      return true;
    }
    if (rc != NvmlLibrary.NVML_ERROR_NOT_SUPPORTED && rc != MISSING_SYMBOL) {
      LOG.debug("GPU {}: {}: {}", index, function, error(rc));
    }
    return false;
  }

  private String error(int rc) {
    return errorString(nvml, rc) + " (" + rc + ")";
  }

  static String errorString(NvmlLibrary nvml, int rc) {
    try {
      String s = nvml.nvmlErrorString(rc);
      return s == null ? "NVML error " + rc : s;
    } catch (LinkageError | RuntimeException e) {
      return "NVML error " + rc;
    }
  }

  /** A percentage as a ratio; values NVML should never give (> 100 %) are not reported. */
  static Double percentRatio(int percent) {
    long p = Integer.toUnsignedLong(percent);
    return p > 100 ? null : p / 100.0;
  }

  /** An unsigned 64-bit count, or null above 2^63 where a Java long cannot hold it. */
  static Long unsignedOrNull(long v) {
    return v < 0 ? null : v;
  }

  /** The text before the first NUL of a C char buffer. */
  static String cString(byte[] buf) {
    int n = 0;
    while (n < buf.length && buf[n] != 0) {
      n++;
    }
    return new String(buf, 0, n, StandardCharsets.UTF_8);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s.length() > 128 ? s.substring(0, 128) : s;
  }

  static String clip(String reason) {
    return reason.length() <= 1024 ? reason : reason.substring(0, 1021) + "...";
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (eventSet != null) {
        int rc = nvml.nvmlEventSetFree(eventSet);
        if (rc != NvmlLibrary.NVML_SUCCESS) {
          LOG.debug("nvmlEventSetFree: {}", error(rc));
        }
      }
    } finally {
      int rc = nvml.nvmlShutdown();
      if (rc != NvmlLibrary.NVML_SUCCESS) {
        LOG.warn("nvmlShutdown: {}", error(rc));
      }
    }
  }
}

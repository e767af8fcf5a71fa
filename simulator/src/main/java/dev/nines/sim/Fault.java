package dev.nines.sim;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/**
 * One fault to inject into a simulated model server, as posted to {@code POST /sim/fault}.
 *
 * <p>Fields that a mode does not use must be null; {@code gpu} null means every GPU of the server.
 * Use the factory methods; the constructor checks every combination and names the field at fault.
 *
 * @param mode what goes wrong
 * @param latencyMs {@code slow}: latency added to every inference request, 0..600000
 * @param rate {@code errors}: share of inference requests answered with a 500, 0..1
 * @param gpu {@code gpu-*}: the GPU index, or null for all of them
 * @param count {@code gpu-ecc}: uncorrectable ECC errors to add, 1..1000000
 * @param xid {@code gpu-xid}: the XID code to deliver, 1..1000
 * @param durationMs how long the fault lasts before it clears itself, or null for until cleared
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Fault(
    Mode mode,
    Long latencyMs,
    Double rate,
    Integer gpu,
    Integer count,
    Integer xid,
    Long durationMs) {

  /** Longest added latency and longest duration accepted, in milliseconds. */
  public static final long MAX_LATENCY_MS = 600_000;

  public static final long MAX_DURATION_MS = 7L * 24 * 3600 * 1000;

  /** The kinds of fault, by the name used on the wire. */
  public enum Mode {
    NONE("none"),
    SLOW("slow"),
    ERRORS("errors"),
    HANG("hang"),
    DOWN("down"),
    GPU_HOT("gpu-hot"),
    GPU_ECC("gpu-ecc"),
    GPU_LOST("gpu-lost"),
    GPU_XID("gpu-xid");

    private final String wireName;

    Mode(String wireName) {
      this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
      return wireName;
    }

    /** Whether this mode acts on the simulated GPUs rather than on the model server. */
    public boolean isGpu() {
      return this == GPU_HOT || this == GPU_ECC || this == GPU_LOST || this == GPU_XID;
    }

    public static Optional<Mode> fromWireName(String name) {
      return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
    }
  }

  public Fault {
    if (mode == null) {
      throw new IllegalArgumentException("mode is required");
    }
    onlyFor("latencyMs", latencyMs, mode == Mode.SLOW);
    onlyFor("rate", rate, mode == Mode.ERRORS);
    onlyFor("gpu", gpu, mode.isGpu());
    onlyFor("count", count, mode == Mode.GPU_ECC);
    onlyFor("xid", xid, mode == Mode.GPU_XID);
    if (mode == Mode.SLOW && (latencyMs == null || latencyMs < 0 || latencyMs > MAX_LATENCY_MS)) {
      throw new IllegalArgumentException(
          "latencyMs must be between 0 and " + MAX_LATENCY_MS + " for slow (was " + latencyMs + ")");
    }
    if (mode == Mode.ERRORS && (rate == null || !(rate >= 0.0 && rate <= 1.0))) {
      throw new IllegalArgumentException(
          "rate must be between 0 and 1 for errors (was " + rate + ")");
    }
    if (gpu != null && (gpu < 0 || gpu >= SimConfig.MAX_GPUS)) {
      throw new IllegalArgumentException(
          "gpu must be between 0 and " + (SimConfig.MAX_GPUS - 1) + " (was " + gpu + ")");
    }
    if (mode == Mode.GPU_ECC && (count == null || count < 1 || count > 1_000_000)) {
      throw new IllegalArgumentException("count must be between 1 and 1000000 (was " + count + ")");
    }
    if (mode == Mode.GPU_XID && (xid == null || xid < 1 || xid > 1000)) {
      throw new IllegalArgumentException("xid must be between 1 and 1000 (was " + xid + ")");
    }
    if (durationMs != null) {
      if (mode == Mode.NONE || mode == Mode.GPU_XID) {
        throw new IllegalArgumentException("durationMs does not apply to " + mode.wireName());
      }
      if (durationMs < 1 || durationMs > MAX_DURATION_MS) {
        throw new IllegalArgumentException(
            "durationMs must be between 1 and " + MAX_DURATION_MS + " (was " + durationMs + ")");
      }
    }
  }

  private static void onlyFor(String field, Object value, boolean applies) {
    if (value != null && !applies) {
      throw new IllegalArgumentException(field + " does not apply to this mode");
    }
  }

  /** Clears every fault (and resets the simulated GPUs' error counters). */
  public static Fault none() {
    return new Fault(Mode.NONE, null, null, null, null, null, null);
  }

  public static Fault slow(long latencyMs) {
    return new Fault(Mode.SLOW, latencyMs, null, null, null, null, null);
  }

  public static Fault errors(double rate) {
    return new Fault(Mode.ERRORS, null, rate, null, null, null, null);
  }

  public static Fault hang() {
    return new Fault(Mode.HANG, null, null, null, null, null, null);
  }

  public static Fault down() {
    return new Fault(Mode.DOWN, null, null, null, null, null, null);
  }

  /** @param gpu a GPU index, or null for all */
  public static Fault gpuHot(Integer gpu) {
    return new Fault(Mode.GPU_HOT, null, null, gpu, null, null, null);
  }

  /** @param gpu a GPU index, or null for all */
  public static Fault gpuEcc(Integer gpu, int count) {
    return new Fault(Mode.GPU_ECC, null, null, gpu, count, null, null);
  }

  /** @param gpu a GPU index, or null for all */
  public static Fault gpuLost(Integer gpu) {
    return new Fault(Mode.GPU_LOST, null, null, gpu, null, null, null);
  }

  /** @param gpu a GPU index, or null for all */
  public static Fault gpuXid(Integer gpu, int xid) {
    return new Fault(Mode.GPU_XID, null, null, gpu, null, xid, null);
  }

  /** This fault, clearing itself after {@code ms} milliseconds. */
  public Fault withDurationMs(long ms) {
    return new Fault(mode, latencyMs, rate, gpu, count, xid, ms);
  }

  /** Whether this fault acts on GPU {@code index}. */
  boolean targets(int index) {
    return gpu == null || gpu == index;
  }
}

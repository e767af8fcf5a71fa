package dev.nines.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The faults active on one server at one moment: an immutable value, changed only by returning a
 * new book. Every question takes {@code nowMs} and ignores faults that have expired by then, so the
 * book needs no timer to be right; a timer only tidies up and acts on the edges (release hung
 * requests, listen again).
 *
 * @param active faults in force, oldest first
 * @param pendingXids XID events waiting for the next read of the GPUs
 */
record FaultBook(List<ActiveFault> active, List<PendingXid> pendingXids) {

  /** Most XID events kept waiting for a reader; older ones are dropped. */
  static final int MAX_PENDING_XIDS = 256;

  static final FaultBook EMPTY = new FaultBook(List.of(), List.of());

  FaultBook {
    active = List.copyOf(active);
    pendingXids = List.copyOf(pendingXids);
  }

  /**
   * One fault in force.
   *
   * @param fault what was posted
   * @param sinceMs when it was applied, epoch ms
   * @param untilMs when it clears itself, epoch ms, or null for never
   */
  record ActiveFault(Fault fault, long sinceMs, Long untilMs) {
    boolean liveAt(long nowMs) {
      return untilMs == null || nowMs < untilMs;
    }
  }

  /** An XID event not yet delivered. */
  record PendingXid(int gpu, int xid, long atMs) {}

  /** The book after {@code fault} is applied at {@code nowMs}. */
  FaultBook apply(Fault fault, long nowMs, int gpuCount) {
    FaultBook live = prune(nowMs);
    switch (fault.mode()) {
      case NONE:
        return EMPTY;
      case GPU_XID: {
        List<PendingXid> xids = new ArrayList<>(live.pendingXids);
        for (int g = 0; g < gpuCount; g++) {
          if (fault.targets(g)) {
            xids.add(new PendingXid(g, fault.xid(), nowMs));
          }
        }
        while (xids.size() > MAX_PENDING_XIDS) {
          xids.remove(0);
        }
        return new FaultBook(live.active, xids);
      }
      default: {
        Long until = fault.durationMs() == null ? null : nowMs + fault.durationMs();
        List<ActiveFault> next = new ArrayList<>();
        for (ActiveFault a : live.active) {
          // A new fault of the same kind on the same target replaces the old one; ECC errors add up.
          boolean replaced = a.fault().mode() == fault.mode()
              && fault.mode() != Fault.Mode.GPU_ECC
              && java.util.Objects.equals(a.fault().gpu(), fault.gpu());
          if (!replaced) {
            next.add(a);
          }
        }
        next.add(new ActiveFault(fault, nowMs, until));
        return new FaultBook(next, live.pendingXids);
      }
    }
  }

  /** The book without the faults that have expired by {@code nowMs}. */
  FaultBook prune(long nowMs) {
    if (active.stream().allMatch(a -> a.liveAt(nowMs))) {
      return this;
    }
    return new FaultBook(active.stream().filter(a -> a.liveAt(nowMs)).toList(), pendingXids);
  }

  /** The book after the XID events of the visible GPUs were delivered. */
  FaultBook withoutXids() {
    return pendingXids.isEmpty() ? this : new FaultBook(active, List.of());
  }

  List<ActiveFault> liveAt(long nowMs) {
    return active.stream().filter(a -> a.liveAt(nowMs)).toList();
  }

  long extraLatencyMs(long nowMs) {
    return live(nowMs, Fault.Mode.SLOW).stream().mapToLong(a -> a.fault().latencyMs()).sum();
  }

  double errorRate(long nowMs) {
    return live(nowMs, Fault.Mode.ERRORS).stream()
        .mapToDouble(a -> a.fault().rate())
        .max()
        .orElse(0.0);
  }

  boolean hang(long nowMs) {
    return !live(nowMs, Fault.Mode.HANG).isEmpty();
  }

  boolean down(long nowMs) {
    return !live(nowMs, Fault.Mode.DOWN).isEmpty();
  }

  boolean hot(int gpu, long nowMs) {
    return live(nowMs, Fault.Mode.GPU_HOT).stream().anyMatch(a -> a.fault().targets(gpu));
  }

  boolean lost(int gpu, long nowMs) {
    return live(nowMs, Fault.Mode.GPU_LOST).stream().anyMatch(a -> a.fault().targets(gpu));
  }

  long eccErrors(int gpu, long nowMs) {
    return live(nowMs, Fault.Mode.GPU_ECC).stream()
        .filter(a -> a.fault().targets(gpu))
        .mapToLong(a -> a.fault().count())
        .sum();
  }

  List<PendingXid> xidsFor(int gpu) {
    return pendingXids.stream().filter(x -> x.gpu() == gpu).toList();
  }

  /** The earliest moment after {@code nowMs} when a fault clears itself, if any. */
  OptionalLong nextExpiryAfter(long nowMs) {
    return active.stream()
        .filter(a -> a.untilMs() != null && a.untilMs() > nowMs)
        .mapToLong(ActiveFault::untilMs)
        .min();
  }

  private List<ActiveFault> live(long nowMs, Fault.Mode mode) {
    return active.stream().filter(a -> a.fault().mode() == mode && a.liveAt(nowMs)).toList();
  }
}

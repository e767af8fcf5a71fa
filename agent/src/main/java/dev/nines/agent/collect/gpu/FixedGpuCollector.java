package dev.nines.agent.collect.gpu;

import dev.nines.protocol.GpuSection;
import java.util.Objects;

/** Answers the same section every time: GPU collection off, or a driver that could not start. */
final class FixedGpuCollector implements GpuCollector {
  private final GpuSection section;

  FixedGpuCollector(GpuSection section) {
    this.section = Objects.requireNonNull(section, "section");
  }

  @Override
  public GpuSection collect() {
    return section;
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "FixedGpuCollector[" + section.source() + ": " + section.unavailableReason() + "]";
  }
}

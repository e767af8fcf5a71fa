package dev.nines.server.health;

/** The stable ids of the health rules, as carried by findings, changes, events and incidents. */
public final class RuleIds {
  public static final String STALE = "stale";
  public static final String GENERATION_FAILURES = "generation-failures";
  public static final String ERROR_RATIO = "error-ratio";
  public static final String LATENCY_ABSOLUTE = "latency-absolute";
  public static final String LATENCY_VS_POOL = "latency-vs-pool";
  public static final String GPU_TEMPERATURE = "gpu-temperature";
  public static final String GPU_ECC = "gpu-ecc";
  public static final String GPU_XID = "gpu-xid";
  public static final String GPU_LOST = "gpu-lost";
  public static final String MEMORY = "memory";

  private RuleIds() {}
}

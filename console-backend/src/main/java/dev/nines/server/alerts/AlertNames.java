package dev.nines.server.alerts;

/** The built-in alert rules' names (the {@code alertname} label). */
public final class AlertNames {
  public static final String HOST_DOWN = "host-down";
  public static final String HOST_UNHEALTHY = "host-unhealthy";
  public static final String HOST_DEGRADED = "host-degraded";
  public static final String POOL_CAPACITY = "pool-capacity";
  public static final String POOL_REDUNDANCY = "pool-redundancy";
  public static final String SLO_FAST_BURN = "slo-fast-burn";
  public static final String SLO_SLOW_BURN = "slo-slow-burn";
  public static final String GPU_HOT = "gpu-hot";
  public static final String GPU_FAULT = "gpu-fault";
  public static final String GPU_LOST = "gpu-lost";
  public static final String LATENCY_HIGH = "latency-high";
  public static final String ERROR_RATIO_HIGH = "error-ratio-high";
  public static final String AUTO_ACTION = "auto-action";
  public static final String AUTO_ACTION_REFUSED = "auto-action-refused";
  public static final String RECEIVER_DEAD_LETTERING = "receiver-dead-lettering";

  private AlertNames() {}
}

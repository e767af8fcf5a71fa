package dev.nines.console.actions;

import java.util.Locale;

/** The operator actions the console confirms: three on a host, one on a pool. */
public enum ActionKind {
  DRAIN("Drain", "DRAINED"),
  UNDRAIN("Undrain", "ACTIVE"),
  MAINTENANCE("Maintenance", "MAINTENANCE"),
  FAILOVER("Fail over", null);

  private final String label;
  private final String settledState;

  ActionKind(String label, String settledState) {
    this.label = label;
    this.settledState = settledState;
  }

  /** The button's and dialog's word ("Drain"). */
  public String label() {
    return label;
  }

  /** The routing state a host reaches when the action is complete, or null for a failover. */
  public String settledState() {
    return settledState;
  }

  /** Whether the action is on a pool (failover) rather than a host. */
  public boolean onPool() {
    return this == FAILOVER;
  }

  /** Lower case, for sentences. */
  public String word() {
    return label.toLowerCase(Locale.ROOT);
  }
}

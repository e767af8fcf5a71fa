package dev.nines.server.availability;

import java.util.OptionalDouble;

/**
 * The burn rate over one window ending at {@code now}: (1 - availability) / error budget. 1 spends
 * the budget exactly over the period; empty when the window's availability is not available.
 */
public record BurnRate(BurnWindow window, OptionalDouble rate) {
  public BurnRate {
    if (window == null) {
      throw new IllegalArgumentException("window is required");
    }
    if (rate == null) {
      throw new IllegalArgumentException("rate is required");
    }
  }
}

package dev.nines.server.alerts;

import java.time.Instant;

/** Reads what the alert rules look at (hosts and pools; the engine adds the receivers' dead letters). */
@FunctionalInterface
public interface AlertSource {
  AlertInputs read(Instant now);
}

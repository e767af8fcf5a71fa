package dev.nines.console.alerts;

import dev.nines.console.client.Alert;

/**
 * One line of the alerts table, written for people.
 *
 * @param since how long it has been in its state ("3m 20s")
 * @param ack "alice: looking" or ""
 * @param suppressedBy the silences or maintenance windows that keep it quiet, or ""
 */
public record AlertRow(
    String fingerprint, String state, String alertname, String severity, String labels, String summary, String since,
    String ack, String suppressedBy, Alert alert) {}

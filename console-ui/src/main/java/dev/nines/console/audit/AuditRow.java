package dev.nines.console.audit;

import dev.nines.console.client.AuditEntry;

/** One line of the audit log, written for people: who ("alice (token:3)"), what, on what, details. */
public record AuditRow(String id, String at, String actor, String action, String target, String detail, AuditEntry entry) {}

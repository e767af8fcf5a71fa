package dev.nines.console.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One line of the audit log.
 *
 * @param at epoch ms
 * @param actor {@code token:<id>}, {@code cli:<user>} or {@code system}
 * @param actorName the token's name, or null
 * @param action dotted lower case, e.g. {@code routing.draining}
 * @param target what it acted on
 * @param detail a JSON object
 */
public record AuditEntry(String id, long at, String actor, String actorName, String action, String target, JsonNode detail) {}

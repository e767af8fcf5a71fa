/**
 * The agent's own small JSON codec: a strict, bounded reader ({@link JsonReader}), a writer
 * ({@link JsonWriter}) and the mapping of the wire records ({@link WireJson}). It replaces
 * jackson-databind in the agent, whose ~500 classes cost several MiB of the agent's 64 MiB
 * resident budget; the tests cross-check every record against Jackson.
 */
package dev.nines.agent.json;

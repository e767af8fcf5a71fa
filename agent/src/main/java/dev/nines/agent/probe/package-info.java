/**
 * Model-server probes: a health GET, a one-token OpenAI-compatible generation request and a scrape
 * of the server's Prometheus page, turned into an {@code EndpointReport} per agent interval.
 *
 * <p>Start reading at {@link dev.nines.agent.probe.EndpointProbe} (the I/O) and {@code
 * Recognisers} / {@code Intervals} (the pure figures). {@link dev.nines.agent.probe.PromText} is a
 * tolerant parser for the Prometheus text format.
 */
package dev.nines.agent.probe;

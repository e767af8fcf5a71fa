package dev.nines.agent.collect.host;

/**
 * Cumulative counters of one network interface at one moment, as the kernel keeps them.
 *
 * @param rxBytes bytes received since the counter started
 * @param txBytes bytes sent
 * @param rxErrors receive errors
 * @param txErrors send errors
 */
record NetCounters(long rxBytes, long txBytes, long rxErrors, long txErrors) {}

package dev.nines.server.routing;

/**
 * What the capacity guard says of taking one host out of rotation.
 *
 * @param allowed the pool keeps at least {@code required} members in rotation afterwards (or the
 *     host was not in rotation)
 * @param activeNow members in rotation (routing ACTIVE) now
 * @param activeAfter members in rotation afterwards
 * @param required members the guard requires
 * @param reason a sentence for people
 */
public record GuardVerdict(boolean allowed, int activeNow, int activeAfter, int required, String reason) {}

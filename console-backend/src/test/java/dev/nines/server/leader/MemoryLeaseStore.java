package dev.nines.server.leader;

import java.util.HashMap;
import java.util.Map;

/**
 * The lease row's rules (as the SQL store applies them) over a map, for the state machine's tests;
 * {@link #down} makes every call fail as a lost database connection would.
 */
public final class MemoryLeaseStore implements LeaseStore {
  private final Map<String, Lease> rows = new HashMap<>();
  volatile boolean down;
  int calls;

  @Override
  public synchronized Lease acquire(String name, String holder, String url, long token, long nowMs, long ttlMs) {
    calls++;
    if (down) {
      throw new IllegalStateException("connection refused");
    }
    Lease l = rows.get(name);
    if (l == null) {
      l = new Lease(name, holder, url, 1, nowMs, nowMs + ttlMs);
    } else if (l.holder().equals(holder) && l.token() == token && nowMs < l.expiresAtMs()) {
      l = new Lease(name, holder, url, token, l.acquiredAtMs(), nowMs + ttlMs);
    } else if (nowMs >= l.expiresAtMs()) {
      l = new Lease(name, holder, url, l.token() + 1, nowMs, nowMs + ttlMs);
    }
    rows.put(name, l);
    return l;
  }

  @Override
  public synchronized boolean release(String name, String holder, long token, long nowMs) {
    if (down) {
      throw new IllegalStateException("connection refused");
    }
    Lease l = rows.get(name);
    if (l == null || !l.holder().equals(holder) || l.token() != token) {
      return false;
    }
    rows.put(name, new Lease(name, holder, l.holderUrl(), token, l.acquiredAtMs(), Math.max(l.acquiredAtMs(), nowMs)));
    return true;
  }

  synchronized Lease row(String name) {
    return rows.get(name);
  }
}

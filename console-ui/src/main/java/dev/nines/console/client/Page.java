package dev.nines.console.client;

import java.util.List;

/**
 * One page of a list that grows (incidents, alerts, silences, audit), newest first.
 *
 * @param items this page
 * @param nextCursor pass it to get the next page; null on the last page
 */
public record Page<T>(List<T> items, String nextCursor) {
  public Page {
    items = items == null ? List.of() : List.copyOf(items);
  }

  /** Whether another page follows. */
  public boolean hasMore() {
    return nextCursor != null;
  }
}

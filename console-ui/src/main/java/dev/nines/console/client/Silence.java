package dev.nines.console.client;

import java.util.List;

/**
 * A silence of alerts; times epoch ms.
 *
 * @param matchers e.g. {@code pool=chat}, {@code alertname=~host-.*}
 * @param state as the server judged it when answering (e.g. {@code active}, {@code expired})
 */
public record Silence(
    String id, List<String> matchers, String author, String comment, long startsAt, long endsAt, long createdAt,
    String state) {
  public Silence {
    matchers = matchers == null ? List.of() : List.copyOf(matchers);
  }
}

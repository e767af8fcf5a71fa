package dev.nines.server.notify;

import java.util.List;
import java.util.Map;

/** The configured receivers as the alert engine sees them, and how their deliveries fare. */
public interface Receivers {
  /** Every receiver, enabled or not, ordered by id. */
  List<ReceiverSpec> all();

  /**
   * Messages dead-lettered and not re-driven, by receiver id (receivers without any left out): the
   * alert engine fires "receiver dead-lettering" while a receiver has any.
   */
  Map<String, Integer> deadLetters();
}

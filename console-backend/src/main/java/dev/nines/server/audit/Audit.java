package dev.nines.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.nines.server.store.AuditQuery;
import dev.nines.server.store.AuditRecord;
import dev.nines.server.store.Store;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audit log: every change a person or the server makes to tokens, routing, pools and the like
 * is recorded here with who, what, to what and the particulars. A line is durable when {@link
 * #record} returns. Safe for concurrent use.
 */
public final class Audit {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  private final Store store;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final AtomicLong sequence = new AtomicLong();

  public Audit(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Records one action now.
   *
   * @param actor who did it
   * @param action dotted lower case, e.g. {@code token.create}, {@code host.drain}
   * @param target what it was done to (a token, host or pool id); null for nothing in particular
   * @param detail the particulars (serialized to a JSON object; keys sorted); null for none
   * @return the stored line
   * @throws IllegalArgumentException when the detail cannot be written as JSON or a field is missing
   */
  public AuditRecord record(Actor actor, String action, String target, Map<String, ?> detail) {
    if (actor == null) {
      throw new IllegalArgumentException("actor is required");
    }
    if (action == null || !action.matches("[a-z][a-z0-9_.-]{0,63}")) {
      throw new IllegalArgumentException("action must be dotted lower case, at most 64 characters (was '" + action + "')");
    }
    String json;
    try {
      json = JSON.writeValueAsString(detail == null ? Map.of() : detail);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("detail cannot be written as JSON: " + e.getOriginalMessage(), e);
    }
    long at = clock.millis();
    byte[] salt = new byte[3];
    random.nextBytes(salt);
    // Lines are read back by (time, id): the id grows with each line of this process, so lines of
    // the same millisecond keep their order; the salt keeps ids of different processes apart.
    String id = String.format("aud_%013d_%012x_%s", at, sequence.incrementAndGet(), HexFormat.of().formatHex(salt));
    AuditRecord r =
        new AuditRecord(
            id, at, actor.id(), actor.name(), action,
            target == null ? "" : target, json);
    store.addAudit(r);
    return r;
  }

  /** Lines matching the query, newest first. */
  public List<AuditRecord> list(AuditQuery query) {
    return store.audit(query);
  }
}

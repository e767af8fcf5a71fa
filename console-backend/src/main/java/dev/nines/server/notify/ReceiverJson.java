package dev.nines.server.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nines.server.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A {@link ReceiverSpec} as JSON: field names are the record's component names, durations are
 * strings ({@code "30s"}, {@code "5m"}), matchers strings ({@code "pool=chat"}). Three forms: the
 * stored one (secrets included), the API's view (no secret or routing key, only {@code secretSet}
 * and {@code routingKeySet}) and what a caller sends. Pure.
 */
public final class ReceiverJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS =
      Set.of(
          "id", "kind", "url", "secret", "routingKey", "matchers", "groupBy", "groupWait", "groupInterval",
          "repeatInterval", "timeout", "concurrency", "maxAge", "enabled");

  private ReceiverJson() {}

  /**
   * Reads what a caller sent.
   *
   * @param body the JSON object
   * @param pathId the id from the URL, or null on creation (then the body's {@code id} is used)
   * @param previous the receiver being replaced, or null: when {@code secret} (or {@code routingKey})
   *     is left out of the body, the previous one is kept (the API never shows it, so a client
   *     cannot send it back); an explicit null removes it
   * @throws IllegalArgumentException naming the offending field
   */
  public static ReceiverSpec parse(JsonNode body, String pathId, ReceiverSpec previous) {
    if (body == null || !body.isObject()) {
      throw new IllegalArgumentException("body must be a JSON object");
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new IllegalArgumentException(f + " is not a receiver field (known: " + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")");
      }
    }
    String id = optText(body, "id");
    if (pathId != null) {
      if (id != null && !id.equals(pathId)) {
        throw new IllegalArgumentException("id '" + id + "' differs from the id in the path '" + pathId + "'");
      }
      id = pathId;
    }
    if (id == null) {
      throw new IllegalArgumentException("id is required");
    }
    String kindText = optText(body, "kind");
    if (kindText == null) {
      throw new IllegalArgumentException("kind is required (webhook, alertmanager, slack, pagerduty, teams)");
    }
    ReceiverSpec.Kind kind = ReceiverSpec.Kind.parse(kindText);
    String url = optText(body, "url");
    if (url == null) {
      throw new IllegalArgumentException("url is required");
    }
    String secret = body.has("secret") ? optText(body, "secret") : previous == null ? null : previous.secret();
    String routingKey =
        body.has("routingKey") ? optText(body, "routingKey") : previous == null ? null : previous.routingKey();
    if (kind != ReceiverSpec.Kind.PAGERDUTY && !body.has("routingKey")) {
      routingKey = null; // a receiver changed away from pagerduty drops the key it kept
    }
    List<Matcher> matchers = new ArrayList<>();
    for (String m : optStrings(body, "matchers")) {
      try {
        matchers.add(Matcher.parse(m));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("matchers: " + e.getMessage(), e);
      }
    }
    List<String> groupBy = body.has("groupBy") && !body.get("groupBy").isNull() ? optStrings(body, "groupBy") : null;
    int concurrency = ReceiverSpec.DEFAULT_CONCURRENCY;
    JsonNode c = body.get("concurrency");
    if (c != null && !c.isNull()) {
      if (!c.isInt()) {
        throw new IllegalArgumentException("concurrency must be a whole number (was " + c + ")");
      }
      concurrency = c.intValue();
    }
    boolean enabled = true;
    JsonNode e = body.get("enabled");
    if (e != null && !e.isNull()) {
      if (!e.isBoolean()) {
        throw new IllegalArgumentException("enabled must be true or false (was " + e + ")");
      }
      enabled = e.booleanValue();
    }
    return new ReceiverSpec(
        id, kind, url, secret, routingKey, matchers, groupBy, duration(body, "groupWait"),
        duration(body, "groupInterval"), duration(body, "repeatInterval"), duration(body, "timeout"),
        concurrency, duration(body, "maxAge"), enabled);
  }

  /** The stored form, secrets included. */
  public static String toStorage(ReceiverSpec r) {
    ObjectNode o = common(r);
    o.put("secret", r.secret());
    o.put("routingKey", r.routingKey());
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("cannot write a receiver as JSON", ex);
    }
  }

  /** Reads the stored form. */
  public static ReceiverSpec fromStorage(String json) {
    try {
      return parse(JSON.readTree(json), null, null);
    } catch (JsonProcessingException ex) {
      throw new IllegalArgumentException("stored receiver is not JSON: " + ex.getOriginalMessage(), ex);
    }
  }

  /** What the API shows: never the secret or the routing key, only whether they are set. */
  public static ObjectNode view(ReceiverSpec r) {
    ObjectNode o = common(r);
    o.put("secretSet", r.secret() != null);
    o.put("routingKeySet", r.routingKey() != null);
    return o;
  }

  private static ObjectNode common(ReceiverSpec r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", r.id());
    o.put("kind", r.kind().wire());
    o.put("url", r.url());
    ArrayNode m = o.putArray("matchers");
    for (Matcher x : r.matchers()) {
      m.add(x.label() + x.op().text() + x.value());
    }
    ArrayNode g = o.putArray("groupBy");
    r.groupBy().forEach(g::add);
    o.put("groupWait", Durations.format(r.groupWait()));
    o.put("groupInterval", Durations.format(r.groupInterval()));
    o.put("repeatInterval", Durations.format(r.repeatInterval()));
    o.put("timeout", Durations.format(r.timeout()));
    o.put("concurrency", r.concurrency());
    o.put("maxAge", Durations.format(r.maxAge()));
    o.put("enabled", r.enabled());
    return o;
  }

  private static String optText(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string (was " + v + ")");
    }
    return v.asText();
  }

  private static List<String> optStrings(JsonNode body, String field) {
    JsonNode v = body.get(field);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException(field + " must be a list of strings (was " + v + ")");
    }
    for (JsonNode x : v) {
      if (!x.isTextual()) {
        throw new IllegalArgumentException(field + " must be a list of strings (holds " + x + ")");
      }
      out.add(x.asText());
    }
    return out;
  }

  private static Duration duration(JsonNode body, String field) {
    String t = optText(body, field);
    return t == null ? null : Durations.parse(field, t);
  }
}

package dev.nines.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Set;

/** Parses the body of {@code POST /sim/fault}. Pure: text in, {@link Fault} or {@link BadRequest} out. */
final class FaultJson {
  static final int DEFAULT_ECC_COUNT = 1;
  static final int DEFAULT_XID = 79;

  private static final Set<String> FIELDS =
      Set.of("mode", "latencyMs", "rate", "gpu", "count", "xid", "durationMs");

  private FaultJson() {}

  static Fault parse(ObjectMapper mapper, String body) {
    JsonNode root;
    try {
      root = mapper.readTree(body == null ? "" : body);
    } catch (JsonProcessingException e) {
      throw new BadRequest("invalid fault", "body is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new BadRequest("invalid fault", "body must be a JSON object like {\"mode\": \"slow\"}");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!FIELDS.contains(name)) {
        throw new BadRequest("invalid fault", "unknown field " + name);
      }
    }
    JsonNode modeNode = root.get("mode");
    if (modeNode == null || !modeNode.isTextual()) {
      throw new BadRequest("invalid fault", "mode is required: one of " + modeNames());
    }
    Fault.Mode mode =
        Fault.Mode.fromWireName(modeNode.asText())
            .orElseThrow(
                () ->
                    new BadRequest(
                        "unknown fault mode",
                        "mode " + modeNode.asText() + " is not one of " + modeNames()));
    Integer count = intField(root, "count");
    Integer xid = intField(root, "xid");
    if (mode == Fault.Mode.GPU_ECC && count == null) {
      count = DEFAULT_ECC_COUNT;
    }
    if (mode == Fault.Mode.GPU_XID && xid == null) {
      xid = DEFAULT_XID;
    }
    try {
      return new Fault(
          mode,
          longField(root, "latencyMs"),
          doubleField(root, "rate"),
          intField(root, "gpu"),
          count,
          xid,
          longField(root, "durationMs"));
    } catch (IllegalArgumentException e) {
      throw new BadRequest("invalid fault", e.getMessage());
    }
  }

  private static String modeNames() {
    StringBuilder sb = new StringBuilder();
    for (Fault.Mode m : Fault.Mode.values()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(m.wireName());
    }
    return sb.toString();
  }

  private static Long longField(JsonNode root, String name) {
    JsonNode n = root.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new BadRequest("invalid fault", name + " must be a whole number (was " + n + ")");
    }
    return n.longValue();
  }

  private static Integer intField(JsonNode root, String name) {
    JsonNode n = root.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw new BadRequest("invalid fault", name + " must be a whole number (was " + n + ")");
    }
    return n.intValue();
  }

  private static Double doubleField(JsonNode root, String name) {
    JsonNode n = root.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isNumber()) {
      throw new BadRequest("invalid fault", name + " must be a number (was " + n + ")");
    }
    return n.doubleValue();
  }
}

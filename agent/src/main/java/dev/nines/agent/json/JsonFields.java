package dev.nines.agent.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed access to the fields of one parsed JSON object ({@link JsonReader} tree). Unknown fields
 * are ignored; a missing field or an explicit {@code null} gives null. Primitives come in two
 * kinds, as Jackson's {@code FAIL_ON_NULL_FOR_PRIMITIVES} on or off: required ({@code
 * longValue(name)}: missing or null is an error) or defaulted ({@code longValue(name, ifAbsent)}).
 * A value of the wrong type is a {@link JsonException} naming the field by its path ({@code
 * gpus[0].index}).
 */
public final class JsonFields {
  private final Map<?, ?> map;
  private final String path;

  private JsonFields(Map<?, ?> map, String path) {
    this.map = map;
    this.path = path;
  }

  /**
   * The fields of {@code tree}, which must be an object.
   *
   * @param what what the document is, for the error message ("ReportReply")
   * @throws JsonException when {@code tree} is not an object
   */
  public static JsonFields of(Object tree, String what) {
    if (!(tree instanceof Map<?, ?> map)) {
      throw new JsonException(what + " must be a JSON object (was " + kind(tree) + ")", -1);
    }
    return new JsonFields(map, "");
  }

  /** Whether the field is present with a non-null value. */
  public boolean has(String name) {
    return map.get(name) != null;
  }

  /** A string field, or null. */
  public String string(String name) {
    Object v = map.get(name);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw wrong(name, "a string", v);
  }

  /** An integer field, or null. */
  public Long optionalLong(String name) {
    Object v = map.get(name);
    if (v == null || v instanceof Long) {
      return (Long) v;
    }
    throw wrong(name, "an integer", v);
  }

  /** An integer field that must be present and not null. */
  public long longValue(String name) {
    return required(name, optionalLong(name));
  }

  /** An integer field; {@code ifAbsent} when missing or null. */
  public long longValue(String name, long ifAbsent) {
    Long v = optionalLong(name);
    return v == null ? ifAbsent : v;
  }

  /** An integer field in the int range, or null. */
  public Integer optionalInt(String name) {
    Long v = optionalLong(name);
    if (v == null) {
      return null;
    }
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new JsonException(
          "field '" + path(name) + "' must be a 32-bit integer (was " + v + ")", -1);
    }
    return v.intValue();
  }

  /** An integer field in the int range that must be present and not null. */
  public int intValue(String name) {
    return required(name, optionalInt(name));
  }

  /** An integer field in the int range; {@code ifAbsent} when missing or null. */
  public int intValue(String name, int ifAbsent) {
    Integer v = optionalInt(name);
    return v == null ? ifAbsent : v;
  }

  /** A number field (integer or not), or null. */
  public Double optionalDouble(String name) {
    Object v = map.get(name);
    if (v == null) {
      return null;
    }
    if (v instanceof Double d) {
      return d;
    }
    if (v instanceof Long l) {
      return l.doubleValue();
    }
    throw wrong(name, "a number", v);
  }

  /** A number field that must be present and not null. */
  public double doubleValue(String name) {
    return required(name, optionalDouble(name));
  }

  /** A number field; {@code ifAbsent} when missing or null. */
  public double doubleValue(String name, double ifAbsent) {
    Double v = optionalDouble(name);
    return v == null ? ifAbsent : v;
  }

  /** A boolean field, or null. */
  public Boolean optionalBool(String name) {
    Object v = map.get(name);
    if (v == null || v instanceof Boolean) {
      return (Boolean) v;
    }
    throw wrong(name, "true or false", v);
  }

  /** A boolean field that must be present and not null. */
  public boolean bool(String name) {
    return required(name, optionalBool(name));
  }

  /** A boolean field; {@code ifAbsent} when missing or null. */
  public boolean bool(String name, boolean ifAbsent) {
    Boolean v = optionalBool(name);
    return v == null ? ifAbsent : v;
  }

  private <T> T required(String name, T value) {
    if (value == null) {
      throw new JsonException(
          "field '" + path(name) + "' is required (was " + (map.containsKey(name) ? "null" : "missing")
              + ")", -1);
    }
    return value;
  }

  /** An enum field given by its constant's name, or null. */
  public <E extends Enum<E>> E enumValue(String name, Class<E> type) {
    String s = string(name);
    if (s == null) {
      return null;
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(s)) {
        return constant;
      }
    }
    StringBuilder known = new StringBuilder();
    for (E constant : type.getEnumConstants()) {
      known.append(known.length() == 0 ? "" : ", ").append(constant.name());
    }
    throw new JsonException(
        "field '" + path(name) + "' must be one of " + known + " (was \"" + clip(s) + "\")", -1);
  }

  /** An object field, or null. */
  public JsonFields object(String name) {
    Object v = map.get(name);
    if (v == null) {
      return null;
    }
    if (v instanceof Map<?, ?> m) {
      return new JsonFields(m, path(name));
    }
    throw wrong(name, "an object", v);
  }

  /** An array field of objects, or null. */
  public List<JsonFields> objects(String name) {
    List<?> list = list(name);
    if (list == null) {
      return null;
    }
    List<JsonFields> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Object v = list.get(i);
      String at = path(name) + "[" + i + "]";
      if (!(v instanceof Map<?, ?> m)) {
        throw new JsonException("field '" + at + "' must be an object (was " + kind(v) + ")", -1);
      }
      out.add(new JsonFields(m, at));
    }
    return out;
  }

  /** An array field of strings, or null. */
  public List<String> strings(String name) {
    List<?> list = list(name);
    if (list == null) {
      return null;
    }
    List<String> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Object v = list.get(i);
      if (!(v instanceof String s)) {
        throw new JsonException(
            "field '" + path(name) + "[" + i + "]' must be a string (was " + kind(v) + ")", -1);
      }
      out.add(s);
    }
    return out;
  }

  /** An array field as parsed, or null. */
  public List<?> list(String name) {
    Object v = map.get(name);
    if (v == null || v instanceof List<?>) {
      return (List<?>) v;
    }
    throw wrong(name, "an array", v);
  }

  private String path(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private JsonException wrong(String name, String expected, Object v) {
    return new JsonException(
        "field '" + path(name) + "' must be " + expected + " (was " + kind(v) + ")", -1);
  }

  /** A short description of a parsed value's type. */
  static String kind(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String) {
      return "a string";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    if (v instanceof Long) {
      return "an integer";
    }
    if (v instanceof Number) {
      return "a number that is not a 64-bit integer";
    }
    if (v instanceof Map<?, ?>) {
      return "an object";
    }
    if (v instanceof List<?>) {
      return "an array";
    }
    return "a " + v.getClass().getSimpleName();
  }

  private static String clip(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}

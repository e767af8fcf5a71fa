package dev.nines.agent.json;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/**
 * Writes JSON text: a tree of {@link Map}, {@link Collection}, {@link String}, {@link Number},
 * {@link Boolean}, {@link Enum} (by name) and {@code null} with {@link #write(Object)}, and the
 * pieces {@link WireJson} builds records from.
 *
 * <p>Strings are escaped per RFC 8259: quote, backslash and every control character (as {@code
 * \b \f \n \r \t} or {@code \}{@code u00XX}); an unpaired surrogate is written as a {@code \}{@code
 * uXXXX} escape so that the text stays valid UTF-8. Integers are written exactly; doubles in {@link
 * Double#toString(double)} form, which reads back to the same double. NaN and infinities have no
 * JSON form and are refused.
 */
public final class JsonWriter {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final int MAX_DEPTH = 64;

  private JsonWriter() {}

  /**
   * The JSON text of a tree (map entries with null values are written as {@code null}).
   *
   * @throws IllegalArgumentException for a value of another type, a non-finite number, a map key
   *     that is not a String, or nesting deeper than 64
   */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder(128);
    value(sb, value, 0);
    return sb.toString();
  }

  /** {@link #write(Object)} as UTF-8 bytes. */
  public static byte[] writeBytes(Object value) {
    return write(value).getBytes(StandardCharsets.UTF_8);
  }

  private static void value(StringBuilder sb, Object value, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("tree nested deeper than " + MAX_DEPTH + " levels");
    }
    if (value == null) {
      sb.append("null");
    } else if (value instanceof String s) {
      string(sb, s);
    } else if (value instanceof Boolean b) {
      sb.append(b.booleanValue());
    } else if (value instanceof Double || value instanceof Float) {
      number(sb, ((Number) value).doubleValue());
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte) {
      sb.append(((Number) value).longValue());
    } else if (value instanceof Enum<?> e) {
      string(sb, e.name());
    } else if (value instanceof Map<?, ?> map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String key)) {
          throw new IllegalArgumentException("map key is not a String: " + entry.getKey());
        }
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(sb, key);
        sb.append(':');
        value(sb, entry.getValue(), depth + 1);
      }
      sb.append('}');
    } else if (value instanceof Collection<?> list) {
      sb.append('[');
      boolean first = true;
      for (Object element : list) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        value(sb, element, depth + 1);
      }
      sb.append(']');
    } else {
      throw new IllegalArgumentException(
          "no JSON form for a " + value.getClass().getName());
    }
  }

  /** Appends {@code s} as a quoted, escaped JSON string. */
  static void string(StringBuilder sb, String s) {
    sb.append('"');
    int n = s.length();
    int run = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++; // a valid pair: written as it is
        continue;
      }
      sb.append(s, run, i);
      run = i + 1;
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        case '\b':
          sb.append("\\b");
          break;
        case '\f':
          sb.append("\\f");
          break;
        default:
          sb.append("\\u")
              .append(HEX[c >> 12 & 0xf])
              .append(HEX[c >> 8 & 0xf])
              .append(HEX[c >> 4 & 0xf])
              .append(HEX[c & 0xf]);
      }
    }
    sb.append(s, run, n).append('"');
  }

  /** Appends a finite double in {@link Double#toString(double)} form (valid JSON). */
  static void number(StringBuilder sb, double d) {
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException("no JSON form for the number " + d);
    }
    sb.append(d);
  }
}

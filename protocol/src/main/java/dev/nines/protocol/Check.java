package dev.nines.protocol;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validation helpers for the wire records. Every failure names the field, so that a refused report
 * tells its sender exactly what was wrong.
 */
final class Check {
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

  private Check() {}

  static String id(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(field + " is required");
    }
    if (!ID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field + " must be 1-128 characters of letters, digits and . _ : @ - (was '" + clip(value) + "')");
    }
    return value;
  }

  static String text(String field, String value, int maxLength) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(field + " is required");
    }
    return optionalText(field, value, maxLength);
  }

  static String optionalText(String field, String value, int maxLength) {
    if (value != null && value.length() > maxLength) {
      throw new IllegalArgumentException(field + " must be at most " + maxLength + " characters");
    }
    return value;
  }

  static long nonNegative(String field, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be >= 0 (was " + value + ")");
    }
    return value;
  }

  static Long nonNegative(String field, Long value) {
    return value == null ? null : nonNegative(field, value.longValue());
  }

  static int nonNegative(String field, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be >= 0 (was " + value + ")");
    }
    return value;
  }

  /** A finite, non-negative figure, or null for "not available". */
  static Double nonNegative(String field, Double value) {
    if (value == null) {
      return null;
    }
    finite(field, value);
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be >= 0 (was " + value + ")");
    }
    return value;
  }

  /** A finite figure of any sign, or null for "not available". */
  static Double finite(String field, Double value) {
    if (value != null && !Double.isFinite(value)) {
      throw new IllegalArgumentException(field + " must be a finite number (was " + value + ")");
    }
    return value;
  }

  /** A ratio in 0..1, or null for "not available". */
  static Double ratio(String field, Double value) {
    if (value == null) {
      return null;
    }
    finite(field, value);
    if (value < 0 || value > 1) {
      throw new IllegalArgumentException(field + " must be a ratio in 0..1 (was " + value + ")");
    }
    return value;
  }

  static <T> List<T> list(String field, List<T> value, int maxSize) {
    if (value == null) {
      return List.of();
    }
    if (value.size() > maxSize) {
      throw new IllegalArgumentException(
          field + " may hold at most " + maxSize + " entries (had " + value.size() + ")");
    }
    for (int i = 0; i < value.size(); i++) {
      if (value.get(i) == null) {
        throw new IllegalArgumentException(field + "[" + i + "] must not be null");
      }
    }
    return List.copyOf(value);
  }

  static Map<String, String> labels(String field, Map<String, String> value) {
    if (value == null) {
      return Map.of();
    }
    if (value.size() > 64) {
      throw new IllegalArgumentException(field + " may hold at most 64 labels");
    }
    for (Map.Entry<String, String> e : value.entrySet()) {
      id(field + " key", e.getKey());
      text(field + "." + e.getKey(), e.getValue(), 256);
    }
    return Map.copyOf(value);
  }

  static <T> T required(String field, T value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value;
  }

  private static String clip(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}

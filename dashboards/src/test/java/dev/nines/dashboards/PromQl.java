package dev.nines.dashboards;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The metric names a PromQL expression reads, found by a small tokenizer rather than a parser: it
 * skips strings, label matchers ({@code {...}}), ranges and subqueries ({@code [...]}), numbers and
 * durations, Grafana variables ({@code $pool}, {@code ${pool}}, {@code $__rate_interval}), keywords
 * and operators, function and aggregation calls (an identifier followed by {@code (}), and the label
 * lists of {@code by}, {@code without}, {@code on}, {@code ignoring}, {@code group_left} and
 * {@code group_right}. Every other identifier is a metric name.
 */
final class PromQl {
  private PromQl() {}

  /**
   * Words that are never metric names where they stand alone: binary operators, modifiers,
   * constants, and aggregation operators (followed by {@code by}/{@code without} rather than
   * {@code (} in {@code sum by (pool) (...)}).
   */
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan", "start", "end",
          "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk",
          "topk", "quantile", "limitk", "limit_ratio");

  /** Modifiers whose parenthesised list holds label names, not metrics. */
  private static final Set<String> LABEL_LIST_MODIFIERS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

  /** The metric names in {@code expr}, in order of first use. */
  static Set<String> metricNames(String expr) {
    if (expr == null) {
      throw new IllegalArgumentException("expr is required");
    }
    Set<String> names = new LinkedHashSet<>();
    int i = 0;
    int n = expr.length();
    while (i < n) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(expr, i);
      } else if (c == '{') {
        i = skipBlock(expr, i, '{', '}');
      } else if (c == '[') {
        i = skipBlock(expr, i, '[', ']');
      } else if (c == '#') {
        i = skipLine(expr, i);
      } else if (c == '$') {
        i = skipVariable(expr, i);
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
        i = skipNumber(expr, i);
      } else if (isIdentStart(c)) {
        int end = i + 1;
        while (end < n && isIdentPart(expr.charAt(end))) {
          end++;
        }
        String word = expr.substring(i, end);
        int next = skipSpaces(expr, end);
        boolean call = next < n && expr.charAt(next) == '(';
        String lower = word.toLowerCase(java.util.Locale.ROOT);
        if (LABEL_LIST_MODIFIERS.contains(lower)) {
          i = call ? skipBlock(expr, next, '(', ')') : end;
        } else if (call || KEYWORDS.contains(lower)) {
          i = end; // a function or aggregation (its arguments are scanned), or a keyword
        } else {
          names.add(word);
          i = end;
        }
      } else {
        i++;
      }
    }
    return names;
  }

  private static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  }

  private static boolean isIdentPart(char c) {
    return isIdentStart(c) || (c >= '0' && c <= '9');
  }

  private static int skipSpaces(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int skipLine(String s, int i) {
    int nl = s.indexOf('\n', i);
    return nl < 0 ? s.length() : nl + 1;
  }

  /** From an opening quote to after its closing quote; backslash escapes in "" and '' strings. */
  private static int skipString(String s, int i) {
    char quote = s.charAt(i);
    int j = i + 1;
    while (j < s.length()) {
      char c = s.charAt(j);
      if (c == '\\' && quote != '`') {
        j += 2;
        continue;
      }
      if (c == quote) {
        return j + 1;
      }
      j++;
    }
    throw new IllegalArgumentException("unterminated string at " + i + " in: " + s);
  }

  /** From {@code open} at {@code i} to after its matching {@code close}, skipping strings inside. */
  private static int skipBlock(String s, int i, char open, char close) {
    int depth = 0;
    int j = i;
    while (j < s.length()) {
      char c = s.charAt(j);
      if (c == '"' || c == '\'' || c == '`') {
        j = skipString(s, j);
        continue;
      }
      if (c == open) {
        depth++;
      } else if (c == close) {
        depth--;
        if (depth == 0) {
          return j + 1;
        }
      }
      j++;
    }
    throw new IllegalArgumentException("unbalanced '" + open + "' at " + i + " in: " + s);
  }

  /** A Grafana variable: {@code $name}, {@code ${name}} or {@code ${name:format}}. */
  private static int skipVariable(String s, int i) {
    int j = i + 1;
    if (j < s.length() && s.charAt(j) == '{') {
      return skipBlock(s, j, '{', '}');
    }
    while (j < s.length() && isIdentPart(s.charAt(j))) {
      j++;
    }
    return j;
  }

  /** A number or a duration: digits, dots, exponents, hex digits and unit letters ({@code 1e3}, {@code 5m}, {@code 1h30m}). */
  private static int skipNumber(String s, int i) {
    int j = i;
    while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '.')) {
      j++;
    }
    // an exponent's sign: 1e-3
    if (j < s.length() && (s.charAt(j) == '-' || s.charAt(j) == '+')
        && (s.charAt(j - 1) == 'e' || s.charAt(j - 1) == 'E') && !s.startsWith("0x", i)) {
      return skipNumber(s, j + 1);
    }
    return j;
  }
}

package dev.nines.server.notify;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A label matcher as Alertmanager writes them: {@code label=value}, {@code label!=value},
 * {@code label=~regex}, {@code label!~regex}. A regex must match the whole value. A missing label
 * matches as the empty string.
 */
public record Matcher(String label, Op op, String value) {
  /** The comparison. */
  public enum Op {
    EQ("="), NE("!="), RE("=~"), NRE("!~");

    private final String text;

    Op(String text) {
      this.text = text;
    }

    /** How it is written between label and value. */
    public String text() {
      return text;
    }
  }

  public Matcher {
    if (label == null || !label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
      throw new IllegalArgumentException("matcher label must be a label name (was " + label + ")");
    }
    if (op == null) {
      throw new IllegalArgumentException("matcher op is required");
    }
    if (value == null) {
      throw new IllegalArgumentException("matcher value is required (may be empty)");
    }
    if (op == Op.RE || op == Op.NRE) {
      try {
        Pattern.compile(value);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("matcher " + label + " has an invalid regex: " + e.getDescription());
      }
    }
  }

  /**
   * Parses {@code label=value}, {@code label!=value}, {@code label=~re} or {@code label!~re}
   * (value optionally in double quotes).
   */
  public static Matcher parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("matcher is required");
    }
    java.util.regex.Matcher m =
        Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*(.*?)\\s*").matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("matcher must look like label=value, label!=value, label=~re or label!~re (was " + text + ")");
    }
    String v = m.group(3);
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      v = v.substring(1, v.length() - 1);
    }
    Op op =
        switch (m.group(2)) {
          case "=" -> Op.EQ;
          case "!=" -> Op.NE;
          case "=~" -> Op.RE;
          default -> Op.NRE;
        };
    return new Matcher(m.group(1), op, v);
  }

  /** Whether {@code labels} satisfy this matcher. */
  public boolean matches(Map<String, String> labels) {
    String actual = labels.getOrDefault(label, "");
    return switch (op) {
      case EQ -> actual.equals(value);
      case NE -> !actual.equals(value);
      case RE -> Pattern.matches(value, actual);
      case NRE -> !Pattern.matches(value, actual);
    };
  }

  /** Whether every matcher in {@code all} is satisfied (true for none). */
  public static boolean all(java.util.List<Matcher> all, Map<String, String> labels) {
    for (Matcher m : all) {
      if (!m.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return label + op.text() + "\"" + value + "\"";
  }
}

package dev.nines.agent.json;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, bounded RFC 8259 reader. A document becomes a tree of {@link Map} (insertion-ordered,
 * String keys), {@link List}, {@link String}, {@link Long} (integers within the long range),
 * {@link Double} (every other number), {@link Boolean} and {@code null}.
 *
 * <p>Strict: no comments, no trailing commas, no single quotes, no NaN or Infinity, no number that
 * overflows a double (1e999), no duplicate keys, no unpaired surrogates, nothing after the
 * document. Bounded: the input size, the nesting depth (checked before recursing, so a hostile
 * document cannot overflow the stack) and the length of each string are limited by {@link Limits}.
 * Every failure is a {@link JsonException} that gives the offset, line and column.
 */
public final class JsonReader {
  /**
   * What the reader accepts.
   *
   * @param maxInputChars largest document, in characters (bytes for {@link #parse(byte[], Limits)})
   * @param maxDepth deepest nesting of arrays and objects
   * @param maxStringChars longest string (keys included), after unescaping
   */
  public record Limits(int maxInputChars, int maxDepth, int maxStringChars) {
    /** 4 MiB documents, 64 levels, 256 Ki-character strings: far above what the agent reads. */
    public static final Limits DEFAULT = new Limits(4 << 20, 64, 256 << 10);

    public Limits {
      if (maxInputChars < 1) {
        throw new IllegalArgumentException("maxInputChars must be >= 1 (was " + maxInputChars + ")");
      }
      if (maxDepth < 1 || maxDepth > 1000) {
        throw new IllegalArgumentException("maxDepth must be in 1..1000 (was " + maxDepth + ")");
      }
      if (maxStringChars < 1) {
        throw new IllegalArgumentException("maxStringChars must be >= 1 (was " + maxStringChars + ")");
      }
    }
  }

  /** Longest number token read; longer ones are refused rather than parsed slowly. */
  private static final int MAX_NUMBER_CHARS = 400;

  private final String in;
  private final Limits limits;
  private int pos;

  private JsonReader(String in, Limits limits) {
    this.in = in;
    this.limits = limits;
  }

  /** Parses one document with {@link Limits#DEFAULT}. */
  public static Object parse(String text) {
    return parse(text, Limits.DEFAULT);
  }

  /** Parses one document; {@code text} must hold exactly one value (whitespace around it). */
  public static Object parse(String text, Limits limits) {
    if (text == null) {
      throw new JsonException("no input", 0);
    }
    if (text.length() > limits.maxInputChars()) {
      throw new JsonException(
          "input of " + text.length() + " characters exceeds the limit of "
              + limits.maxInputChars(), 0);
    }
    JsonReader reader = new JsonReader(text, limits);
    reader.skipWhitespace();
    if (reader.pos == text.length()) {
      throw new JsonException("no content: the input is empty", 0);
    }
    Object value = reader.value(0);
    reader.skipWhitespace();
    if (reader.pos != text.length()) {
      throw reader.error("unexpected content after the document");
    }
    return value;
  }

  /** Parses strict UTF-8 bytes with {@link Limits#DEFAULT}. */
  public static Object parse(byte[] utf8) {
    return parse(utf8, Limits.DEFAULT);
  }

  /** Parses strict UTF-8 bytes (malformed UTF-8 is refused, not replaced). */
  public static Object parse(byte[] utf8, Limits limits) {
    if (utf8 == null) {
      throw new JsonException("no input", 0);
    }
    if (utf8.length > limits.maxInputChars()) {
      throw new JsonException(
          "input of " + utf8.length + " bytes exceeds the limit of " + limits.maxInputChars(), 0);
    }
    CharBuffer chars;
    try {
      chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(utf8));
    } catch (CharacterCodingException e) {
      throw new JsonException("input is not valid UTF-8", 0);
    }
    return parse(chars.toString(), limits);
  }

  // ------------------------------------------------------------------ values

  private Object value(int depth) {
    if (pos >= in.length()) {
      throw error("unexpected end of input, expected a value");
    }
    char c = in.charAt(pos);
    switch (c) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return string();
      case 't':
        literal("true");
        return Boolean.TRUE;
      case 'f':
        literal("false");
        return Boolean.FALSE;
      case 'n':
        literal("null");
        return null;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        if (c == 'N' || c == 'I') {
          throw error("NaN and Infinity are not JSON numbers");
        }
        throw error("unexpected " + describe(c) + ", expected a value");
    }
  }

  private Map<String, Object> object(int depth) {
    enter(depth);
    pos++; // '{'
    Map<String, Object> map = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return map;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error(pos >= in.length()
            ? "unexpected end of input, expected a field name"
            : "unexpected " + describe(in.charAt(pos)) + ", expected a field name in quotes");
      }
      int keyAt = pos;
      String key = string();
      skipWhitespace();
      expect(':', "':' after a field name");
      skipWhitespace();
      Object value = value(depth);
      if (map.containsKey(key)) {
        pos = keyAt;
        throw error("duplicate field \"" + clip(key) + "\"");
      }
      map.put(key, value);
      skipWhitespace();
      char c = peek();
      if (c == ',') {
        pos++;
      } else if (c == '}') {
        pos++;
        return map;
      } else {
        throw error(pos >= in.length()
            ? "unexpected end of input, expected ',' or '}'"
            : "unexpected " + describe(c) + ", expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) {
    enter(depth);
    pos++; // '['
    List<Object> list = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return list;
    }
    while (true) {
      skipWhitespace();
      if (peek() == ']') {
        throw error("trailing comma before ']'");
      }
      list.add(value(depth));
      skipWhitespace();
      char c = peek();
      if (c == ',') {
        pos++;
      } else if (c == ']') {
        pos++;
        return list;
      } else {
        throw error(pos >= in.length()
            ? "unexpected end of input, expected ',' or ']'"
            : "unexpected " + describe(c) + ", expected ',' or ']'");
      }
    }
  }

  private void enter(int depth) {
    if (depth > limits.maxDepth()) {
      throw error("nesting deeper than " + limits.maxDepth() + " levels");
    }
  }

  private String string() {
    int start = pos;
    pos++; // opening quote
    StringBuilder sb = null;
    int runStart = pos;
    int length = 0;
    while (true) {
      if (pos >= in.length()) {
        pos = start;
        throw error("unterminated string");
      }
      char c = in.charAt(pos);
      if (c == '"') {
        String s =
            sb == null ? in.substring(runStart, pos) : sb.append(in, runStart, pos).toString();
        pos++;
        return s;
      }
      if (++length > limits.maxStringChars()) {
        pos = start;
        throw error("string longer than " + limits.maxStringChars() + " characters");
      }
      if (c == '\\') {
        if (sb == null) {
          sb = new StringBuilder();
        }
        sb.append(in, runStart, pos);
        pos++;
        escape(sb);
        runStart = pos;
        continue;
      }
      if (c < 0x20) {
        throw error("unescaped control character " + describe(c) + " in a string");
      }
      if (Character.isHighSurrogate(c)) {
        if (pos + 1 >= in.length() || !Character.isLowSurrogate(in.charAt(pos + 1))) {
          throw error("unpaired surrogate in a string");
        }
        pos += 2;
        length++;
        continue;
      }
      if (Character.isLowSurrogate(c)) {
        throw error("unpaired surrogate in a string");
      }
      pos++;
    }
  }

  /** Reads the escape after a backslash (at {@code pos}) into {@code sb}. */
  private void escape(StringBuilder sb) {
    if (pos >= in.length()) {
      throw error("unterminated escape");
    }
    char c = in.charAt(pos++);
    switch (c) {
      case '"':
      case '\\':
      case '/':
        sb.append(c);
        return;
      case 'b':
        sb.append('\b');
        return;
      case 'f':
        sb.append('\f');
        return;
      case 'n':
        sb.append('\n');
        return;
      case 'r':
        sb.append('\r');
        return;
      case 't':
        sb.append('\t');
        return;
      case 'u':
        char unit = hex4();
        if (Character.isHighSurrogate(unit)) {
          if (pos + 1 < in.length() && in.charAt(pos) == '\\' && in.charAt(pos + 1) == 'u') {
            pos += 2;
            char low = hex4();
            if (Character.isLowSurrogate(low)) {
              sb.append(unit).append(low);
              return;
            }
            pos -= 6;
          }
          throw error("\\u escape of a high surrogate not followed by a low surrogate");
        }
        if (Character.isLowSurrogate(unit)) {
          pos -= 6;
          throw error("\\u escape of a low surrogate without a high surrogate before it");
        }
        sb.append(unit);
        return;
      default:
        pos--;
        throw error("invalid escape \\" + (c < 0x20 ? describe(c) : String.valueOf(c)));
    }
  }

  private char hex4() {
    if (pos + 4 > in.length()) {
      throw error("unterminated \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = hexDigit(in.charAt(pos + i));
      if (d < 0) {
        pos += i;
        throw error("\\u escape needs four hex digits");
      }
      v = v << 4 | d;
    }
    pos += 4;
    return (char) v;
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private Object number() {
    int start = pos;
    boolean integer = true;
    if (peek() == '-') {
      pos++;
    }
    char c = peek();
    if (c == '0') {
      pos++;
    } else if (c >= '1' && c <= '9') {
      digits();
    } else if (c == 'I') {
      throw error("NaN and Infinity are not JSON numbers");
    } else {
      throw error("a number needs a digit here");
    }
    if (peek() == '.') {
      integer = false;
      pos++;
      requireDigit("after the decimal point");
      digits();
    }
    c = peek();
    if (c == 'e' || c == 'E') {
      integer = false;
      pos++;
      c = peek();
      if (c == '+' || c == '-') {
        pos++;
      }
      requireDigit("in the exponent");
      digits();
    }
    if (pos - start > MAX_NUMBER_CHARS) {
      pos = start;
      throw error("number longer than " + MAX_NUMBER_CHARS + " characters");
    }
    String token = in.substring(start, pos);
    if (integer) {
      try {
        return Long.parseLong(token);
      } catch (NumberFormatException beyondLong) {
        // falls through to a double, like any other number outside the long range
      }
    }
    double d = Double.parseDouble(token);
    if (Double.isInfinite(d)) {
      pos = start;
      throw error("number " + clip(token) + " is out of the range of a double");
    }
    return d;
  }

  private void requireDigit(String where) {
    char c = peek();
    if (c < '0' || c > '9') {
      throw error("a number needs a digit " + where);
    }
  }

  private void digits() {
    while (pos < in.length()) {
      char c = in.charAt(pos);
      if (c < '0' || c > '9') {
        return;
      }
      pos++;
    }
  }

  private void literal(String word) {
    if (!in.startsWith(word, pos)) {
      throw error("invalid literal, expected " + word);
    }
    pos += word.length();
  }

  // ----------------------------------------------------------------- helpers

  private void skipWhitespace() {
    while (pos < in.length()) {
      char c = in.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  /** The character at {@code pos}, or 0 at the end of the input. */
  private char peek() {
    return pos < in.length() ? in.charAt(pos) : 0;
  }

  private void expect(char c, String what) {
    if (peek() != c) {
      throw error(pos >= in.length()
          ? "unexpected end of input, expected " + what
          : "unexpected " + describe(in.charAt(pos)) + ", expected " + what);
    }
    pos++;
  }

  private JsonException error(String what) {
    int line = 1;
    int lineStart = 0;
    int end = Math.min(pos, in.length());
    for (int i = 0; i < end; i++) {
      if (in.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new JsonException(
        "invalid JSON at offset " + pos + " (line " + line + ", column " + (pos - lineStart + 1)
            + "): " + what, pos);
  }

  private static String describe(char c) {
    if (c < 0x20 || c == 0x7f) {
      String hex = Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT);
      return "U+" + "0000".substring(hex.length()) + hex;
    }
    return "'" + c + "'";
  }

  private static String clip(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}

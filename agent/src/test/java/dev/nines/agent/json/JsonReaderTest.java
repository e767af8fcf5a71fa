package dev.nines.agent.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonReaderTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  @Test
  void readsEveryKindOfValueIntoPlainJavaTypes() {
    Object tree =
        JsonReader.parse(
            " {\"s\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\",\"i\":-42,\"big\":9223372036854775807,"
                + "\"huger\":9223372036854775808,\"d\":1.5e3,\"z\":-0.0,\"t\":true,\"f\":false,"
                + "\"n\":null,\"a\":[],\"o\":{},\"nested\":[[1],{\"k\":[2.25]}]}\r\n\t");

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("s", "a\"b\\c/d\b\f\n\r\té😀");
    expected.put("i", -42L);
    expected.put("big", Long.MAX_VALUE);
    expected.put("huger", 9.223372036854775808E18);
    expected.put("d", 1500.0);
    expected.put("z", -0.0);
    expected.put("t", true);
    expected.put("f", false);
    expected.put("n", null);
    expected.put("a", List.of());
    expected.put("o", Map.of());
    expected.put("nested", List.of(List.of(1L), Map.of("k", List.of(2.25))));
    assertThat(tree).isEqualTo(expected);
    assertThat(List.copyOf(((Map<?, ?>) tree).keySet())).isEqualTo(List.copyOf(expected.keySet()));
  }

  @Test
  void readsTopLevelScalars() {
    assertThat(JsonReader.parse("null")).isNull();
    assertThat(JsonReader.parse(" 0 ")).isEqualTo(0L);
    assertThat(JsonReader.parse("\"x\"")).isEqualTo("x");
    assertThat(JsonReader.parse("1E-400")).isEqualTo(0.0);
  }

  @Test
  void readsTheTextItWrites() {
    String nasty = "q\"\\/\n\r\t\b\f\u0000\u001f\u007f\u2028é中😀";
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put(nasty, List.of(nasty, Long.MIN_VALUE, Double.MAX_VALUE, Double.MIN_VALUE, 0.1));
    tree.put("nothing", null);

    assertThat(JsonReader.parse(JsonWriter.write(tree))).isEqualTo(tree);
    assertThat(JsonReader.parse(JsonWriter.writeBytes(tree))).isEqualTo(tree);
  }

  @Test
  void refusesEveryTruncationOfADocument() {
    String json = WireJson.toJson(WireJsonTest.fullReport());
    assertThat(JsonReader.parse(json)).isInstanceOf(Map.class);
    for (int end = 0; end < json.length(); end++) {
      String prefix = json.substring(0, end);
      assertThatThrownBy(() -> JsonReader.parse(prefix))
          .as("prefix of %d characters", end)
          .isInstanceOf(JsonException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "[NaN]", "{\"x\":Infinity}", "[-Infinity]"})
  void refusesNanAndInfinity(String json) {
    assertThatThrownBy(() -> JsonReader.parse(json))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("NaN and Infinity are not JSON numbers");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e999", "-1e999", "[1.7976931348623159E308]", "{\"x\":123e4567}"})
  void refusesNumbersBeyondADouble(String json) {
    assertThatThrownBy(() -> JsonReader.parse(json))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("out of the range of a double");
  }

  @ParameterizedTest
  @ValueSource(strings = {"01", "-", "1.", ".5", "+1", "1e", "1e+", "-a", "0x10", "1.e3", "--1"})
  void refusesMalformedNumbers(String json) {
    assertThatThrownBy(() -> JsonReader.parse(json)).isInstanceOf(JsonException.class);
  }

  @Test
  void refusesAVeryLongNumberToken() {
    String digits = "1".repeat(100_000);
    assertThatThrownBy(() -> JsonReader.parse(digits))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("number longer than");
  }

  @Test
  void refusesNestingTenThousandLevelsDeepWithoutOverflowingTheStack() {
    String arrays = "[".repeat(10_000) + "]".repeat(10_000);
    String objects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    String unclosed = "[{\"a\":".repeat(10_000);
    for (String json : List.of(arrays, objects, unclosed)) {
      assertTimeoutPreemptively(BOUND, () ->
          assertThatThrownBy(() -> JsonReader.parse(json))
              .isInstanceOf(JsonException.class)
              .hasMessageContaining("nesting deeper than 64 levels"));
    }
  }

  @Test
  void acceptsNestingUpToTheLimit() {
    String ok = "[".repeat(64) + "]".repeat(64);
    String tooDeep = "[".repeat(65) + "]".repeat(65);

    assertThat(JsonReader.parse(ok)).isInstanceOf(List.class);
    assertThatThrownBy(() -> JsonReader.parse(tooDeep)).isInstanceOf(JsonException.class);
  }

  @Test
  void refusesAStringBeyondTheLimit() {
    String huge = "\"" + "x".repeat((256 << 10) + 1) + "\"";
    String atLimit = "\"" + "x".repeat(256 << 10) + "\"";

    assertTimeoutPreemptively(BOUND, () ->
        assertThatThrownBy(() -> JsonReader.parse(huge))
            .isInstanceOf(JsonException.class)
            .hasMessageContaining("string longer than 262144 characters"));
    assertThat(JsonReader.parse(atLimit)).asString().hasSize(256 << 10);
  }

  @Test
  void refusesInputBeyondTheLimit() {
    JsonReader.Limits small = new JsonReader.Limits(100, 8, 50);
    String big = "[" + "1,".repeat(60) + "1]";
    byte[] bigBytes = big.getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> JsonReader.parse(big, small))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("exceeds the limit of 100");
    assertThatThrownBy(() -> JsonReader.parse(bigBytes, small))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("exceeds the limit of 100");
    assertThatThrownBy(() -> JsonReader.parse("\"" + "y".repeat(51) + "\"", small))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("string longer than 50");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1,2,]", "{\"a\":1,}", "[,]", "[,1]", "{,}", "[1,,2]"})
  void refusesTrailingAndStrayCommas(String json) {
    assertThatThrownBy(() -> JsonReader.parse(json)).isInstanceOf(JsonException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{} x", "{}{}", "[1] ]", "null null", "1 2", "\"a\"\"b\""})
  void refusesContentAfterTheDocument(String json) {
    assertThatThrownBy(() -> JsonReader.parse(json))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("unexpected content after the document");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"abc", "[\"abc", "{\"a", "\"abc\\", "\"\\u12"})
  void refusesUnterminatedStrings(String json) {
    assertThatThrownBy(() -> JsonReader.parse(json))
        .isInstanceOf(JsonException.class)
        .hasMessageMatching(".*unterminated.*");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "\"\\x\"", "\"\\u12G4\"", "\"\\u٣٣٣٣\"", "\"\\U0041\"", "\"\\'\"",
      "\"\\uD800\"", "\"\\uD800x\"", "\"\\uD800\\u0041\"", "\"\\uDC00\"", "\"\\uDBFF\\uDBFF\""})
  void refusesBadEscapesAndUnpairedSurrogates(String json) {
    assertThatThrownBy(() -> JsonReader.parse(json)).isInstanceOf(JsonException.class);
  }

  @Test
  void refusesRawControlCharactersAndUnpairedSurrogatesInStrings() {
    assertThatThrownBy(() -> JsonReader.parse("\"a\nb\""))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("unescaped control character U+000A in a string");
    assertThatThrownBy(() -> JsonReader.parse("\"a\u0000b\""))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("U+0000");
    assertThatThrownBy(() -> JsonReader.parse("\"a\uD800b\""))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("unpaired surrogate");
    assertThatThrownBy(() -> JsonReader.parse("\"\uDC00\""))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("unpaired surrogate");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "   ", "tru", "nul", "True", "{'a':1}", "{a:1}", "[1 2]", "{\"a\" 1}", "{\"a\":}",
      "// comment\n{}", "{\"a\":1 /* c */}", "\u00a0{}", "[1]\u0000"})
  void refusesOtherMalformedDocuments(String json) {
    assertThatThrownBy(() -> JsonReader.parse(json)).isInstanceOf(JsonException.class);
  }

  @Test
  void refusesDuplicateFields() {
    assertThatThrownBy(() -> JsonReader.parse("{\"a\":1,\"b\":2,\"a\":3}"))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("duplicate field \"a\"");
  }

  @Test
  void refusesInvalidUtf8() {
    byte[] bytes = {'"', (byte) 0xC3, (byte) 0x28, '"'};
    assertThatThrownBy(() -> JsonReader.parse(bytes))
        .isInstanceOf(JsonException.class)
        .hasMessage("input is not valid UTF-8");
    assertThatThrownBy(() -> JsonReader.parse((byte[]) null)).isInstanceOf(JsonException.class);
  }

  @Test
  void saysWhereTheProblemIs() {
    JsonException e =
        (JsonException) catchThrowable(() -> JsonReader.parse("{\n  \"a\": 1,\n  \"b\": tru\n}"));

    assertThat(e.offset()).isEqualTo(19);
    assertThat(e).hasMessage(
        "invalid JSON at offset 19 (line 3, column 8): invalid literal, expected true");
  }

  @Test
  void limitsAreValidated() {
    assertThatThrownBy(() -> new JsonReader.Limits(0, 1, 1))
        .hasMessageContaining("maxInputChars");
    assertThatThrownBy(() -> new JsonReader.Limits(1, 1001, 1)).hasMessageContaining("maxDepth");
    assertThatThrownBy(() -> new JsonReader.Limits(1, 1, 0)).hasMessageContaining("maxStringChars");
  }

  @Test
  void aHostileMixOfLimitsFinishesQuickly() {
    char[] manyEscapes = new char[2_000_000];
    Arrays.fill(manyEscapes, 'x');
    String longButOk = "[" + "\"ab\",".repeat(500_000) + "1]";
    assertTimeoutPreemptively(BOUND, () -> {
      assertThat((List<?>) JsonReader.parse(longButOk)).hasSize(500_001);
      assertThatThrownBy(() -> JsonReader.parse("\"" + new String(manyEscapes)))
          .isInstanceOf(JsonException.class);
    });
  }

  private static Throwable catchThrowable(Runnable r) {
    try {
      r.run();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("nothing thrown");
  }
}

package dev.nines.agent.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.protocol.RoutingState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonWriterTest {
  private static final ObjectMapper JACKSON = new ObjectMapper();

  @Test
  void writesMapsInOrderWithNullsLikeJackson() throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ready", false);
    body.put("state", RoutingState.DRAINING);
    body.put("reason", null);
    body.put("changedAtMs", 1_700_000_000_123L);
    body.put("age", 3.0);
    body.put("count", 1);
    body.put("list", List.of("a", 2, 2.5, Set.of()));

    String ours = JsonWriter.write(body);

    assertThat(ours).isEqualTo(JACKSON.writeValueAsString(body));
    assertThat(ours).isEqualTo(
        "{\"ready\":false,\"state\":\"DRAINING\",\"reason\":null,\"changedAtMs\":1700000000123,"
            + "\"age\":3.0,\"count\":1,\"list\":[\"a\",2,2.5,[]]}");
  }

  @Test
  void escapesQuotesBackslashesAndEveryControlCharacter() throws Exception {
    StringBuilder all = new StringBuilder("\"\\/");
    for (char c = 0; c < 0x20; c++) {
      all.append(c);
    }
    String s = all.toString();

    String ours = JsonWriter.write(s);

    assertThat(ours).isEqualTo(
        "\"\\\"\\\\/\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r"
            + "\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019"
            + "\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\"");
    assertThat(JACKSON.readValue(ours, String.class)).isEqualTo(s);
    assertThat(JsonReader.parse(ours)).isEqualTo(s);
  }

  @Test
  void writesNonAsciiAsUtf8AndLoneSurrogatesAsEscapes() throws Exception {
    String text = "é中😀\u2028";
    assertThat(JsonWriter.writeBytes(text))
        .isEqualTo(("\"" + text + "\"").getBytes(StandardCharsets.UTF_8));

    String lone = "a\uD800b\uDC00";
    String ours = JsonWriter.write(lone);
    assertThat(ours).isEqualTo("\"a\\ud800b\\udc00\"");
    assertThat(JACKSON.readValue(ours, String.class)).isEqualTo(lone);
  }

  @Test
  void writesNumbersThatReadBackExactly() throws Exception {
    List<Object> numbers = new ArrayList<>(List.of(
        Long.MAX_VALUE, Long.MIN_VALUE, 0.1, 1.0E-7, 1.0E22, Double.MIN_VALUE, Double.MAX_VALUE,
        -0.0, 123456.789, (short) 3, (byte) -4, 2.5f));
    List<?> back = JACKSON.readValue(JsonWriter.write(numbers), List.class);

    assertThat(back.get(0)).isEqualTo(Long.MAX_VALUE);
    assertThat(back.get(1)).isEqualTo(Long.MIN_VALUE);
    for (int i = 2; i < 9; i++) {
      assertThat(back.get(i)).isEqualTo(numbers.get(i));
    }
    assertThat(JsonWriter.write(List.of((short) 3, (byte) -4, 2.5f))).isEqualTo("[3,-4,2.5]");
  }

  @Test
  void refusesWhatHasNoJsonForm() {
    assertThatThrownBy(() -> JsonWriter.write(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    assertThatThrownBy(() -> JsonWriter.write(List.of(Double.POSITIVE_INFINITY)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Infinity");
    assertThatThrownBy(() -> JsonWriter.write(Map.of(1, "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a String");
    assertThatThrownBy(() -> JsonWriter.write(new Object()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object");
    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    assertThatThrownBy(() -> JsonWriter.write(cycle))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deeper than 64");
  }
}

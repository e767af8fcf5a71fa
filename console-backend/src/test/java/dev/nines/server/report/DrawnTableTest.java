package dev.nines.server.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class DrawnTableTest {
  /** One point per character: widths easy to reason about. */
  static final ToDoubleFunction<String> CHARS = String::length;

  @Test
  void aTextThatFitsIsOneLine() {
    assertThat(DrawnTable.wrap("routing ACTIVE", 20, CHARS)).containsExactly("routing ACTIVE");
    assertThat(DrawnTable.wrap("", 20, CHARS)).containsExactly("");
    assertThat(DrawnTable.wrap(null, 20, CHARS)).containsExactly("");
  }

  @Test
  void linesBreakAtNewlinesThenAtSpacesWithinTheWidth() {
    List<String> lines = DrawnTable.wrap("UNHEALTHY: bench outage; rules: generationFailures\nsecond line", 25, CHARS);
    assertThat(lines).containsExactly("UNHEALTHY: bench outage;", "rules: generationFailures", "second line");
    for (String l : lines) {
      assertThat(l.length()).isLessThanOrEqualTo(25);
    }
  }

  @Test
  void aWordWiderThanTheLineIsBrokenBetweenCharactersAndNothingIsLost() {
    List<String> lines = DrawnTable.wrap("id gpu-node-000000000042-eu-west tail", 10, CHARS);
    assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(10));
    assertThat(String.join("", lines).replace(" ", "")).isEqualTo("idgpu-node-000000000042-eu-westtail");
    assertThat(lines.get(0)).isEqualTo("id");
  }

  @Test
  void emptyLinesAreKept() {
    assertThat(DrawnTable.wrap("a\n\nb", 10, CHARS)).containsExactly("a", "", "b");
  }
}

package dev.nines.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.nines.agent.probe.PromText.Page;
import dev.nines.agent.probe.PromText.Sample;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PromTextTest {

  @Test
  void readsNamesLabelsValuesAndTimestamps() {
    Page page =
        PromText.parse(
            "# HELP http_requests_total Requests.\n"
                + "# TYPE http_requests_total counter\n"
                + "http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n"
                + "http_requests_total{method=\"post\",code=\"400\"}    3 1395066363000\n"
                + "metric_without_timestamp_and_labels 12.47\n");

    assertThat(page.malformedLines()).isZero();
    assertThat(page.types()).containsExactly(Map.entry("http_requests_total", "counter"));
    assertThat(page.samples())
        .containsExactly(
            new Sample(
                "http_requests_total",
                Map.of("method", "post", "code", "200"),
                1027,
                OptionalLong.of(1395066363000L)),
            new Sample(
                "http_requests_total",
                Map.of("method", "post", "code", "400"),
                3,
                OptionalLong.of(1395066363000L)),
            new Sample("metric_without_timestamp_and_labels", Map.of(), 12.47, OptionalLong.empty()));
  }

  @Test
  void keepsColonsInNamesAsVllmWritesThem() {
    Page page =
        PromText.parse("vllm:num_requests_running{model_name=\"m\"} 4.0\n:odd:name: 1\n");

    assertThat(page.malformedLines()).isZero();
    assertThat(page.samples("vllm:num_requests_running")).singleElement()
        .satisfies(s -> assertThat(s.label("model_name")).isEqualTo("m"));
    assertThat(page.has(":odd:name:")).isTrue();
  }

  @Test
  void unescapesLabelValues() {
    Page page =
        PromText.parse(
            "msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"} 1.458255915e9\n");

    assertThat(page.malformedLines()).isZero();
    Sample s = page.samples().get(0);
    assertThat(s.label("path")).isEqualTo("C:\\DIR\\FILE.TXT");
    assertThat(s.label("error")).isEqualTo("Cannot find file:\n\"FILE.TXT\"");
    assertThat(s.value()).isEqualTo(1.458255915e9);
  }

  @Test
  void readsScientificNotationInfinitiesAndNan() {
    Page page =
        PromText.parse(
            "a 1.5e+09\nb -3E-2\nc +Inf\nd -Inf\ne NaN\nf 5.6412762112e+010\ng .5\nh +7\n");

    assertThat(page.malformedLines()).isZero();
    assertThat(page.samples()).extracting(Sample::value)
        .containsExactly(
            1.5e9, -0.03, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
            5.6412762112e10, 0.5, 7.0);
  }

  @Test
  void readsCrlfLineEndsTrailingCommaBlanksAndExemplars() {
    Page page =
        PromText.parse(
            "# TYPE x gauge\r\n"
                + "\r\n"
                + "x{a=\"1\",} 2\r\n"
                + "\tx { a = \"2\" , b=\"3\" }\t4  \r\n"
                + "y_bucket{le=\"0.5\"} 7 # {trace_id=\"abc\"} 0.42 1700000000.1\r\n"
                + "# EOF\r\n");

    assertThat(page.malformedLines()).isZero();
    assertThat(page.samples("x")).extracting(Sample::labels)
        .containsExactly(Map.of("a", "1"), Map.of("a", "2", "b", "3"));
    assertThat(page.samples("x")).extracting(Sample::value).containsExactly(2.0, 4.0);
    assertThat(page.samples("y_bucket").get(0).value()).isEqualTo(7.0);
    assertThat(page.types()).containsEntry("x", "gauge");
  }

  @Test
  void skipsAndCountsMalformedLinesButKeepsTheGoodOnes() {
    List<String> bad =
        List.of(
            "no_value",
            "no_value_after_labels{a=\"b\"}",
            "unbalanced{a=\"b\" 1",
            "unterminated{a=\"b} 1",
            "bad_escape{a=\"\\t\"} 1",
            "duplicate{a=\"1\",a=\"2\"} 1",
            "missing_comma{a=\"1\" b=\"2\"} 1",
            "unquoted{a=1} 1",
            "bad_value 12abc",
            "java_only_value 1d",
            "hex_value 0x10",
            "bad_timestamp 1 17.5",
            "huge_timestamp 1 99999999999999999999",
            "trailing 1 2 3",
            "9starts_with_digit 1",
            "{a=\"b\"} 1",
            "name-with-dash 1",
            "# TYPE broken",
            "# TYPE broken notatype",
            "# HELP",
            "<html><body>oops</body></html>",
            "truncated_at_the_end{model=\"m");
    String page = "good 1\n" + String.join("\n", bad) + "\n# a comment\ngood 2\n";

    Page parsed = PromText.parse(page);

    assertThat(parsed.malformedLines()).isEqualTo(bad.size());
    assertThat(parsed.samples()).extracting(Sample::name).containsExactly("good", "good");
    assertThat(parsed.types()).isEmpty();
  }

  @Test
  void nullAndEmptyPagesAreEmpty() {
    assertThat(PromText.parse(null).samples()).isEmpty();
    assertThat(PromText.parse("").samples()).isEmpty();
    assertThat(PromText.parse("\n\n\r\n").malformedLines()).isZero();
  }

  @Test
  void tenMegabytesOfGarbageNeitherThrowsNorTakesLong() {
    Random random = new Random(42);
    StringBuilder garbage = new StringBuilder(10 << 20);
    String alphabet = "{}\"\\=,# \t\nabcxyz_:019.eE+-";
    while (garbage.length() < 10 << 20) {
      garbage.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    // And one 10 MB line with no line end at all.
    String oneLine = "x{a=\"" + "\\\"".repeat(5 << 20);

    assertThatCode(
            () -> {
              long start = System.nanoTime();
              Page page = PromText.parse(garbage.toString());
              Page line = PromText.parse(oneLine);
              Duration took = Duration.ofNanos(System.nanoTime() - start);
              assertThat(page.malformedLines()).isPositive();
              assertThat(line.malformedLines()).isEqualTo(1);
              assertThat(took).isLessThan(Duration.ofSeconds(10));
            })
        .doesNotThrowAnyException();
  }

  @Test
  void parsesEveryLineOfTheServerFixtures() {
    for (String fixture :
        List.of(
            "vllm/scrape-1.prom", "vllm/scrape-2.prom", "triton/scrape-1.prom",
            "triton/scrape-2.prom", "tgi/scrape-1.prom", "tgi/scrape-2.prom")) {
      Page page = PromText.parse(Fixtures.read(fixture));
      assertThat(page.malformedLines()).as(fixture).isZero();
      assertThat(page.samples()).as(fixture).hasSizeGreaterThan(20);
    }
  }

  @Test
  void countsTheBrokenLinesOfTheMalformedFixtures() {
    // vllm: an HTML line, a bad timestamp, an unbalanced brace, a bad escape, a TYPE without a
    // type, a bucket without a value, a non-numeric value, a truncated last line = 8.
    assertThat(PromText.parse(Fixtures.read("vllm/malformed.prom")).malformedLines()).isEqualTo(8);
    // triton (CRLF page): trailing junk, a duplicated label, a missing comma = 3.
    String triton = Fixtures.read("triton/malformed.prom");
    assertThat(triton).contains("\r\n");
    assertThat(PromText.parse(triton).malformedLines()).isEqualTo(3);
    // tgi: a fractional timestamp, braces without a value, "1e", a line without a name = 4.
    assertThat(PromText.parse(Fixtures.read("tgi/malformed.prom")).malformedLines()).isEqualTo(4);
  }
}

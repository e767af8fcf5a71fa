package dev.nines.server.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UptimeHtmlTest {
  @Test
  void everyTextFromTheDataIsEscapedAndMissingFiguresShowAsDashes() {
    UptimeReport.Row row =
        new UptimeReport.Row(
            "host", "<script>alert('x')</script>", "p&q", null, null, 0.999, null, null, 0, 0, 0, null, null, 0);
    UptimeReport.IncidentRow incident =
        new UptimeReport.IncidentRow(7, "host", "a\"b", "p&q", "critical", 0, null, 1.5, "{\"reason\":\"<b>hot</b>\"}",
            List.of(new UptimeReport.Action(30_000, "operator:<eve>", "drained <now>")));
    String html = UptimeHtml.write(new UptimeReport(0, 60_000, "counted <so>", List.of(), List.of(row), List.of(incident), List.of()));

    assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    assertThat(html).contains("p&amp;q", "a&quot;b", "counted &lt;so&gt;", "<td>open</td>", "<td>-</td>");
    assertThat(html).contains("<p>None.</p>"); // no pool rows
    assertThat(html)
        .doesNotContain("<b>hot", "<eve>", "<now>")
        .contains("&lt;b&gt;hot&lt;/b&gt;", "1970-01-01 00:00:30 operator:&lt;eve&gt;: drained &lt;now&gt;");
  }
}

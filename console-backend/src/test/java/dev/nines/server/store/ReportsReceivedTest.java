package dev.nines.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reads of a report tail: keys in received order, paged by key, then bodies by key. */
class ReportsReceivedTest extends OnBothBackends {
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

  static ReportRecord record(String agent, long seq, long receivedAtMs) {
    return new ReportRecord(
        agent, seq, 500 + seq, receivedAtMs, "p-" + agent, "{\"pool\":\"p-" + agent + "\"}", "{\"seq\":" + seq + "}");
  }

  /** The key the store answers for {@link #record}: collected at 500 + seq. */
  static ReportKey key(String agent, long seq, long receivedAtMs) {
    return new ReportKey(agent, seq, receivedAtMs, 500 + seq);
  }

  @Test
  void keysComeInReceivedThenAgentThenSeqOrderAndPageWithoutLossOrRepeat() {
    try (Store store = open("r.db", CLOCK)) {
      store.writeReports(
          List.of(
              record("b", 1, 2_000), record("a", 2, 2_000), record("a", 1, 2_000), record("c", 1, 1_000),
              record("a", 3, 3_000), record("z", 1, 999)));
      assertThat(store.reportKeysReceivedAfter(1_000, "", 0, 100))
          .containsExactly(
              key("c", 1, 1_000), key("a", 1, 2_000), key("a", 2, 2_000),
              key("b", 1, 2_000), key("a", 3, 3_000));
      assertThat(store.reportKeysReceivedAfter(1_000, "", 0, 2))
          .containsExactly(key("c", 1, 1_000), key("a", 1, 2_000));
      assertThat(store.reportKeysReceivedAfter(2_000, "a", 1, 2))
          .containsExactly(key("a", 2, 2_000), key("b", 1, 2_000));
      assertThat(store.reportKeysReceivedAfter(2_000, "b", 1, 2)).containsExactly(key("a", 3, 3_000));
      assertThatThrownBy(() -> store.reportKeysReceivedAfter(0, "", 0, 0)).hasMessageContaining("limit");
    }
  }

  @Test
  void reportsByKeyComeInTheOrderAskedWithTheHostsPoolAndLabelsAndWithoutGoneOnes() {
    try (Store store = open("r.db", CLOCK)) {
      store.writeReports(List.of(record("a", 1, 1_000), record("b", 1, 1_000), record("a", 2, 2_000)));
      List<ReportRecord> got =
          store.reports(
              List.of(new ReportKey("a", 2, 2_000), new ReportKey("gone", 1, 1), new ReportKey("b", 1, 1_000)));
      assertThat(got).extracting(r -> r.agentId() + "/" + r.seq()).containsExactly("a/2", "b/1");
      ReportRecord a2 = got.get(0);
      assertThat(a2.bodyJson()).isEqualTo("{\"seq\":2}");
      assertThat(a2.collectedAtMs()).isEqualTo(502);
      assertThat(a2.receivedAtMs()).isEqualTo(2_000);
      assertThat(a2.pool()).isEqualTo("p-a");
      assertThat(a2.labelsJson()).contains("p-a");
      assertThat(store.reports(List.of())).isEmpty();
      assertThat(store.reportsReceivedSince(1_500, 10)).extracting(ReportRecord::seq).containsExactly(2L);
    }
  }

  @Test
  void manyKeysAreReadInChunks() {
    try (Store store = open("r.db", CLOCK)) {
      List<ReportRecord> many = new java.util.ArrayList<>();
      for (int i = 1; i <= 250; i++) {
        many.add(record("h" + (i % 7), i, i));
      }
      store.writeReports(many);
      List<ReportKey> keys = store.reportKeysReceivedAfter(0, "", 0, 1_000);
      assertThat(keys).hasSize(250);
      assertThat(store.reports(keys)).extracting(ReportRecord::seq).isSorted().hasSize(250);
    }
  }
}

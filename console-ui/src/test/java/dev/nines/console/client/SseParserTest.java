package dev.nines.console.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
  final List<ServerEvent> events = new ArrayList<>();
  final List<String> comments = new ArrayList<>();

  SseParser parser(String resume) {
    return new SseParser(resume, events::add, comments::add);
  }

  static void feed(SseParser p, String text) {
    text.lines().forEach(p::line);
  }

  @Test
  void anEventWithIdTypeAndDataIsDispatchedAtTheBlankLine() {
    SseParser p = parser(null);
    p.line("id: 41");
    p.line("event: health");
    p.line("data: {\"hostId\":\"a\"}");
    assertThat(events).isEmpty();
    p.line("");
    assertThat(events).containsExactly(new ServerEvent("41", "health", "{\"hostId\":\"a\"}"));
    assertThat(p.lastEventId()).isEqualTo("41");
  }

  @Test
  void severalDataLinesAreJoinedWithNewlinesAndOnlyOneLeadingSpaceIsDropped() {
    SseParser p = parser(null);
    feed(p, "data:first\ndata:  second\ndata\n\n");
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.data()).isEqualTo("first\n second\n");
      assertThat(e.type()).isEqualTo("message");
      assertThat(e.id()).isNull();
      assertThat(e.durable()).isFalse();
    });
  }

  @Test
  void commentsAreNotEventsAndAreHandedOnWithoutTheColon() {
    SseParser p = parser("7");
    feed(p, ": keep-alive\n\n: events 3..5 were pruned\n\n");
    assertThat(events).isEmpty();
    assertThat(comments).containsExactly("keep-alive", "events 3..5 were pruned");
    assertThat(p.lastEventId()).isEqualTo("7");
  }

  @Test
  void aLiveEventWithoutIdKeepsTheLastDurableIdForResuming() {
    SseParser p = parser(null);
    feed(p, "id: 9\nevent: routing\ndata: {}\n\nevent: report\ndata: {\"seq\":1}\n\n");
    assertThat(events).extracting(ServerEvent::type).containsExactly("routing", "report");
    assertThat(events.get(1).id()).isNull();
    assertThat(p.lastEventId()).isEqualTo("9");
  }

  @Test
  void blocksWithoutDataUnknownFieldsAndBadIdsDispatchNothing() {
    SseParser p = parser(null);
    feed(p, "event: x\n\nfoo: bar\n\nid: a\u0000b\n\n");
    assertThat(events).isEmpty();
    assertThat(p.lastEventId()).isNull();
    p.line("id: 12");
    p.line("");
    assertThat(events).isEmpty();
    assertThat(p.lastEventId()).isEqualTo("12");
  }

  @Test
  void retryIsReadAndAnEventCutOffByTheEndOfTheStreamIsDropped() {
    SseParser p = parser(null);
    feed(p, "retry: 2500\nretry: soon\nid: 3\ndata: half");
    p.end();
    p.line("");
    assertThat(events).isEmpty();
    assertThat(p.retryMs()).isEqualTo(2500L);
    assertThat(p.lastEventId()).isNull();
  }

  @Test
  void theEventsJsonIsReadLeniently() {
    ServerEvent e = new ServerEvent("1", "health", "{\"hostId\":\"h\",\"to\":\"HEALTHY\",\"new\":1}");
    assertThat(e.json().path("to").asText()).isEqualTo("HEALTHY");
    record Health(String hostId, String to) {}
    assertThat(e.as(Health.class)).isEqualTo(new Health("h", "HEALTHY"));
    assertThat(new ServerEvent(null, "message", "not json").json().isEmpty()).isTrue();
  }
}

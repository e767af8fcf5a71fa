package dev.nines.console.client;

import java.util.function.Consumer;

/**
 * The {@code text/event-stream} line parser (the WHATWG rules the stream needs): {@code id},
 * {@code event}, {@code data} (several lines joined with {@code \n}), {@code retry}, comments
 * ({@code :}), a field without a colon, one space after the colon dropped, an event dispatched at a
 * blank line (none when no data line came). Pure: fed lines, it hands out events.
 */
final class SseParser {
  private final Consumer<ServerEvent> out;
  private final Consumer<String> comments;
  private StringBuilder data;
  private String type;
  private String pendingId;
  private boolean sawId;
  private String lastEventId;
  private Long retryMs;

  /**
   * @param lastEventId where the stream resumes from, or null
   * @param out receives every dispatched event
   * @param comments receives comment lines without the colon (keep-alives, "events A..B were pruned")
   */
  SseParser(String lastEventId, Consumer<ServerEvent> out, Consumer<String> comments) {
    this.lastEventId = lastEventId;
    this.out = out;
    this.comments = comments;
  }

  /** One line without its end of line. */
  void line(String line) {
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.charAt(0) == ':') {
      comments.accept(line.substring(1).strip());
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event":
        type = value;
        break;
      case "data":
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
        break;
      case "id":
        if (value.indexOf('\0') < 0) {
          pendingId = value;
          sawId = true;
        }
        break;
      case "retry":
        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
          try {
            retryMs = Long.parseLong(value);
          } catch (NumberFormatException e) {
            // too long to be a delay: ignored like any bad field
          }
        }
        break;
      default:
        // unknown fields are ignored
    }
  }

  /** The stream ended: an event not yet closed by a blank line is dropped, as the standard says. */
  void end() {
    data = null;
    type = null;
    pendingId = null;
    sawId = false;
  }

  /** The id of the last event (durable or carried over), for {@code Last-Event-ID}; null before any. */
  String lastEventId() {
    return lastEventId;
  }

  /** The server's {@code retry:} advice in ms, or null. */
  Long retryMs() {
    return retryMs;
  }

  private void dispatch() {
    if (sawId) {
      lastEventId = pendingId.isEmpty() ? null : pendingId;
    }
    if (data != null) {
      String t = type == null || type.isEmpty() ? "message" : type;
      String id = sawId && !pendingId.isEmpty() ? pendingId : null;
      out.accept(new ServerEvent(id, t, data.toString()));
    }
    data = null;
    type = null;
    pendingId = null;
    sawId = false;
  }
}

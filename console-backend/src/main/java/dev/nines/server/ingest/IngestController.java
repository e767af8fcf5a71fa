package dev.nines.server.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.protocol.AgentReport;
import dev.nines.protocol.Protocol;
import dev.nines.protocol.ReportReply;
import dev.nines.server.api.ApiException;
import dev.nines.server.auth.Access;
import dev.nines.server.store.GroupCommitWriter;
import dev.nines.server.store.QueueFullException;
import dev.nines.server.store.ReportRecord;
import dev.nines.server.store.ReportSamples;
import dev.nines.server.store.RoutingRecord;
import dev.nines.server.store.WriteResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code POST /api/v1/reports}: checks the token (agent or admin), the size (before parsing), the
 * report itself, then queues it for the group-commit writer and answers only after COMMIT with the
 * host's desired routing state. Nothing is stored on any error.
 */
public final class IngestController {
  private final Access access;
  private final GroupCommitWriter writer;
  private final ReportParser parser;
  private final ObjectMapper storage;
  private final ObjectMapper api;
  private final Map<ReplyKey, byte[]> replies = new ConcurrentHashMap<>();
  private final Clock clock;
  private final java.util.function.BiFunction<String, Map<String, String>, String> poolOf;
  private final Counter stored;
  private final Counter duplicates;
  private final Counter rejected;
  private final Counter overloaded;

  /**
   * @param api the strict mapper that reads reports
   * @param storage the mapper that writes them for storage
   */
  static final int MAX_CACHED_REPLIES = 10_000;

  public IngestController(
      Access access, GroupCommitWriter writer, ObjectMapper api, ObjectMapper storage, Clock clock,
      MeterRegistry meters) {
    this(access, writer, api, storage, clock, meters, (id, labels) -> labels == null ? null : labels.get("pool"));
  }

  /**
   * @param poolOf the pool a host belongs to, from its id and labels ({@code ServerConfig#poolOf})
   */
  public IngestController(
      Access access, GroupCommitWriter writer, ObjectMapper api, ObjectMapper storage, Clock clock,
      MeterRegistry meters, java.util.function.BiFunction<String, Map<String, String>, String> poolOf) {
    this.poolOf = poolOf;
    this.access = access;
    this.writer = writer;
    this.parser = new ReportParser(api);
    this.storage = storage;
    this.api = api;
    this.clock = clock;
    this.stored = outcome(meters, "stored", "Reports stored durably");
    this.duplicates = outcome(meters, "duplicate", "Reports acknowledged as duplicates of stored ones");
    this.rejected = outcome(meters, "rejected", "Reports refused as invalid or too large");
    this.overloaded = outcome(meters, "overloaded", "Reports refused because the write queue was full");
  }

  private static Counter outcome(MeterRegistry meters, String outcome, String description) {
    return Counter.builder("nines_ingest_reports")
        .description("Reports received, by outcome; " + description.toLowerCase(java.util.Locale.ROOT))
        .tag("outcome", outcome)
        .register(meters);
  }

  public void post(Context ctx) {
    access.require(ctx, Access.REPORTERS);
    long receivedAtMs = clock.millis();
    byte[] body = readBody(ctx);
    AgentReport report;
    try {
      report = parser.parse(body);
    } catch (ReportParser.InvalidReport e) {
      rejected.increment();
      throw new ApiException(400, "invalid report", e.getMessage());
    }
    ReportRecord record = record(report, body, receivedAtMs);
    CompletableFuture<WriteResult> done;
    try {
      done = writer.submit(record, report);
    } catch (QueueFullException e) {
      overloaded.increment();
      throw new ApiException(
          503, "overloaded", "the server is writing " + e.capacity() + " reports already; retry shortly",
          Map.of("Retry-After", "1"));
    }
    ctx.future(
        () ->
            done.thenAccept(
                r -> {
                  (r.duplicate() ? duplicates : stored).increment();
                  ctx.contentType(ContentType.APPLICATION_JSON).result(replyBytes(r));
                }));
  }

  /**
   * The reply as JSON, written once per distinct routing row and duplicate flag (hosts keep the same
   * routing row for long), not once per report. At most {@link #MAX_CACHED_REPLIES} are kept.
   */
  private byte[] replyBytes(WriteResult r) {
    ReplyKey key = new ReplyKey(r.routing(), r.duplicate());
    byte[] bytes = replies.get(key);
    if (bytes == null) {
      try {
        bytes = api.writeValueAsBytes(reply(r));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a reply could not be written as JSON", e);
      }
      if (replies.size() >= MAX_CACHED_REPLIES) {
        replies.clear();
      }
      replies.put(key, bytes);
    }
    return bytes;
  }

  private record ReplyKey(RoutingRecord routing, boolean duplicate) {}

  static ReportReply reply(WriteResult r) {
    RoutingRecord routing = r.routing();
    return new ReportReply(
        Protocol.CURRENT_VERSION, true, r.duplicate(), routing.state(), routing.reason(),
        routing.changedAtMs(), null);
  }

  /**
   * The row to store. The body is stored as received when it is plain UTF-8 JSON text (it was just
   * parsed, strictly, into a valid report, and every reader parses it the same way), which saves
   * writing the report as JSON again; otherwise (a byte order mark, UTF-16/32) it is re-written.
   */
  private ReportRecord record(AgentReport report, byte[] body, long receivedAtMs) {
    try {
      String json = storableAsReceived(body) ? new String(body, StandardCharsets.UTF_8) : storage.writeValueAsString(report);
      return new ReportRecord(
          report.agentId(), report.seq(), report.collectedAtMs(), receivedAtMs,
          poolOf.apply(report.agentId(), report.labels()),
          storage.writeValueAsString(report.labels()), json,
          ReportSamples.of(report));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a valid report could not be written as JSON", e);
    }
  }

  /**
   * True when the body is UTF-8 text: it starts (after JSON whitespace) with '{' and its second
   * byte is not 0 (as UTF-16LE/UTF-32LE would have; Jackson detects those from the first bytes).
   */
  static boolean storableAsReceived(byte[] body) {
    if (body.length < 2 || body[1] == 0) {
      return false;
    }
    for (byte b : body) {
      if (b == '{') {
        return true;
      }
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return false;
      }
    }
    return false;
  }

  private byte[] readBody(Context ctx) {
    int max = Protocol.MAX_REPORT_BYTES;
    long declared = ctx.contentLength();
    if (declared > max) {
      rejected.increment();
      throw tooLarge("Content-Length " + declared + " exceeds the limit of " + max + " bytes");
    }
    try (InputStream in = ctx.bodyInputStream()) {
      byte[] buf = in.readNBytes(max + 1);
      if (buf.length > max) {
        rejected.increment();
        throw tooLarge("the body exceeds the limit of " + max + " bytes");
      }
      return buf;
    } catch (IOException e) {
      throw new ApiException(400, "unreadable body", e.getMessage());
    }
  }

  private static ApiException tooLarge(String detail) {
    return new ApiException(413, "report too large", detail);
  }
}

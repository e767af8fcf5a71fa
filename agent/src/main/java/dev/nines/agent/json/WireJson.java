package dev.nines.agent.json;

import dev.nines.protocol.AgentReport;
import dev.nines.protocol.EndpointReport;
import dev.nines.protocol.GpuMetrics;
import dev.nines.protocol.GpuSection;
import dev.nines.protocol.HostMetrics;
import dev.nines.protocol.ProbeResult;
import dev.nines.protocol.ReportReply;
import dev.nines.protocol.RoutingState;
import dev.nines.protocol.ServerStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The wire records as JSON, in exactly the shape the backend's Jackson reads and writes: field
 * names are the record component names in declaration order, null fields are left out, enums are
 * written by name. Derived methods that are not components ({@code AgentReport.pool()}, {@code
 * HostMetrics.memoryUsedRatio()}) are not written.
 *
 * <p>Reading ignores unknown fields, gives a missing or null field null, refuses a wrong type with a
 * {@link JsonException} naming the field, and lets the record's own validation refuse wrong values
 * ({@link IllegalArgumentException}). Primitives follow the Jackson settings the agent used before:
 * a reply must hold every primitive ({@code FAIL_ON_NULL_FOR_PRIMITIVES}), while a missing or null
 * primitive of a GPU section reads as 0 or false.
 */
public final class WireJson {
  private WireJson() {}

  // ------------------------------------------------------------------ write

  /** A report as UTF-8 JSON, the body POSTed to the backend. */
  public static byte[] reportBytes(AgentReport report) {
    return toJson(report).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The JSON of any wire record the agent sends or receives: {@link AgentReport}, {@link
   * HostMetrics} and its {@link HostMetrics.FilesystemUsage} and {@link HostMetrics.NetworkRates},
   * {@link GpuSection}, {@link GpuMetrics}, {@link GpuMetrics.XidEvent}, {@link EndpointReport},
   * {@link ProbeResult}, {@link ServerStats}, {@link ReportReply} and {@link
   * ReportReply.AgentSettings}.
   *
   * @throws IllegalArgumentException for any other type
   */
  public static String toJson(Object record) {
    StringBuilder sb = new StringBuilder(1024);
    write(sb, record);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object value) {
    if (value instanceof AgentReport r) {
      report(sb, r);
    } else if (value instanceof HostMetrics h) {
      host(sb, h);
    } else if (value instanceof HostMetrics.FilesystemUsage f) {
      filesystem(sb, f);
    } else if (value instanceof HostMetrics.NetworkRates n) {
      network(sb, n);
    } else if (value instanceof GpuSection g) {
      gpuSection(sb, g);
    } else if (value instanceof GpuMetrics g) {
      gpu(sb, g);
    } else if (value instanceof GpuMetrics.XidEvent x) {
      xid(sb, x);
    } else if (value instanceof EndpointReport e) {
      endpoint(sb, e);
    } else if (value instanceof ProbeResult p) {
      probe(sb, p);
    } else if (value instanceof ServerStats s) {
      stats(sb, s);
    } else if (value instanceof ReportReply r) {
      reply(sb, r);
    } else if (value instanceof ReportReply.AgentSettings s) {
      settings(sb, s);
    } else {
      throw new IllegalArgumentException(
          "not a wire record: " + (value == null ? "null" : value.getClass().getName()));
    }
  }

  private static void report(StringBuilder sb, AgentReport r) {
    sb.append('{');
    field(sb, "version", r.version());
    field(sb, "agentId", r.agentId());
    field(sb, "seq", r.seq());
    field(sb, "collectedAtMs", r.collectedAtMs());
    field(sb, "intervalMs", r.intervalMs());
    if (r.labels() != null) {
      name(sb, "labels");
      sb.append('{');
      for (Map.Entry<String, String> label : r.labels().entrySet()) {
        field(sb, label.getKey(), label.getValue());
      }
      sb.append('}');
    }
    field(sb, "agentVersion", r.agentVersion());
    name(sb, "host");
    host(sb, r.host());
    name(sb, "gpu");
    gpuSection(sb, r.gpu());
    list(sb, "endpoints", r.endpoints());
    sb.append('}');
  }

  private static void host(StringBuilder sb, HostMetrics h) {
    sb.append('{');
    field(sb, "cpuUtilRatio", h.cpuUtilRatio());
    field(sb, "cpuCount", h.cpuCount());
    field(sb, "load1", h.load1());
    field(sb, "load5", h.load5());
    field(sb, "load15", h.load15());
    field(sb, "memoryTotalBytes", h.memoryTotalBytes());
    field(sb, "memoryAvailableBytes", h.memoryAvailableBytes());
    field(sb, "swapTotalBytes", h.swapTotalBytes());
    field(sb, "swapUsedBytes", h.swapUsedBytes());
    field(sb, "uptimeSeconds", h.uptimeSeconds());
    list(sb, "filesystems", h.filesystems());
    list(sb, "network", h.network());
    sb.append('}');
  }

  private static void filesystem(StringBuilder sb, HostMetrics.FilesystemUsage f) {
    sb.append('{');
    field(sb, "mount", f.mount());
    field(sb, "type", f.type());
    field(sb, "totalBytes", f.totalBytes());
    field(sb, "usedBytes", f.usedBytes());
    sb.append('}');
  }

  private static void network(StringBuilder sb, HostMetrics.NetworkRates n) {
    sb.append('{');
    field(sb, "name", n.name());
    field(sb, "rxBytesPerSecond", n.rxBytesPerSecond());
    field(sb, "txBytesPerSecond", n.txBytesPerSecond());
    field(sb, "rxErrorsPerSecond", n.rxErrorsPerSecond());
    field(sb, "txErrorsPerSecond", n.txErrorsPerSecond());
    sb.append('}');
  }

  private static void gpuSection(StringBuilder sb, GpuSection g) {
    sb.append('{');
    field(sb, "available", g.available());
    field(sb, "unavailableReason", g.unavailableReason());
    field(sb, "source", g.source());
    field(sb, "driverVersion", g.driverVersion());
    list(sb, "gpus", g.gpus());
    sb.append('}');
  }

  private static void gpu(StringBuilder sb, GpuMetrics g) {
    sb.append('{');
    field(sb, "index", g.index());
    field(sb, "uuid", g.uuid());
    field(sb, "name", g.name());
    field(sb, "utilGpuRatio", g.utilGpuRatio());
    field(sb, "utilMemoryRatio", g.utilMemoryRatio());
    field(sb, "memoryTotalBytes", g.memoryTotalBytes());
    field(sb, "memoryUsedBytes", g.memoryUsedBytes());
    field(sb, "temperatureC", g.temperatureC());
    field(sb, "powerDrawWatts", g.powerDrawWatts());
    field(sb, "powerLimitWatts", g.powerLimitWatts());
    field(sb, "eccUncorrectedVolatile", g.eccUncorrectedVolatile());
    field(sb, "throttleReasons", g.throttleReasons());
    if (g.throttleReasonNames() != null) {
      name(sb, "throttleReasonNames");
      sb.append('[');
      for (String s : g.throttleReasonNames()) {
        separate(sb);
        JsonWriter.string(sb, s);
      }
      sb.append(']');
    }
    list(sb, "xidEvents", g.xidEvents());
    sb.append('}');
  }

  private static void xid(StringBuilder sb, GpuMetrics.XidEvent x) {
    sb.append('{');
    field(sb, "xid", x.xid());
    field(sb, "atMs", x.atMs());
    sb.append('}');
  }

  private static void endpoint(StringBuilder sb, EndpointReport e) {
    sb.append('{');
    field(sb, "url", e.url());
    field(sb, "kind", e.kind());
    record(sb, "health", e.health());
    record(sb, "generation", e.generation());
    record(sb, "scrape", e.scrape());
    sb.append('}');
  }

  private static void probe(StringBuilder sb, ProbeResult p) {
    sb.append('{');
    field(sb, "ok", p.ok());
    field(sb, "statusCode", p.statusCode());
    field(sb, "latencyMs", (Double) p.latencyMs());
    field(sb, "timedOut", p.timedOut());
    field(sb, "error", p.error());
    field(sb, "atMs", p.atMs());
    sb.append('}');
  }

  private static void stats(StringBuilder sb, ServerStats s) {
    sb.append('{');
    field(sb, "ok", s.ok());
    field(sb, "error", s.error());
    field(sb, "format", s.format());
    field(sb, "requests", s.requests());
    field(sb, "errors", s.errors());
    field(sb, "latencyMeanMs", s.latencyMeanMs());
    field(sb, "latencyP50Ms", s.latencyP50Ms());
    field(sb, "latencyP95Ms", s.latencyP95Ms());
    field(sb, "latencyP99Ms", s.latencyP99Ms());
    field(sb, "running", s.running());
    field(sb, "waiting", s.waiting());
    field(sb, "malformedLines", s.malformedLines());
    sb.append('}');
  }

  private static void reply(StringBuilder sb, ReportReply r) {
    sb.append('{');
    field(sb, "version", r.version());
    field(sb, "accepted", r.accepted());
    field(sb, "duplicate", r.duplicate());
    field(sb, "desired", r.desired() == null ? null : r.desired().name());
    field(sb, "reason", r.reason());
    field(sb, "changedAtMs", r.changedAtMs());
    record(sb, "config", r.config());
    sb.append('}');
  }

  private static void settings(StringBuilder sb, ReportReply.AgentSettings s) {
    sb.append('{');
    field(sb, "intervalMs", s.intervalMs());
    sb.append('}');
  }

  /** A comma unless the value is the first in its object or array. */
  private static void separate(StringBuilder sb) {
    char last = sb.charAt(sb.length() - 1);
    if (last != '{' && last != '[') {
      sb.append(',');
    }
  }

  private static void name(StringBuilder sb, String name) {
    separate(sb);
    JsonWriter.string(sb, name);
    sb.append(':');
  }

  private static void field(StringBuilder sb, String name, String value) {
    if (value != null) {
      name(sb, name);
      JsonWriter.string(sb, value);
    }
  }

  private static void field(StringBuilder sb, String name, Long value) {
    if (value != null) {
      name(sb, name);
      sb.append(value.longValue());
    }
  }

  private static void field(StringBuilder sb, String name, long value) {
    name(sb, name);
    sb.append(value);
  }

  private static void field(StringBuilder sb, String name, Integer value) {
    if (value != null) {
      name(sb, name);
      sb.append(value.intValue());
    }
  }

  private static void field(StringBuilder sb, String name, Double value) {
    if (value != null) {
      name(sb, name);
      JsonWriter.number(sb, value);
    }
  }

  private static void field(StringBuilder sb, String name, boolean value) {
    name(sb, name);
    sb.append(value);
  }

  private static void record(StringBuilder sb, String name, Object value) {
    if (value != null) {
      name(sb, name);
      write(sb, value);
    }
  }

  private static void list(StringBuilder sb, String name, List<?> values) {
    if (values != null) {
      name(sb, name);
      sb.append('[');
      for (Object v : values) {
        separate(sb);
        write(sb, v);
      }
      sb.append(']');
    }
  }

  // ------------------------------------------------------------------- read

  /**
   * The backend's reply to a report.
   *
   * @throws JsonException when the body is not JSON or a field has the wrong type
   * @throws IllegalArgumentException when a value is refused by the record (e.g. version 0)
   */
  public static ReportReply readReply(byte[] utf8) {
    JsonFields f = JsonFields.of(JsonReader.parse(utf8), "ReportReply");
    JsonFields config = f.object("config");
    return new ReportReply(
        f.intValue("version"),
        f.bool("accepted"),
        f.bool("duplicate"),
        f.enumValue("desired", RoutingState.class),
        f.string("reason"),
        f.longValue("changedAtMs"),
        config == null ? null : new ReportReply.AgentSettings(config.optionalLong("intervalMs")));
  }

  /**
   * A GPU section (the simulator's {@code /sim/gpus}); null for a body of {@code null}.
   *
   * @throws JsonException when the body is not JSON or a field has the wrong type
   * @throws IllegalArgumentException when a value is refused by the record
   */
  public static GpuSection readGpuSection(byte[] utf8) {
    Object tree = JsonReader.parse(utf8);
    if (tree == null) {
      return null;
    }
    return gpuSection(JsonFields.of(tree, "GpuSection"));
  }

  private static GpuSection gpuSection(JsonFields f) {
    List<JsonFields> gpus = f.objects("gpus");
    List<GpuMetrics> metrics = null;
    if (gpus != null) {
      metrics = new ArrayList<>(gpus.size());
      for (JsonFields g : gpus) {
        metrics.add(gpu(g));
      }
    }
    return new GpuSection(
        f.bool("available", false),
        f.string("unavailableReason"),
        f.string("source"),
        f.string("driverVersion"),
        metrics);
  }

  private static GpuMetrics gpu(JsonFields f) {
    List<JsonFields> xids = f.objects("xidEvents");
    List<GpuMetrics.XidEvent> events = null;
    if (xids != null) {
      events = new ArrayList<>(xids.size());
      for (JsonFields x : xids) {
        events.add(new GpuMetrics.XidEvent(x.longValue("xid", 0), x.longValue("atMs", 0)));
      }
    }
    return new GpuMetrics(
        f.intValue("index", 0),
        f.string("uuid"),
        f.string("name"),
        f.optionalDouble("utilGpuRatio"),
        f.optionalDouble("utilMemoryRatio"),
        f.optionalLong("memoryTotalBytes"),
        f.optionalLong("memoryUsedBytes"),
        f.optionalDouble("temperatureC"),
        f.optionalDouble("powerDrawWatts"),
        f.optionalDouble("powerLimitWatts"),
        f.optionalLong("eccUncorrectedVolatile"),
        f.optionalLong("throttleReasons"),
        f.strings("throttleReasonNames"),
        events);
  }
}

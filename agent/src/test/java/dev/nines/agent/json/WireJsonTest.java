package dev.nines.agent.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The agent's codec cross-checked against Jackson set up as the backend sets it up. */
class WireJsonTest {
  /** The backend's strict reading settings (console-backend Json.api()), nulls left out. */
  private static final ObjectMapper JACKSON = strict().setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

  /** The backend's API writer: nulls are written. */
  private static final ObjectMapper JACKSON_WITH_NULLS = strict();

  private static ObjectMapper strict() {
    return JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .disable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
        .build();
  }

  /** Every character class a string can hold: quotes, backslash, controls, BMP and beyond. */
  private static final String NASTY =
      "q\"b\\s/ nl\n cr\r tab\t bs\b ff\f nul\u0000 us\u001f del\u007f ls\u2028 é 中 😀 end";

  /** The same for fields limited to 32 characters. */
  private static final String SHORT = "q\"\\/\n\t\u0000\u001f\u2028é中😀";

  private static final long BIG = 5_000_000_000L; // above 2^32

  // ------------------------------------------------------------------ samples

  static HostMetrics fullHost() {
    return new HostMetrics(
        0.123456789, 128, 1.0E-7, 12.5, Double.MIN_VALUE, Long.MAX_VALUE, BIG, 1L << 40, 1L << 33,
        BIG,
        List.of(
            new HostMetrics.FilesystemUsage("/mnt/" + NASTY, "ext4 " + SHORT, 1L << 45, 1L << 44),
            new HostMetrics.FilesystemUsage("/", null, 0, 0)),
        List.of(
            new HostMetrics.NetworkRates("eth0 " + SHORT, 1.0E22, 800.5, 0.0, 1.7976931348623157E308),
            new HostMetrics.NetworkRates("lo", null, null, null, null)));
  }

  static HostMetrics sparseHost() {
    return new HostMetrics(null, 0, null, null, null, 0, 0, 0, 0, 0, List.of(), List.of());
  }

  static GpuMetrics fullGpu() {
    return new GpuMetrics(
        7, "GPU-" + NASTY, "H200 " + NASTY, 1.0, 0.0, 150_000_000_000L, 149_999_999_999L, -0.0,
        612.123456789012, 700.0, BIG, 0xFFFF_FFFF_FFL,
        List.of("sw_power_cap", NASTY, ""),
        List.of(new GpuMetrics.XidEvent(79, 1_700_000_000_123L), new GpuMetrics.XidEvent(BIG, BIG)));
  }

  static GpuMetrics sparseGpu() {
    return new GpuMetrics(
        0, "GPU-0", null, null, null, null, null, null, null, null, null, null, null, null);
  }

  static GpuSection fullGpuSection() {
    return new GpuSection(
        true, "partly " + NASTY, "nvml", "550.54.15 " + SHORT, List.of(fullGpu(), sparseGpu()));
  }

  static ProbeResult fullProbe() {
    return new ProbeResult(false, 503, 1234.5678, true, "error " + NASTY, BIG * 1000);
  }

  static ProbeResult sparseProbe() {
    return new ProbeResult(true, null, 0.0, false, null, 0);
  }

  static ServerStats fullStats() {
    return new ServerStats(
        true, "err " + NASTY, "vllm", BIG * 3, BIG, 95.5, 80.25, 210.0, 4.0E10, 3.0, 0.5, 17);
  }

  static EndpointReport fullEndpoint() {
    return new EndpointReport(
        "http://127.0.0.1:8000/" + NASTY, "vllm " + SHORT, fullProbe(), sparseProbe(), fullStats());
  }

  static EndpointReport sparseEndpoint() {
    return new EndpointReport("http://h:1", "unknown", sparseProbe(), null, null);
  }

  static AgentReport fullReport() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("pool", "llama " + NASTY);
    labels.put("zone", "eu-1");
    labels.put("a.b:c@d-e_f", "x");
    return new AgentReport(
        1, "gpu-node-01.example:7@x", Long.MAX_VALUE, 1_700_000_000_123L, 3_600_000, labels,
        "0.1.0 " + SHORT, fullHost(), fullGpuSection(),
        List.of(fullEndpoint(), sparseEndpoint()));
  }

  static AgentReport sparseReport() {
    return new AgentReport(
        1, "m1", 1, 1, 100, null, null, sparseHost(), GpuSection.unavailable("none", "no NVML"),
        null);
  }

  static Stream<Object> records() {
    return Stream.of(
        fullReport(),
        sparseReport(),
        fullHost(),
        sparseHost(),
        fullHost().filesystems().get(0),
        fullHost().filesystems().get(1),
        fullHost().network().get(0),
        fullHost().network().get(1),
        fullGpuSection(),
        GpuSection.unavailable("sim", NASTY),
        fullGpu(),
        sparseGpu(),
        new GpuMetrics.XidEvent(Long.MAX_VALUE, 0),
        fullEndpoint(),
        sparseEndpoint(),
        fullProbe(),
        sparseProbe(),
        fullStats(),
        ServerStats.failed("down " + NASTY),
        fullReply(RoutingState.MAINTENANCE),
        sparseReply(RoutingState.ACTIVE),
        new ReportReply.AgentSettings(300_000L),
        new ReportReply.AgentSettings(null));
  }

  static ReportReply fullReply(RoutingState state) {
    return new ReportReply(
        1, true, true, state, "operator: " + NASTY, Long.MAX_VALUE,
        new ReportReply.AgentSettings(5000L));
  }

  static ReportReply sparseReply(RoutingState state) {
    return new ReportReply(1, false, false, state, null, 0, null);
  }

  // -------------------------------------------------------------------- write

  @ParameterizedTest
  @MethodSource("records")
  void jacksonReadsBackWhatWeWriteAsTheSameRecord(Object record) throws Exception {
    String ours = WireJson.toJson(record);

    assertThat(JACKSON.readValue(ours, record.getClass())).isEqualTo(record);
  }

  @ParameterizedTest
  @MethodSource("records")
  void ourTreeIsJacksonsTreeWithTheSameFieldOrder(Object record) throws Exception {
    String ours = WireJson.toJson(record);
    String theirs = JACKSON.writeValueAsString(record);

    JsonNode ourTree = JACKSON.readTree(ours);
    JsonNode theirTree = JACKSON.readTree(theirs);
    assertThat(ourTree).isEqualTo(theirTree);
    assertThat(fieldOrder(ourTree)).isEqualTo(fieldOrder(theirTree));
  }

  @Test
  void derivedMethodsAreNotWrittenByJacksonNorByUs() throws Exception {
    AgentReport report = fullReport();
    for (String json : List.of(WireJson.toJson(report), JACKSON.writeValueAsString(report))) {
      JsonNode tree = JACKSON.readTree(json);
      assertThat(names(tree)).containsExactly(
          "version", "agentId", "seq", "collectedAtMs", "intervalMs", "labels", "agentVersion",
          "host", "gpu", "endpoints");
      assertThat(names(tree.get("host"))).doesNotContain("memoryUsedRatio");
    }
  }

  @Test
  void writesLongsExactlyAndDoublesAsDoubles() {
    String json = WireJson.toJson(fullReport());

    assertThat(json).contains("\"seq\":9223372036854775807");
    assertThat(json).contains("\"memoryAvailableBytes\":5000000000");
    assertThat(json).contains("\"load1\":1.0E-7");
    assertThat(json).contains("\"temperatureC\":-0.0");
    assertThat(json).contains("\"powerLimitWatts\":700.0");
  }

  @Test
  void writesValidUtf8WithControlCharactersEscaped() {
    byte[] bytes = WireJson.reportBytes(fullReport());
    String json = new String(bytes, StandardCharsets.UTF_8);

    assertThat(json).contains("nul\\u0000 us\\u001f").contains("nl\\n cr\\r tab\\t bs\\b ff\\f");
    assertThat(json).contains("😀");
    assertThat(json.chars().filter(c -> c < 0x20)).isEmpty();
    assertThat(JsonReader.parse(bytes)).isInstanceOf(Map.class);
  }

  @Test
  void refusesToWriteWhatIsNotAWireRecord() {
    assertThatThrownBy(() -> WireJson.toJson("a string"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.String");
  }

  // --------------------------------------------------------------------- read

  static Stream<ReportReply> replies() {
    List<ReportReply> all = new ArrayList<>();
    for (RoutingState state : RoutingState.values()) {
      all.add(fullReply(state));
      all.add(sparseReply(state));
    }
    all.add(new ReportReply(1, true, false, RoutingState.DRAINING, "", 5,
        new ReportReply.AgentSettings(null)));
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("replies")
  void readsTheRepliesJacksonWritesWithAndWithoutNulls(ReportReply reply) throws Exception {
    assertThat(WireJson.readReply(JACKSON.writeValueAsBytes(reply))).isEqualTo(reply);
    assertThat(WireJson.readReply(JACKSON_WITH_NULLS.writeValueAsBytes(reply))).isEqualTo(reply);
  }

  static Stream<GpuSection> sections() {
    return Stream.of(
        fullGpuSection(),
        GpuSection.unavailable("sim", NASTY),
        new GpuSection(true, null, "sim", null, List.of()),
        new GpuSection(true, null, "sim", null, List.of(sparseGpu())));
  }

  @ParameterizedTest
  @MethodSource("sections")
  void readsTheGpuSectionsJacksonWritesWithAndWithoutNulls(GpuSection section) throws Exception {
    assertThat(WireJson.readGpuSection(JACKSON.writeValueAsBytes(section))).isEqualTo(section);
    assertThat(WireJson.readGpuSection(JACKSON_WITH_NULLS.writeValueAsBytes(section)))
        .isEqualTo(section);
  }

  @Test
  void ignoresUnknownFieldsAtEveryLevel() throws Exception {
    ObjectNode reply = (ObjectNode) JACKSON.valueToTree(fullReply(RoutingState.DRAINED));
    reply.put("newer", 1).putObject("nested").putArray("deep").add(1.5).addObject().put("x", "y");
    ((ObjectNode) reply.get("config")).put("futureSetting", true);
    assertThat(WireJson.readReply(JACKSON.writeValueAsBytes(reply)))
        .isEqualTo(fullReply(RoutingState.DRAINED));

    ObjectNode section = (ObjectNode) JACKSON.valueToTree(fullGpuSection());
    section.put("simulatorVersion", "9");
    ((ObjectNode) section.get("gpus").get(0)).putArray("faults").add("xid79");
    ((ObjectNode) section.get("gpus").get(0).get("xidEvents").get(0)).put("note", "n");
    assertThat(WireJson.readGpuSection(JACKSON.writeValueAsBytes(section)))
        .isEqualTo(fullGpuSection());
  }

  /** The agent's earlier Jackson settings for replies (Shipper.reportMapper()). */
  private static final ObjectMapper EARLIER_REPLY_READER =
      new ObjectMapper()
          .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

  /** The agent's earlier Jackson settings for the simulator's GPUs (SimGpuCollector). */
  private static final ObjectMapper EARLIER_GPU_READER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  @ParameterizedTest
  @ValueSource(strings = {"version", "accepted", "duplicate", "changedAtMs"})
  void refusesAReplyWithoutAPrimitiveAsTheAgentsJacksonDid(String field) {
    Map<String, String> fields = replyFields();
    fields.remove(field);
    byte[] missing = json(fields);
    fields.put(field, "null");
    byte[] isNull = json(fields);

    for (byte[] body : List.of(missing, isNull)) {
      assertThatThrownBy(() -> EARLIER_REPLY_READER.readValue(body, ReportReply.class))
          .hasMessageContaining("null");
      assertThatThrownBy(() -> WireJson.readReply(body))
          .isInstanceOf(JsonException.class)
          .hasMessageStartingWith("field '" + field + "' is required");
    }
  }

  @Test
  void readsAMissingOrNullGpuPrimitiveAsItsDefaultAsTheAgentsJacksonDid() throws Exception {
    byte[] body = ("{\"unavailableReason\":\"starting\",\"source\":\"sim\",\"available\":null,"
        + "\"gpus\":[{\"uuid\":\"GPU-1\",\"index\":null,\"xidEvents\":[{\"xid\":79}]}]}")
        .getBytes(StandardCharsets.UTF_8);

    GpuSection ours = WireJson.readGpuSection(body);

    assertThat(ours).isEqualTo(EARLIER_GPU_READER.readValue(body, GpuSection.class));
    assertThat(ours.available()).isFalse();
    assertThat(ours.gpus().get(0).index()).isZero();
    assertThat(ours.gpus().get(0).xidEvents().get(0).atMs()).isZero();
  }

  @Test
  void readsTheLiteralNullAsNoGpuSection() {
    assertThat(WireJson.readGpuSection("null".getBytes(StandardCharsets.UTF_8))).isNull();
  }

  @Test
  void namesTheFieldOfAWrongType() {
    assertThatThrownBy(() -> replyWith("version", "\"1\""))
        .isInstanceOf(JsonException.class)
        .hasMessage("field 'version' must be an integer (was a string)");
    assertThatThrownBy(() -> replyWith("changedAtMs", "1.5"))
        .isInstanceOf(JsonException.class)
        .hasMessage("field 'changedAtMs' must be an integer (was a number that is not a 64-bit integer)");
    assertThatThrownBy(() -> replyWith("accepted", "\"yes\""))
        .isInstanceOf(JsonException.class)
        .hasMessage("field 'accepted' must be true or false (was a string)");
    assertThatThrownBy(() -> replyWith("config", "{\"intervalMs\":\"5s\"}"))
        .isInstanceOf(JsonException.class)
        .hasMessage("field 'config.intervalMs' must be an integer (was a string)");
    assertThatThrownBy(() -> replyWith("config", "[]"))
        .isInstanceOf(JsonException.class)
        .hasMessage("field 'config' must be an object (was an array)");
    assertThatThrownBy(() -> replyWith("desired", "\"PAUSED\""))
        .isInstanceOf(JsonException.class)
        .hasMessage("field 'desired' must be one of ACTIVE, DRAINING, DRAINED, MAINTENANCE"
            + " (was \"PAUSED\")");
    assertThatThrownBy(() -> reply("[1]"))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("ReportReply must be a JSON object (was an array)");

    assertThatThrownBy(() -> section(
            "{\"available\":true,\"source\":\"sim\",\"gpus\":[{\"index\":0,\"uuid\":\"a\"},"
                + "{\"index\":\"1\",\"uuid\":\"b\"}]}"))
        .isInstanceOf(JsonException.class)
        .hasMessage("field 'gpus[1].index' must be an integer (was a string)");
    assertThatThrownBy(() -> section(
            "{\"available\":true,\"source\":\"sim\",\"gpus\":[{\"index\":0,\"uuid\":\"a\","
                + "\"xidEvents\":[{\"xid\":true}]}]}"))
        .isInstanceOf(JsonException.class)
        .hasMessage("field 'gpus[0].xidEvents[0].xid' must be an integer (was a boolean)");
    assertThatThrownBy(() -> section(
            "{\"available\":true,\"source\":\"sim\",\"gpus\":[{\"index\":0,\"uuid\":\"a\","
                + "\"throttleReasonNames\":[\"x\",2]}]}"))
        .isInstanceOf(JsonException.class)
        .hasMessage("field 'gpus[0].throttleReasonNames[1]' must be a string (was an integer)");
    assertThatThrownBy(() -> section(
            "{\"available\":true,\"source\":\"sim\",\"gpus\":[{\"index\":0,\"uuid\":\"a\","
                + "\"utilGpuRatio\":\"high\"}]}"))
        .isInstanceOf(JsonException.class)
        .hasMessage("field 'gpus[0].utilGpuRatio' must be a number (was a string)");
    assertThatThrownBy(() -> section(
            "{\"available\":true,\"source\":\"sim\",\"gpus\":[{\"index\":4294967296,\"uuid\":\"a\"}]}"))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("'gpus[0].index' must be a 32-bit integer");
    assertThatThrownBy(() -> section("{\"available\":true,\"source\":\"sim\",\"gpus\":{}}"))
        .isInstanceOf(JsonException.class)
        .hasMessage("field 'gpus' must be an array (was an object)");
  }

  @Test
  void leavesValueChecksToTheRecords() {
    assertThatThrownBy(() -> replyWith("desired", "null"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("desired is required");
    assertThatThrownBy(() -> replyWith("version", "2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version must be between 1 and 1");
    assertThatThrownBy(() -> replyWith("config", "{\"intervalMs\":10}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("config.intervalMs must be in 1000..300000");
    assertThatThrownBy(() -> section(
            "{\"available\":true,\"source\":\"sim\",\"gpus\":[{\"index\":0,\"uuid\":\"a\","
                + "\"utilGpuRatio\":1.5}]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gpus.utilGpuRatio must be a ratio in 0..1");
  }

  @Test
  void refusesMalformedReplies() {
    assertThatThrownBy(() -> reply("")).isInstanceOf(JsonException.class);
    assertThatThrownBy(() -> reply(new String(json(replyFields()), StandardCharsets.UTF_8) + " trailing"))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("unexpected content after the document");
    assertThatThrownBy(() -> reply("<html>502 Bad Gateway</html>"))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("offset 0");
  }

  /** A valid reply's fields as raw JSON values, in order. */
  private static Map<String, String> replyFields() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("version", "1");
    fields.put("accepted", "true");
    fields.put("duplicate", "false");
    fields.put("desired", "\"ACTIVE\"");
    fields.put("reason", "null");
    fields.put("changedAtMs", "12");
    fields.put("config", "null");
    return fields;
  }

  private static byte[] json(Map<String, String> rawFields) {
    StringBuilder sb = new StringBuilder("{");
    rawFields.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k)
        .append("\":").append(v));
    return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static ReportReply replyWith(String field, String rawValue) {
    Map<String, String> fields = replyFields();
    fields.put(field, rawValue);
    return WireJson.readReply(json(fields));
  }

  private static ReportReply reply(String json) {
    return WireJson.readReply(json.getBytes(StandardCharsets.UTF_8));
  }

  private static GpuSection section(String json) {
    return WireJson.readGpuSection(json.getBytes(StandardCharsets.UTF_8));
  }

  // ------------------------------------------------------------------ helpers

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Every object's field names in order, depth first (labels' order is the map's, so skipped). */
  private static List<String> fieldOrder(JsonNode node) {
    List<String> out = new ArrayList<>();
    collect(node, out, "");
    return out;
  }

  private static void collect(JsonNode node, List<String> out, String path) {
    if (node.isObject()) {
      if (path.endsWith("labels")) {
        return;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.add(path + "." + e.getKey());
        collect(e.getValue(), out, path + "." + e.getKey());
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collect(node.get(i), out, path + "[" + i + "]");
      }
    }
  }
}

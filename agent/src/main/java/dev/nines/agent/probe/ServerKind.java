package dev.nines.agent.probe;

/** The model servers whose Prometheus pages Nines understands. */
enum ServerKind {
  VLLM("vllm"),
  TRITON("triton"),
  TGI("tgi"),
  UNKNOWN("unknown");

  private final String wireName;

  ServerKind(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in {@code EndpointReport.kind} and {@code ServerStats.format}. */
  String wireName() {
    return wireName;
  }

  /** Whether the server speaks the OpenAI-compatible API (Triton's HTTP API is KServe v2). */
  boolean speaksOpenAi() {
    return this != TRITON;
  }
}

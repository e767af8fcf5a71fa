package dev.nines.agent;

import dev.nines.protocol.Protocol;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything an agent is told at start-up, validated once.
 *
 * @param id the host id (defaults to the hostname)
 * @param servers backend base URLs, tried in order with failover
 * @param token bearer token for posting reports (may be null for an unauthenticated test server)
 * @param labels host labels; {@code pool} and {@code zone} are understood by the backend
 * @param endpoints model servers' base URLs to probe and scrape
 * @param gpu {@code auto}, {@code nvml}, {@code none} or {@code sim:<url>}
 * @param nvmlLib path of libnvidia-ml, or null to find {@code libnvidia-ml.so.1} by name
 * @param interval report interval, 1 s .. 5 min
 * @param bind address of the local HTTP server and the agent-check responder
 * @param port local HTTP port (0 for an ephemeral port, -1 to disable)
 * @param agentCheckPort HAProxy agent-check port (0 for an ephemeral port, -1 to disable)
 * @param spoolDir directory for the sequence number, the report spool and the last desired state
 * @param healthPath the model servers' health path, or null to find it ({@code /health}, then
 *     Triton's {@code /v2/health/ready})
 * @param metricsPath the model servers' Prometheus page, or null for {@code /metrics}
 * @param generation whether to probe with a real one-token generation
 * @param model the model to ask for in the generation probe, or null for the first of
 *     {@code /v1/models}
 */
public record AgentSettings(
    String id,
    List<URI> servers,
    String token,
    Map<String, String> labels,
    List<URI> endpoints,
    String gpu,
    Path nvmlLib,
    Duration interval,
    String bind,
    int port,
    int agentCheckPort,
    Path spoolDir,
    String healthPath,
    String metricsPath,
    boolean generation,
    String model) {

  public AgentSettings {
    if (!Protocol.isValidId(id)) {
      throw new IllegalArgumentException(
          "--id must be 1-128 characters of letters, digits and . _ : @ - (was '" + id + "')");
    }
    servers = List.copyOf(servers);
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("--server: at least one backend URL is required");
    }
    for (URI s : servers) {
      requireHttp("--server", s);
    }
    labels = Map.copyOf(labels);
    endpoints = List.copyOf(endpoints);
    for (URI e : endpoints) {
      requireHttp("--endpoint", e);
    }
    if (gpu == null
        || !(gpu.equals("auto") || gpu.equals("nvml") || gpu.equals("none") || gpu.startsWith("sim:"))) {
      throw new IllegalArgumentException("--gpu must be auto, nvml, none or sim:<url> (was '" + gpu + "')");
    }
    if (gpu.startsWith("sim:")) {
      requireHttp("--gpu sim:", URI.create(gpu.substring(4)));
    }
    if (interval == null
        || interval.compareTo(Duration.ofSeconds(1)) < 0
        || interval.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("--interval must be between 1s and 5m (was " + interval + ")");
    }
    if (bind == null || bind.isBlank()) {
      throw new IllegalArgumentException("--bind is required");
    }
    requirePort("--port", port);
    requirePort("--agent-check-port", agentCheckPort);
    if (spoolDir == null) {
      throw new IllegalArgumentException("--spool-dir is required");
    }
    requirePath("--health-path", healthPath);
    requirePath("--metrics-path", metricsPath);
    if (model != null && (model.isBlank() || model.length() > 256)) {
      throw new IllegalArgumentException("--model must be 1-256 characters (was '" + model + "')");
    }
  }

  private static void requirePath(String option, String path) {
    if (path != null && !(path.startsWith("/") || path.startsWith("http://") || path.startsWith("https://"))) {
      throw new IllegalArgumentException(option + " must start with / or be an http(s) URL (was '" + path + "')");
    }
  }

  private static void requireHttp(String option, URI uri) {
    if (uri == null
        || uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new IllegalArgumentException(option + " must be an http(s) URL with a host (was '" + uri + "')");
    }
  }

  private static void requirePort(String option, int port) {
    if (port < -1 || port > 65535) {
      throw new IllegalArgumentException(option + " must be a port 0..65535, or -1 to disable (was " + port + ")");
    }
  }

  public String pool() {
    return labels.get("pool");
  }

  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** A builder for tests and the demo; the command line builds the record directly. */
  public static final class Builder {
    private final String id;
    private List<URI> servers = new ArrayList<>();
    private String token;
    private Map<String, String> labels = new LinkedHashMap<>();
    private List<URI> endpoints = new ArrayList<>();
    private String gpu = "auto";
    private Path nvmlLib;
    private Duration interval = Duration.ofSeconds(5);
    private String bind = "0.0.0.0";
    private int port = 7071;
    private int agentCheckPort = 7072;
    private Path spoolDir;
    private String healthPath;
    private String metricsPath;
    private boolean generation = true;
    private String model;

    private Builder(String id) {
      this.id = id;
    }

    public Builder servers(List<URI> v) { servers = v; return this; }
    public Builder token(String v) { token = v; return this; }
    public Builder labels(Map<String, String> v) { labels = v; return this; }
    public Builder endpoints(List<URI> v) { endpoints = v; return this; }
    public Builder gpu(String v) { gpu = v; return this; }
    public Builder nvmlLib(Path v) { nvmlLib = v; return this; }
    public Builder interval(Duration v) { interval = v; return this; }
    public Builder bind(String v) { bind = v; return this; }
    public Builder port(int v) { port = v; return this; }
    public Builder agentCheckPort(int v) { agentCheckPort = v; return this; }
    public Builder spoolDir(Path v) { spoolDir = v; return this; }
    public Builder healthPath(String v) { healthPath = v; return this; }
    public Builder metricsPath(String v) { metricsPath = v; return this; }
    public Builder generation(boolean v) { generation = v; return this; }
    public Builder model(String v) { model = v; return this; }

    public AgentSettings build() {
      return new AgentSettings(
          id, servers, token, labels, endpoints, gpu, nvmlLib, interval, bind, port, agentCheckPort, spoolDir,
          healthPath, metricsPath, generation, model);
    }
  }
}

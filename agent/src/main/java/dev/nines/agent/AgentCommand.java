package dev.nines.agent;

import dev.nines.agent.cli.Durations;
import dev.nines.agent.collect.host.OshiHostCollector;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import dev.nines.agent.net.AgentHttp;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nines agent}: runs the host agent until it is stopped. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run the Nines agent on a GPU host: collect host, GPU and model-server figures, ship them to",
      "the backend, spool them on disk while it is away, and enforce the drain state locally."
    },
    footer = {"", "Every option can also be set through NINES_<OPTION>, e.g. NINES_TOKEN, NINES_SERVER."})
public final class AgentCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--server", split = ",", paramLabel = "URL", defaultValue = "http://127.0.0.1:7070",
      description = "Backend base URL(s), comma-separated, tried in order with failover (default: ${DEFAULT-VALUE}).")
  List<String> servers;

  @Option(names = "--token", description = "Bearer token with the agent role.")
  String token;

  @Option(names = "--id", description = "Host id (default: the hostname).")
  String id;

  @Option(names = "--pool", description = "Pool this host serves (a label).")
  String pool;

  @Option(names = "--zone", description = "Zone or rack (a label).")
  String zone;

  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Extra label; repeatable.")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = "--endpoint", split = ",", paramLabel = "URL",
      description = "A model server's base URL to probe and scrape; repeatable or comma-separated.")
  List<String> endpoints = new ArrayList<>();

  @Option(names = "--gpu", defaultValue = "auto",
      description = "auto, nvml, none or sim:<url> (default: ${DEFAULT-VALUE}).")
  String gpu;

  @Option(names = "--nvml-lib", paramLabel = "PATH",
      description = "Path of libnvidia-ml.so.1 (default: found by name through the library path).")
  Path nvmlLib;

  @Option(names = "--interval", defaultValue = "5s", description = "Report interval, 1s..5m (default: ${DEFAULT-VALUE}).")
  String interval;

  @Option(names = "--bind", defaultValue = "0.0.0.0", description = "Address of the local endpoints (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--port", defaultValue = "7071", description = "Local HTTP port for /ready, /healthz, /metrics; -1 disables (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--agent-check-port", defaultValue = "7072", description = "HAProxy agent-check TCP port; -1 disables (default: ${DEFAULT-VALUE}).")
  int agentCheckPort;

  @Option(names = "--spool-dir", defaultValue = "./nines-agent-spool",
      description = "Directory for the sequence number, the report spool and the last desired state (default: ${DEFAULT-VALUE}).")
  Path spoolDir;

  @Option(names = "--health-path", paramLabel = "PATH",
      description = "Model servers' health path (default: /health, then Triton's /v2/health/ready).")
  String healthPath;

  @Option(names = "--metrics-path", paramLabel = "PATH",
      description = "Model servers' Prometheus page, a path or a whole URL (default: /metrics; Triton: http://host:8002/metrics).")
  String metricsPath;

  @Option(names = "--no-generation", negatable = false,
      description = "Do not probe with a real one-token generation (health and scrape only).")
  boolean noGeneration;

  @Option(names = "--model", description = "Model to ask for in the generation probe (default: the first of /v1/models).")
  String model;

  @Override
  public Integer call() throws Exception {
    AgentSettings settings;
    try {
      settings = settings();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    Clock clock = Clock.systemUTC();
    AgentHttp http = AgentHttp.create(Duration.ofSeconds(2));
    CountDownLatch stopped = new CountDownLatch(1);
    try (Agent agent = Agent.start(settings, new OshiHostCollector(clock), http, clock)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        agent.close();
        stopped.countDown();
      }, "nines-agent-shutdown"));
      System.out.printf(
          "nines agent %s (pool %s) reporting to %s every %s; local http %s, agent-check %s%n",
          settings.id(), settings.pool(), settings.servers(), interval,
          agent.localPort() < 0 ? "off" : String.valueOf(agent.localPort()),
          agent.agentCheckPort() < 0 ? "off" : String.valueOf(agent.agentCheckPort()));
      stopped.await();
    }
    return 0;
  }

  AgentSettings settings() {
    Map<String, String> all = new LinkedHashMap<>(labels);
    if (pool != null) {
      all.put("pool", pool);
    }
    if (zone != null) {
      all.put("zone", zone);
    }
    return new AgentSettings(
        id != null ? id : hostname(),
        servers.stream().map(String::trim).filter(s -> !s.isEmpty()).map(s -> uri("--server", s)).toList(),
        token,
        all,
        endpoints.stream().map(String::trim).filter(s -> !s.isEmpty()).map(s -> uri("--endpoint", s)).toList(),
        gpu,
        nvmlLib,
        Durations.parse("--interval", interval),
        bind,
        port,
        agentCheckPort,
        spoolDir,
        healthPath,
        metricsPath,
        !noGeneration,
        model);
  }

  private static URI uri(String option, String text) {
    try {
      return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + " is not a URL: '" + text + "'");
    }
  }

  private static String hostname() {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      int dot = name.indexOf('.');
      return dot > 0 ? name.substring(0, dot) : name;
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }
}

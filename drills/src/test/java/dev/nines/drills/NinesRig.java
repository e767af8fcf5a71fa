package dev.nines.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Everything of a Nines drill: simulated servers, a backend child process whose pool {@code llm}
 * drives HAProxy over its runtime socket, one in-process agent per server, and HAProxy with its own
 * health checks ({@code check inter 2s fall 3 rise 2}) plus agent-check on the agents' ports. Host
 * {@code host-i} is HAProxy's server {@code s-i}. Closed in reverse order.
 */
final class NinesRig implements AutoCloseable {
  static final String TOKEN = "drill-admin-token-0123456789";
  static final String POOL = "llm";
  static final int RATE = 200;

  /** Health rules of every drill: act on the first bad report, come back after two good ones. */
  static final String RULES = """
      rules:
        failAfter: 1
        recoverAfter: 2
        latencyVsPoolFactor: 3
        latencyVsPoolReports: 1
        generationFailures: 1
      """;

  private final SimServers sims;
  private final AtomicReference<BackendProcess> backend;
  private final Agents agents;
  private final Haproxy haproxy;
  private final List<BackendProcess> dead = new ArrayList<>();

  private NinesRig(SimServers sims, BackendProcess backend, Agents agents, Haproxy haproxy) {
    this.sims = sims;
    this.backend = new AtomicReference<>(backend);
    this.agents = agents;
    this.haproxy = haproxy;
  }

  /**
   * The YAML of a backend with pool {@code llm} of hosts {@code host-1..host-n}, HAProxy's runtime
   * socket {@code socket}, and {@code poolKeys} (further keys of the pool, each line indented by 4).
   * Pure.
   */
  static String config(int n, Path socket, String poolKeys) {
    String members = IntStream.rangeClosed(1, n).mapToObj(i -> "host-" + i).collect(Collectors.joining(", "));
    String servers = IntStream.rangeClosed(1, n).mapToObj(i -> "host-" + i + ": s" + i)
        .collect(Collectors.joining(", "));
    return RULES
        + "pools:\n"
        + "  " + POOL + ":\n"
        + "    members: [" + members + "]\n"
        + poolKeys
        + "    haproxy:\n"
        + "      runtime: \"unix:" + socket + "\"\n"
        + "      backend: " + Haproxy.BACKEND + "\n"
        + "      servers: {" + servers + "}\n";
  }

  /**
   * Starts {@code n} servers, the backend with {@link #config}, the agents, HAProxy; waits until
   * every host has reported and is HEALTHY, and the hosts in {@code expectedRouting} (others:
   * ACTIVE) have that routing state, also in HAProxy; then warms the load up for 2 s.
   */
  static NinesRig start(Path dir, int n, String poolKeys, Duration timeoutServer, Map<String, String> expectedRouting) {
    Path socket = dir.resolve("admin.sock");
    Path cfg = dir.resolve("nines.yaml");
    try {
      Files.writeString(cfg, config(n, socket, poolKeys));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SimServers sims = SimServers.start(n);
    BackendProcess backend = null;
    Agents agents = null;
    Haproxy haproxy = null;
    try {
      backend = BackendProcess.start(new BackendProcess.Launch(dir, dir.resolve("nines.db").toString(), cfg, TOKEN, 0));
      agents = Agents.start(sims.servers(), backend.url(), TOKEN, POOL, dir);
      haproxy = Haproxy.start(
          Haproxy.Settings.of(agents.haproxyServers())
              .withCheck(Haproxy.HealthCheck.debianDefaults())
              .withRetries(0)
              .withTimeouts(Duration.ofSeconds(30), timeoutServer),
          dir);
      NinesRig rig = new NinesRig(sims, backend, agents, haproxy);
      rig.awaitSettled(n, expectedRouting);
      LoadGen.warmUp(haproxy.frontendUrl(), RATE, 2);
      return rig;
    } catch (RuntimeException | Error e) {
      String log = backend == null ? "" : backend.log();
      closeAll(haproxy, agents, backend, sims);
      throw new IllegalStateException("the Nines rig did not start: " + e.getMessage() + "\nbackend log:\n"
          + tail(log, 4000), e);
    }
  }

  private void awaitSettled(int n, Map<String, String> expectedRouting) {
    Map<String, String> health = new TreeMap<>();
    Map<String, String> routing = new TreeMap<>();
    for (int i = 1; i <= n; i++) {
      health.put("host-" + i, "HEALTHY");
      routing.put("host-" + i, expectedRouting.getOrDefault("host-" + i, "ACTIVE"));
    }
    await("every host HEALTHY with its routing").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> {
          assertThat(backend().hostHealth()).isEqualTo(health);
          assertThat(backend().hostRouting()).isEqualTo(routing);
        });
    List<String> inRotation = routing.entrySet().stream().filter(e -> e.getValue().equals("ACTIVE"))
        .map(e -> server(e.getKey())).sorted().toList();
    await("HAProxy's rotation follows the routing").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(haproxy.inRotation()).containsExactlyInAnyOrderElementsOf(inRotation));
  }

  /** HAProxy's server of a host: {@code host-2} is {@code s2}. */
  static String server(String hostId) {
    return "s" + hostId.substring("host-".length());
  }

  BackendProcess backend() {
    return backend.get();
  }

  /** SIGKILLs the backend (the rig keeps it for {@link #close}). */
  void killBackend() {
    BackendProcess b = backend.get();
    b.kill();
    dead.add(b);
  }

  /** Starts the backend again on its database, configuration and port. */
  void restartBackend() {
    backend.set(backend.get().restart());
  }

  SimServers sims() {
    return sims;
  }

  Agents agents() {
    return agents;
  }

  Haproxy haproxy() {
    return haproxy;
  }

  LoadGen.Settings load(int seconds) {
    return LoadGen.Settings.completions(haproxy.frontendUrl(), RATE, Duration.ofSeconds(seconds));
  }

  /** {@code GET /api/v1/hosts/{id}}'s routing object. */
  JsonNode routingOf(String hostId) {
    return backend().get("/api/v1/hosts/" + hostId).path("routing");
  }

  /** {@code GET /api/v1/pools/llm/routing}. */
  JsonNode poolRouting() {
    return backend().get("/api/v1/pools/" + POOL + "/routing");
  }

  /** Every audit line whose action starts with {@code routing.} (newest first, at most 1000). */
  List<JsonNode> routingAudit() {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode a : backend().get("/api/v1/audit?limit=1000").path("items")) {
      if (a.path("action").asText("").startsWith("routing.")) {
        out.add(a);
      }
    }
    return out;
  }

  /** The end of the backend's log, for failure messages. */
  String backendLog() {
    return tail(backend().log(), 6000);
  }

  private static String tail(String s, int chars) {
    return s.length() <= chars ? s : s.substring(s.length() - chars);
  }

  @Override
  public void close() {
    List<AutoCloseable> all = new ArrayList<>();
    all.add(haproxy);
    all.add(agents);
    all.add(backend.get());
    all.addAll(dead);
    all.add(sims);
    closeAll(all.toArray(new AutoCloseable[0]));
  }

  private static void closeAll(AutoCloseable... things) {
    RuntimeException first = null;
    for (AutoCloseable c : things) {
      if (c == null) {
        continue;
      }
      try {
        c.close();
      } catch (Exception e) {
        if (first == null) {
          first = new IllegalStateException("closing the rig failed", e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}

package dev.nines.launcher;

import dev.nines.agent.Agent;
import dev.nines.agent.AgentSettings;
import dev.nines.agent.cli.Durations;
import dev.nines.agent.collect.host.HostCollector;
import dev.nines.agent.collect.host.OshiHostCollector;
import dev.nines.server.NinesServer;
import dev.nines.server.ServerSettings;
import dev.nines.sim.SimConfig;
import dev.nines.sim.SimFleet;
import dev.nines.sim.SimServer;
import java.io.PrintStream;
import java.net.URI;
import dev.nines.agent.net.AgentHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a whole fleet on this machine: the backend on SQLite, six simulated model servers with
 * simulated GPUs in two pools, an agent for each, and a little traffic so the figures move.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run a demo fleet on this machine: the server on embedded SQLite, simulated model servers",
      "with simulated GPUs in two pools, and an agent for each. Ctrl-C stops everything."
    })
final class DemoCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", defaultValue = "7070", description = "Server port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--data-dir", defaultValue = "./nines-data", description = "Where the database and agent spools live (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--sim-port", defaultValue = "8001", description = "First simulated model server port (default: ${DEFAULT-VALUE}).")
  int simPort;

  @Option(names = "--sim-control-port", defaultValue = "7999", description = "Simulator control port; 0 for an ephemeral one (default: ${DEFAULT-VALUE}).")
  int simControlPort;

  @Option(names = "--hosts", defaultValue = "6", description = "Simulated hosts, split over two pools (default: ${DEFAULT-VALUE}).")
  int hosts;

  @Option(names = "--interval", defaultValue = "2s", description = "Agent report interval (default: ${DEFAULT-VALUE}).")
  String interval;

  @Option(names = "--agent-port", defaultValue = "7101", description = "First agent's local HTTP port; agent-check ports start 100 higher; 0 for ephemeral ports (default: ${DEFAULT-VALUE}).")
  int agentPort;

  @Option(names = "--admin-token", description = "Admin token to use instead of a generated one.")
  String adminToken;

  @Option(names = "--traffic", defaultValue = "4", description = "Requests per second sent to each simulated server (default: ${DEFAULT-VALUE}; 0 for none).")
  double trafficPerSecond;

  @Option(names = "--no-console", description = "Do not open the JavaFX console (it opens when a display exists).")
  boolean noConsole;

  @Option(names = "--run-for", description = "Stop by itself after this long (e.g. 30s); runs until Ctrl-C when absent.")
  String runFor;

  @Override
  public Integer call() throws Exception {
    Duration every;
    Duration limit;
    try {
      if (hosts < 1 || hosts > 64) {
        throw new IllegalArgumentException("--hosts must be in 1..64 (was " + hosts + ")");
      }
      every = Durations.parse("--interval", interval);
      limit = runFor == null ? null : Durations.parse("--run-for", runFor);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrintStream out = System.out;
    Files.createDirectories(dataDir);
    Clock clock = Clock.systemUTC();
    List<AutoCloseable> open = new ArrayList<>();
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.countDown();
      closeAll(open);
    }, "nines-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      out.println("Starting the Nines demo (data in " + dataDir.toAbsolutePath().normalize() + ")");
      NinesServer server =
          NinesServer.start(
              new ServerSettings("127.0.0.1", port, dataDir.resolve("nines.db").toString(), null, adminToken),
              clock);
      open.add(server);
      // The given token; or the one the server generated on a first start; or a fresh one.
      String admin =
          adminToken != null
              ? adminToken
              : server.generatedAdminToken().orElseGet(() -> server.createToken("admin", "demo-admin"));
      String agentToken = server.createToken("agent", "demo-agents");
      String viewer = server.createToken("viewer", "demo-viewer");
      String operator = server.createToken("operator", "demo-operator");
      String base = "http://127.0.0.1:" + server.port();
      out.println("Server listening on " + base);

      SimFleet fleet =
          SimFleet.start(
              new SimConfig("127.0.0.1", simPort, hosts, simControlPort, 40, 2, "sim-llama-3-8b", 42L), clock);
      open.add(0, fleet);

      AgentHttp http = AgentHttp.create(Duration.ofSeconds(2));
      HostCollector hostCollector = new OshiHostCollector(clock);
      List<Agent> agents = new ArrayList<>();
      for (int i = 0; i < hosts; i++) {
        SimServer sim = fleet.servers().get(i);
        String pool = i < (hosts + 1) / 2 ? "llama-70b" : "mixtral-8x7b";
        String id = String.format("gpu-node-%02d", i + 1);
        AgentSettings settings =
            AgentSettings.builder(id)
                .servers(List.of(URI.create(base)))
                .token(agentToken)
                .labels(Map.of("pool", pool, "zone", i % 2 == 0 ? "zone-a" : "zone-b"))
                .endpoints(List.of(URI.create(sim.baseUrl())))
                .gpu("sim:" + sim.baseUrl())
                .interval(every)
                .bind("127.0.0.1")
                .port(agentPort == 0 ? 0 : agentPort + i)
                .agentCheckPort(agentPort == 0 ? 0 : agentPort + 100 + i)
                .spoolDir(dataDir.resolve("agents").resolve(id))
                .build();
        Agent agent = Agent.start(settings, hostCollector, http, clock);
        agents.add(agent);
        open.add(0, agent);
      }
      DemoTraffic traffic = DemoTraffic.start(fleet.servers(), trafficPerSecond);
      open.add(0, traffic);
      DemoPager pager = DemoPager.start(base, admin, out);
      open.add(0, pager);

      out.println();
      out.println("Nines demo is running.");
      out.println("  Server        " + base + "   (API under /api/v1, Prometheus page at /metrics)");
      out.println("  Admin token   " + admin);
      out.println("  Operator      " + operator);
      out.println("  Viewer token  " + viewer);
      out.println("  Agent token   " + agentToken);
      out.println("  Pager         alerts arrive as signed webhooks and are printed below as [pager] lines");
      out.println("  Simulator     control at http://127.0.0.1:" + fleet.controlPort() + "/sim/servers");
      for (int i = 0; i < agents.size(); i++) {
        Agent a = agents.get(i);
        SimServer sim = fleet.servers().get(i);
        out.printf(
            "  %-12s pool %-13s model server %s  agent http://127.0.0.1:%d/ready  agent-check tcp %d%n",
            a.id(), a.pool(), sim.baseUrl(), a.localPort(), a.agentCheckPort());
      }
      out.println();
      out.println("Try:");
      out.println("  curl -s -H 'Authorization: Bearer " + viewer + "' " + base + "/api/v1/hosts");
      out.println("  curl -sN -H 'Authorization: Bearer " + viewer + "' " + base + "/api/v1/events");
      out.println("  curl -s -X POST -d '{\"mode\":\"slow\",\"latencyMs\":400}' "
          + fleet.servers().get(0).baseUrl() + "/sim/fault");
      out.println("  curl -s -X POST -d '{\"mode\":\"hang\"}' " + fleet.servers().get(0).baseUrl()
          + "/sim/fault      # the policy drains it after 30 s UNHEALTHY");
      out.println("  curl -s -X POST -H 'Authorization: Bearer " + operator + "' -d '{\"reason\":\"kernel upgrade\",\"dryRun\":true}' "
          + base + "/api/v1/hosts/" + agents.get(Math.min(1, agents.size() - 1)).id() + "/drain");
      out.println("  curl -s -H 'Authorization: Bearer " + viewer + "' " + base + "/api/v1/pools/llama-70b/routing");
      out.println("  curl -s -X POST -d '{\"mode\":\"gpu-xid\",\"xid\":79}' " + fleet.servers().get(0).baseUrl()
          + "/sim/fault   # a fatal XID: the pager prints gpu-fault within seconds");
      out.println("  curl -s -H 'Authorization: Bearer " + viewer + "' " + base + "/api/v1/alerts");
      out.println("  ./nines report uptime --server " + base + " --token " + viewer + " --last 7d --out uptime.pdf");
      if (!noConsole && displayAvailable()) {
        openConsole(base, operator, out);
      }
      out.println("Press Ctrl-C to stop.");
      out.flush();

      if (limit == null) {
        stop.await();
      } else if (!stop.await(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        out.println("Demo ran for " + runFor + "; stopping.");
      }
      return 0;
    } finally {
      closeAll(open);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it closes everything itself.
      }
    }
  }

  /** Opens the console in this JVM as the demo operator; a failure is told and the demo goes on. */
  private static void openConsole(String base, String operatorToken, PrintStream out) {
    try {
      dev.nines.console.Launcher.openInBackground(base, operatorToken);
      out.println("  Console       opening the JavaFX console as demo-operator (--no-console to skip)");
    } catch (Throwable e) {
      out.println("  Console       could not be opened (" + e + "); run ./nines console --server " + base
          + " --token " + operatorToken);
    }
  }

  /** Whether a window can be shown: AWT is not headless and a display is set (X11 or Wayland). */
  static boolean displayAvailable() {
    try {
      return !java.awt.GraphicsEnvironment.isHeadless()
          && hasDisplay(System.getenv(), System.getProperty("os.name", ""));
    } catch (Throwable e) {
      return false;
    }
  }

  /** On Linux and other Unixes, DISPLAY or WAYLAND_DISPLAY must be set; Windows and macOS always have one. Pure. */
  static boolean hasDisplay(Map<String, String> env, String osName) {
    String os = osName.toLowerCase(java.util.Locale.ROOT);
    if (os.startsWith("windows") || os.startsWith("mac")) {
      return true;
    }
    return isSet(env.get("DISPLAY")) || isSet(env.get("WAYLAND_DISPLAY"));
  }

  private static boolean isSet(String v) {
    return v != null && !v.isBlank();
  }

  private static synchronized void closeAll(List<AutoCloseable> open) {
    for (AutoCloseable c : List.copyOf(open)) {
      try {
        c.close();
      } catch (Exception e) {
        System.err.println("demo: error while stopping " + c + ": " + e);
      }
    }
    open.clear();
  }
}

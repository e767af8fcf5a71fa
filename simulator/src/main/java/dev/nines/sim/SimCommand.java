package dev.nines.sim;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nines sim}: runs fake model servers until interrupted. */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    description = {
      "Runs fake OpenAI-compatible model servers with vLLM metrics and simulated GPUs,",
      "on consecutive ports from --port, with faults injected at run time through",
      "POST <server>/sim/fault or POST <control>/sim/servers/{index}/fault."
    })
public final class SimCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--count", defaultValue = "1", description = "Model servers to run (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--port", defaultValue = "8000",
      description = "Port of the first model server; the others follow. 0: ephemeral ports (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--control-port", defaultValue = "7999",
      description = "Port of the control server; 0 ephemeral, -1 none (default: ${DEFAULT-VALUE}).")
  int controlPort;

  @Option(names = "--base-latency-ms", defaultValue = "40",
      description = "Latency of an inference request before tokens, jitter and faults (default: ${DEFAULT-VALUE}).")
  long baseLatencyMs;

  @Option(names = "--gpus", defaultValue = "2", description = "Simulated GPUs per server (default: ${DEFAULT-VALUE}).")
  int gpus;

  @Option(names = "--model", defaultValue = "sim-llama-3-8b", description = "Model name served (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of jitter and injected errors (default: ${DEFAULT-VALUE}).")
  long seed;

  /** Counted down when the fleet is up (tests wait on it). */
  final CountDownLatch started = new CountDownLatch(1);

  private final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() {
    SimConfig config;
    try {
      config = new SimConfig(bind, port, count, controlPort, baseLatencyMs, gpus, model, seed);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("nines sim: " + e.getMessage());
      return 2;
    }
    PrintWriter out = spec.commandLine().getOut();
    SimFleet fleet = SimFleet.start(config, Clock.systemUTC());
    Thread hook = new Thread(() -> {
      stop.countDown();
      fleet.close();
    }, "sim-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    for (SimServer s : fleet.servers()) {
      out.printf("model server %d: %s  (gpus: %s/sim/gpus, faults: POST %s/sim/fault)%n",
          s.index(), s.baseUrl(), s.baseUrl(), s.baseUrl());
    }
    if (fleet.controlUrl() != null) {
      out.printf("control: %s/sim/servers%n", fleet.controlUrl());
    }
    out.println("press Ctrl+C to stop");
    out.flush();
    started.countDown();
    boolean interrupted = false;
    try {
      stop.await();
    } catch (InterruptedException e) {
      interrupted = true;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook is running and closes the fleet.
      return 0;
    }
    // Closed before the interrupt flag is restored: Jetty's stop waits, and would fail at once.
    fleet.close();
    out.println("simulator stopped");
    out.flush();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}

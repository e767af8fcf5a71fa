package dev.nines.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set of fake model servers on consecutive ports, plus an optional control server that reaches
 * each of them even while its model port is down. Start with {@link #start}; close to stop all.
 */
public final class SimFleet implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimFleet.class);

  private final List<SimServer> servers;
  private final ControlServer control;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService responder;

  private SimFleet(List<SimServer> servers, ControlServer control,
      ScheduledExecutorService scheduler, ExecutorService responder) {
    this.servers = List.copyOf(servers);
    this.control = control;
    this.scheduler = scheduler;
    this.responder = responder;
  }

  /**
   * Starts {@code config.count()} servers and the control server.
   *
   * @throws IllegalStateException if a port cannot be bound (everything started is stopped)
   */
  public static SimFleet start(SimConfig config, Clock clock) {
    ScheduledThreadPoolExecutor scheduler =
        new ScheduledThreadPoolExecutor(2, daemonThreads("sim-timer"));
    scheduler.setRemoveOnCancelPolicy(true);
    // Answers are written here, not on the timer threads, so a slow client cannot delay others.
    ExecutorService responder = Executors.newFixedThreadPool(4, daemonThreads("sim-respond"));
    ObjectMapper mapper = new ObjectMapper();
    List<SimServer> servers = new ArrayList<>();
    ControlServer control = null;
    try {
      for (int i = 0; i < config.count(); i++) {
        int port = config.firstPort() == 0 ? 0 : config.firstPort() + i;
        SimServer s = new SimServer(i, config, port, clock, scheduler, responder, mapper);
        servers.add(s);
        s.start();
      }
      if (config.controlPort() >= 0) {
        control = new ControlServer(servers, mapper);
        control.start(config.bindHost(), config.controlPort());
      }
    } catch (RuntimeException e) {
      servers.forEach(SimServer::close);
      scheduler.shutdownNow();
      responder.shutdownNow();
      throw new IllegalStateException("cannot start the simulated fleet: " + e.getMessage(), e);
    }
    SimFleet fleet = new SimFleet(servers, control, scheduler, responder);
    log.info("simulated fleet of {} servers started (control port {})", servers.size(),
        fleet.controlPort());
    return fleet;
  }

  public List<SimServer> servers() {
    return servers;
  }

  /** The control server's port, or 0 when there is none. */
  public int controlPort() {
    return control == null ? 0 : control.port();
  }

  /** The control server's base URL, or null when there is none. */
  public String controlUrl() {
    return control == null ? null : control.baseUrl();
  }

  @Override
  public void close() {
    if (control != null) {
      quietly("control server", control::stop);
    }
    for (SimServer s : servers) {
      quietly("server " + s.index(), s::close);
    }
    scheduler.shutdownNow();
    responder.shutdown();
    try {
      responder.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    responder.shutdownNow();
  }

  private static void quietly(String what, Runnable stop) {
    try {
      stop.run();
    } catch (RuntimeException e) {
      log.warn("stopping the simulated {} failed: {}", what, e.toString());
    }
  }

  static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}

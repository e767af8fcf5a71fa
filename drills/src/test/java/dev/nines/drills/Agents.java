package dev.nines.drills;

import dev.nines.agent.Agent;
import dev.nines.agent.AgentSettings;
import dev.nines.agent.collect.host.OshiHostCollector;
import dev.nines.agent.net.AgentHttp;
import dev.nines.sim.SimServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One real agent per simulated server, in this JVM, as {@code nines agent --endpoint <sim url> --gpu
 * sim:<sim url> --interval 1s} would run it: its own local HTTP and agent-check ports (ephemeral),
 * its own spool directory. Agent {@code i} has id {@code host-<i+1>} and stands behind HAProxy's
 * server {@code s<i+1>}.
 */
final class Agents implements AutoCloseable {
  /** Report interval of drill agents. */
  static final Duration INTERVAL = Duration.ofSeconds(1);

  private final List<Agent> agents;
  private final List<SimServer> sims;

  private Agents(List<Agent> agents, List<SimServer> sims) {
    this.agents = List.copyOf(agents);
    this.sims = List.copyOf(sims);
  }

  /**
   * Starts an agent for each server, reporting to {@code backendUrl} with {@code token} (an agent or
   * admin token), labelled with {@code pool}; spools under {@code dir/agent-<id>}.
   */
  static Agents start(List<SimServer> sims, String backendUrl, String token, String pool, Path dir) {
    return start(sims, backendUrl, token, pool, dir, INTERVAL);
  }

  /** As {@link #start(List, String, String, String, Path)}, reporting every {@code interval}. */
  static Agents start(
      List<SimServer> sims, String backendUrl, String token, String pool, Path dir, Duration interval) {
    return start(sims, i -> List.of(backendUrl), token, pool, dir, interval);
  }

  /**
   * Agents of several backend replicas, as {@code nines agent --server a,b,c}: agent {@code i}
   * gets {@code backendUrls} rotated left by {@code i} (so the agents start on different replicas
   * and fail over in different orders), reporting every {@link #INTERVAL}.
   */
  static Agents startReplicated(List<SimServer> sims, List<String> backendUrls, String token, String pool, Path dir) {
    return start(sims, i -> rotated(backendUrls, i), token, pool, dir, INTERVAL);
  }

  /** {@code urls} rotated left by {@code by}: {@code [a, b, c]} by 1 is {@code [b, c, a]}. Pure. */
  static List<String> rotated(List<String> urls, int by) {
    List<String> out = new ArrayList<>();
    for (int k = 0; k < urls.size(); k++) {
      out.add(urls.get((k + by) % urls.size()));
    }
    return out;
  }

  private static Agents start(
      List<SimServer> sims, java.util.function.IntFunction<List<String>> backendUrls, String token, String pool,
      Path dir, Duration interval) {
    Clock clock = Clock.systemUTC();
    List<Agent> started = new ArrayList<>();
    try {
      for (int i = 0; i < sims.size(); i++) {
        SimServer sim = sims.get(i);
        String id = "host-" + (sim.index() + 1);
        AgentSettings settings = AgentSettings.builder(id)
            .servers(backendUrls.apply(i).stream().map(URI::create).toList())
            .token(token)
            .labels(Map.of("pool", pool))
            .endpoints(List.of(URI.create(sim.baseUrl())))
            .gpu("sim:" + sim.baseUrl())
            .interval(interval)
            .bind("127.0.0.1")
            .port(0)
            .agentCheckPort(0)
            .spoolDir(dir.resolve("agent-" + id))
            .build();
        started.add(Agent.start(settings, new OshiHostCollector(clock), AgentHttp.create(Duration.ofSeconds(2)),
            clock));
      }
    } catch (IOException | RuntimeException e) {
      started.forEach(Agent::close);
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot start the agents", io);
      }
      throw (RuntimeException) e;
    }
    return new Agents(started, sims);
  }

  List<Agent> agents() {
    return agents;
  }

  Agent agent(int index) {
    return agents.get(index);
  }

  /** The host ids, {@code host-1..host-N}. */
  List<String> ids() {
    return agents.stream().map(Agent::id).toList();
  }

  /**
   * HAProxy's servers {@code s1..sN}: each simulated server with its agent's agent-check port, so
   * the agent's {@code drain}/{@code maint}/{@code ready} answers steer HAProxy.
   */
  List<Haproxy.Server> haproxyServers() {
    List<Haproxy.Server> out = new ArrayList<>();
    for (int i = 0; i < sims.size(); i++) {
      out.add(new Haproxy.Server("s" + (sims.get(i).index() + 1), sims.get(i).port(), agents.get(i).agentCheckPort()));
    }
    return out;
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (Agent a : agents) {
      try {
        a.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
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

package dev.nines.agent.local;

import dev.nines.agent.ship.DesiredState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HAProxy agent-check responder: for every TCP connection it writes the desired state's {@link
 * dev.nines.protocol.RoutingState#agentCheckReply()} ({@code ready up}, {@code drain} or {@code
 * maint}) plus a newline, and closes. HAProxy configuration: {@code server s1 10.0.0.5:8000 check
 * agent-check agent-port 7072 agent-inter 2s} ({@code agent-inter} at most 5 s, see below).
 *
 * <p>While ACTIVE it says {@code ready up} for {@link #READY_WINDOW} after it became ACTIVE (or
 * started), which lifts a {@code drain} or {@code maint} it said before, and plain {@code up}
 * afterwards: HAProxy's {@code ready} also cancels a drain that the backend set over HAProxy's
 * runtime API, which this agent hears of only in the reply to its next report. So an agent in
 * steady rotation never undoes a runtime-API drain, and one coming back from a drain lifts its own
 * (HAProxy asks it every {@code agent-inter}: several times within the window).
 *
 * <p>One daemon thread accepts and answers connections one at a time; an answer is a single small
 * write, so one slow peer cannot hold the loop (a 1 s socket timeout bounds it anyway).
 */
public final class AgentCheckResponder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentCheckResponder.class);
  private static final int SOCKET_TIMEOUT_MS = 1000;
  /** How long after becoming ACTIVE (or starting) the answer is {@code ready up}, then {@code up}. */
  public static final java.time.Duration READY_WINDOW = java.time.Duration.ofSeconds(15);

  private final java.time.Clock clock;
  private dev.nines.protocol.RoutingState lastState;
  private long activeSinceMs;

  private final ServerSocket socket;
  private final DesiredState desired;
  private final Thread thread;
  private volatile boolean closed;

  private AgentCheckResponder(ServerSocket socket, DesiredState desired, java.time.Clock clock) {
    this.clock = clock;
    this.socket = socket;
    this.desired = desired;
    this.thread = new Thread(this::acceptLoop, "nines-agent-check");
    this.thread.setDaemon(true);
  }

  /**
   * Binds and starts answering.
   *
   * @param bind address and port (port 0: an ephemeral port, see {@link #port()})
   * @throws IOException when the address cannot be bound
   */
  public static AgentCheckResponder start(InetSocketAddress bind, DesiredState desired)
      throws IOException {
    return start(bind, desired, java.time.Clock.systemUTC());
  }

  /** As {@link #start(InetSocketAddress, DesiredState)}, timing the ready window on {@code clock}. */
  public static AgentCheckResponder start(InetSocketAddress bind, DesiredState desired, java.time.Clock clock)
      throws IOException {
    if (bind == null || desired == null || clock == null) {
      throw new IllegalArgumentException("bind, desired and clock are required");
    }
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(bind, 16);
    AgentCheckResponder responder = new AgentCheckResponder(server, desired, clock);
    responder.thread.start();
    log.info("HAProxy agent-check responder on {}", server.getLocalSocketAddress());
    return responder;
  }

  /** The bound port (the real one when started with port 0). */
  public int port() {
    return socket.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      try (Socket client = socket.accept()) {
        answer(client);
      } catch (SocketException e) {
        if (!closed) {
          log.warn("agent-check connection failed: {}", e.toString());
        }
      } catch (IOException e) {
        log.warn("agent-check connection failed: {}", e.toString());
      } catch (RuntimeException e) {
        log.error("agent-check responder error", e);
      }
    }
  }

  private void answer(Socket client) throws IOException {
    client.setSoTimeout(SOCKET_TIMEOUT_MS);
    client.setTcpNoDelay(true);
    byte[] reply = (reply() + "\n").getBytes(StandardCharsets.US_ASCII);
    OutputStream out = client.getOutputStream();
    out.write(reply);
    out.flush();
    client.shutdownOutput();
    // HAProxy may have sent an agent-send string: consume what already arrived, so that closing
    // does not reset the connection before the peer has read the reply.
    InputStream in = client.getInputStream();
    int available = in.available();
    if (available > 0) {
      in.skipNBytes(Math.min(available, 4096));
    }
  }

  /** The word for the current state; see the class comment. Called by the one accepting thread. */
  synchronized String reply() {
    dev.nines.protocol.RoutingState state = desired.state();
    long now = clock.millis();
    if (state != lastState) {
      lastState = state;
      activeSinceMs = now;
    }
    if (state == dev.nines.protocol.RoutingState.ACTIVE && now - activeSinceMs >= READY_WINDOW.toMillis()) {
      return "up";
    }
    return state.agentCheckReply();
  }

  /** Stops accepting and waits (up to 2 s) for the thread to end. */
  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("closing agent-check socket: {}", e.toString());
    }
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

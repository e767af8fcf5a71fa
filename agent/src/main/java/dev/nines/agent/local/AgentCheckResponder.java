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
 * agent-check agent-port 7072 agent-inter 2s}.
 *
 * <p>One daemon thread accepts and answers connections one at a time; an answer is a single small
 * write, so one slow peer cannot hold the loop (a 1 s socket timeout bounds it anyway).
 */
public final class AgentCheckResponder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentCheckResponder.class);
  private static final int SOCKET_TIMEOUT_MS = 1000;

  private final ServerSocket socket;
  private final DesiredState desired;
  private final Thread thread;
  private volatile boolean closed;

  private AgentCheckResponder(ServerSocket socket, DesiredState desired) {
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
    if (bind == null || desired == null) {
      throw new IllegalArgumentException("bind and desired are required");
    }
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(bind, 16);
    AgentCheckResponder responder = new AgentCheckResponder(server, desired);
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
    byte[] reply = (desired.state().agentCheckReply() + "\n").getBytes(StandardCharsets.US_ASCII);
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

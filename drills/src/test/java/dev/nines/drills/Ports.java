package dev.nines.drills;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for processes that must be told their port before they start (HAProxy). */
final class Ports {
  private Ports() {}

  /**
   * A port that was free a moment ago: bound on 127.0.0.1 as port 0, then closed. Another process
   * may take it in between; the window is small and a clash fails the start loudly.
   */
  static int free() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free loopback port", e);
    }
  }
}

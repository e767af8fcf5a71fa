package dev.nines.agent.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URLConnection;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's HTTP client: blocking HTTP/1.1 exchanges over {@link HttpURLConnection}, with
 * keep-alive, a cap on the answer's size and a limit on the whole exchange.
 *
 * <p>Why not the JDK's {@code HttpClient}: on the agent's few small loopback requests per
 * cycle it spent about four times the CPU, loaded some 190 more classes and ran a selector thread
 * and a timer thread of its own. {@code HttpURLConnection} only loads TLS for {@code https://}.
 *
 * <p>Limits: the connect timeout is the smaller of the client's and what is left of the request's
 * timeout. Until the status line and headers arrive, a shared watchdog thread closes the
 * connection at the request's deadline, so a server that accepts and never answers costs the
 * request's timeout and no more. While the body is read, the deadline is checked after every read,
 * and each read waits at most the request's timeout. Either way the exchange fails with a {@link
 * RequestTimeoutException} ("no answer within N ms").
 *
 * <p>Thread-safe; one client serves the whole agent. {@link #workers()} runs exchanges that a
 * caller wants in parallel (the probes of one model server).
 */
public final class AgentHttp {
  /** Bytes read from the socket at a time. */
  private static final int CHUNK = 8192;

  /** Closes connections whose headers are late; one daemon thread for every client. */
  private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

  private static final AtomicInteger WORKER_IDS = new AtomicInteger();

  private final Duration connectTimeout;
  private final ExecutorService workers;

  private AgentHttp(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
    // Threads are made on demand and kept a minute: the probes of one interval use two or three,
    // and the next interval finds them again. A request stuck past its deadline (at most one more
    // timeout) takes a thread of its own rather than delaying the next interval's.
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            0, 64, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), AgentHttp::workerThread);
    this.workers = pool;
  }

  /**
   * A client.
   *
   * @param connectTimeout the longest wait for a TCP (and TLS) connection; positive
   */
  public static AgentHttp create(Duration connectTimeout) {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive (was " + connectTimeout + ")");
    }
    return new AgentHttp(connectTimeout);
  }

  /** The connect timeout. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * Daemon threads for exchanges a caller runs in parallel; made on demand, kept a minute when
   * idle. Not to be shut down by callers.
   */
  public ExecutorService workers() {
    return workers;
  }

  /**
   * Sends {@code request} and reads the whole answer, whatever its status. Redirects are not
   * followed (a 3xx is returned as it is); nothing is cached.
   *
   * @throws RequestTimeoutException when the connection or the answer took longer than allowed
   * @throws java.net.ConnectException when the server refused the connection
   * @throws IOException when the exchange failed otherwise, or the answer was larger than {@link
   *     Request#maxResponseBytes()} ("answer larger than N bytes")
   * @throws InterruptedException when the calling thread was interrupted before the request was
   *     sent (the exchange itself cannot be interrupted; it is bounded by its timeout)
   */
  public Response send(Request request) throws IOException, InterruptedException {
    Objects.requireNonNull(request, "request");
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted before " + request.method() + " " + request.uri());
    }
    long timeoutNanos = request.timeout().toNanos();
    long deadline = System.nanoTime() + timeoutNanos;
    URLConnection opened = request.uri().toURL().openConnection();
    if (!(opened instanceof HttpURLConnection)) {
      throw new IOException("not an http(s) URL: " + request.uri());
    }
    HttpURLConnection connection = (HttpURLConnection) opened;
    connection.setInstanceFollowRedirects(false);
    connection.setUseCaches(false);
    connection.setConnectTimeout(
        (int) Math.max(1, Math.min(connectTimeout.toMillis(), request.timeout().toMillis())));
    connection.setReadTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, request.timeout().toMillis())));
    connection.setRequestMethod(request.method());
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      connection.setRequestProperty(header.getKey(), header.getValue());
    }
    byte[] body = request.body();
    if (body != null) {
      // Not in streaming mode: HttpURLConnection then sends a request again, once, when a kept-alive
      // connection turns out to have been closed by the server in the meantime.
      connection.setDoOutput(true);
    }

    Exchange exchange = new Exchange(connection);
    ScheduledFuture<?> watchdog =
        WATCHDOG.schedule(exchange::expire, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    boolean connected = false;
    try {
      connection.connect();
      connected = true;
      if (exchange.expired()) {
        throw timeout(request); // the watchdog came while the connection was being made
      }
      if (body != null) {
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body);
        }
      }
      int status = connection.getResponseCode();
      if (!exchange.headersArrived()) {
        throw timeout(request);
      }
      if (status < 0) {
        throw new IOException("not an HTTP answer from " + request.uri());
      }
      InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      byte[] bytes = in == null ? new byte[0] : readCapped(in, connection, request, deadline);
      return new Response(
          status,
          connection.getHeaderField("Content-Type"),
          connection.getHeaderField("Retry-After"),
          bytes);
    } catch (RequestTimeoutException e) {
      connection.disconnect();
      throw e;
    } catch (SocketTimeoutException e) {
      connection.disconnect();
      if (!connected) {
        throw new RequestTimeoutException(
            "could not connect within " + connection.getConnectTimeout() + " ms", true);
      }
      throw timeout(request);
    } catch (IOException e) {
      connection.disconnect();
      if (exchange.expired()) {
        throw timeout(request);
      }
      throw e;
    } finally {
      watchdog.cancel(false);
    }
  }

  /** Reads the whole stream, failing past the size cap or the deadline; closes the stream. */
  private static byte[] readCapped(
      InputStream in, HttpURLConnection connection, Request request, long deadline)
      throws IOException {
    int limit = request.maxResponseBytes();
    long announced = connection.getContentLengthLong();
    boolean complete = false;
    try {
      if (announced > limit) {
        throw new IOException("answer larger than " + limit + " bytes");
      }
      ByteArrayOutputStream buffer =
          new ByteArrayOutputStream(announced >= 0 ? (int) announced : 512);
      byte[] chunk = new byte[(int) Math.min(CHUNK, (long) limit + 1)];
      while (true) {
        int n = in.read(chunk);
        if (n < 0) {
          complete = true;
          return buffer.toByteArray();
        }
        if (buffer.size() + n > limit) {
          throw new IOException("answer larger than " + limit + " bytes");
        }
        buffer.write(chunk, 0, n);
        if (System.nanoTime() - deadline > 0) {
          throw timeout(request);
        }
      }
    } finally {
      if (complete) {
        in.close(); // fully read: the connection goes back to the keep-alive cache
      } else {
        connection.disconnect(); // part of an answer is left: the connection cannot be reused
      }
    }
  }

  private static RequestTimeoutException timeout(Request request) {
    return new RequestTimeoutException(
        "no answer within " + request.timeout().toMillis() + " ms", false);
  }

  /**
   * Where one exchange stands, shared with the watchdog: it may close the connection only until
   * the headers arrived (closing it later would wait for a read in progress to end).
   */
  private static final class Exchange {
    private static final int WAITING = 0;
    private static final int READING = 1;
    private static final int EXPIRED = 2;

    private final HttpURLConnection connection;
    private final AtomicInteger state = new AtomicInteger(WAITING);

    Exchange(HttpURLConnection connection) {
      this.connection = connection;
    }

    /** Called once the headers are in; false when the watchdog came first. */
    boolean headersArrived() {
      return state.compareAndSet(WAITING, READING);
    }

    boolean expired() {
      return state.get() == EXPIRED;
    }

    /** The deadline passed: closes the connection unless its answer is being read. */
    void expire() {
      if (state.compareAndSet(WAITING, EXPIRED)) {
        connection.disconnect();
      }
    }
  }

  private static ScheduledThreadPoolExecutor watchdog() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "nines-agent-http-watchdog");
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true); // cancelled deadlines leave the queue at once
    return executor;
  }

  private static Thread workerThread(Runnable r) {
    Thread t = new Thread(r, "nines-agent-http-" + WORKER_IDS.incrementAndGet());
    t.setDaemon(true);
    return t;
  }
}

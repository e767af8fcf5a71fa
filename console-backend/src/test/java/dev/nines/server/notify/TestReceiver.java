package dev.nines.server.notify;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real webhook receiver for tests (the JDK's HttpServer on a loopback port), scripted request by
 * request: {@code ok}, {@code 500}, {@code 503}, {@code 400}, {@code 429:<Retry-After>}, {@code
 * hang} (takes the message, then answers only when released or after 30 s). Idempotent like a
 * careful receiver: a message (by {@code X-Nines-Event-Id}) is processed once; a copy is answered
 * 200 and counted as a duplicate. Every signature is checked.
 */
public final class TestReceiver implements AutoCloseable {
  /** One request as it arrived. */
  public record Arrival(String eventId, String timestamp, String body, boolean signatureValid, String answer) {}

  private final String secret;
  private final Deque<String> script = new ConcurrentLinkedDeque<>();
  private final List<Arrival> arrivals = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Integer> processed = Collections.synchronizedMap(new LinkedHashMap<>());
  private final AtomicInteger duplicates = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile String fallback = "ok";
  private HttpServer server;
  private ExecutorService executor;
  private int port;

  /** @param secret the shared secret, or null to expect unsigned requests */
  public TestReceiver(String secret) {
    this.secret = secret;
  }

  /** Listens on {@code port} (0: any free port). */
  public synchronized TestReceiver start(int port) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    this.port = server.getAddress().getPort();
    return this;
  }

  /** Stops listening (later connections are refused); the port is kept for {@link #start(int)}. */
  public synchronized void stop() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "http://127.0.0.1:" + port + "/hook";
  }

  /** Answers to the next requests, in order; after them, {@link #otherwise}. */
  public TestReceiver then(String... answers) {
    script.addAll(List.of(answers));
    return this;
  }

  /** The answer once the script is used up ({@code ok} at first). */
  public TestReceiver otherwise(String answer) {
    fallback = answer;
    return this;
  }

  /** Lets hanging requests answer. */
  public void release() {
    release.countDown();
  }

  public List<Arrival> arrivals() {
    synchronized (arrivals) {
      return List.copyOf(arrivals);
    }
  }

  /** Event ids processed, in the order they were first processed, with how often (always 1). */
  public Map<String, Integer> processed() {
    synchronized (processed) {
      return new LinkedHashMap<>(processed);
    }
  }

  public int duplicates() {
    return duplicates.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    String eventId = ex.getRequestHeaders().getFirst(Signer.EVENT_ID_HEADER);
    String ts = ex.getRequestHeaders().getFirst(Signer.TIMESTAMP_HEADER);
    String sig = ex.getRequestHeaders().getFirst(Signer.SIGNATURE_HEADER);
    boolean valid = secret == null ? sig == null : Signer.verify(secret, ts, body, sig);
    String answer = script.pollFirst();
    if (answer == null) {
      answer = fallback;
    }
    arrivals.add(new Arrival(eventId, ts, new String(body, UTF_8), valid, answer));
    int status;
    switch (answer.split(":")[0]) {
      case "ok" -> status = process(eventId);
      case "hang" -> {
        process(eventId);
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        status = 200;
      }
      case "429" -> {
        ex.getResponseHeaders().add("Retry-After", answer.substring(4));
        status = 429;
      }
      default -> status = Integer.parseInt(answer);
    }
    byte[] reply = ("{\"answer\":\"" + answer + "\"}").getBytes(UTF_8);
    try {
      ex.sendResponseHeaders(status, reply.length);
      ex.getResponseBody().write(reply);
    } catch (IOException e) {
      // the sender gave up (timeout): nothing to answer
    } finally {
      ex.close();
    }
  }

  private int process(String eventId) {
    synchronized (processed) {
      if (processed.containsKey(eventId)) {
        duplicates.incrementAndGet();
      } else {
        processed.put(eventId, 1);
      }
    }
    return 200;
  }

  @Override
  public void close() {
    release();
    stop();
  }
}

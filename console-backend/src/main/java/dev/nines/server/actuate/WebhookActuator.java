package dev.nines.server.actuate;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.protocol.RoutingState;
import dev.nines.server.notify.Signer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;



import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;



/**
 * Tells an outside system (a Kubernetes operator, another load balancer) about each routing
 * transition: a signed JSON POST. It cannot observe what the receiver did, so the {@link Reconciler}
 * re-sends only after a failure.
 *
 * <p>The request: body {@code {"pool","host","state","reason","at"}} (state is the routing state's
 * name, at an ISO-8601 instant); headers {@code Content-Type: application/json}, {@code
 * X-Nines-Timestamp: <epoch ms>} and {@code X-Nines-Signature: sha256=<hex HMAC-SHA256 of
 * "<timestamp>.<body>" with the shared secret>}. A receiver checks it with {@link #verify} and should
 * also refuse timestamps far from its own clock (replays). Any 2xx answer means applied; anything
 * else, or no answer within the timeout, is a failure.
 */
public final class WebhookActuator implements Actuator {
  /** Header carrying the signing time in epoch milliseconds. */
  public static final String TIMESTAMP_HEADER = "X-Nines-Timestamp";
  /** Header carrying {@code sha256=<hex>}. */
  public static final String SIGNATURE_HEADER = "X-Nines-Signature";
  /** Default bound on connecting and on the whole request. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final URI url;
  private final String secret;
  private final Clock clock;
  private final Duration timeout;
  private final HttpClient http;

  /** A webhook with the default timeout. */
  public WebhookActuator(String name, URI url, String secret, Clock clock) {
    this(name, url, secret, clock, DEFAULT_TIMEOUT);
  }

  /**
   * @param name a short name for status and metrics, e.g. {@code webhook:k8s}
   * @param url an http or https URL
   * @param secret the shared HMAC secret (not blank)
   * @param clock the source of {@code at} and the timestamp header
   * @param timeout bound on connecting and on the whole request
   */
  public WebhookActuator(String name, URI url, String secret, Clock clock, Duration timeout) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    if (url == null
        || url.getScheme() == null
        || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
        || url.getHost() == null) {
      throw new IllegalArgumentException("url must be an http or https URL: " + url);
    }
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException("secret must not be blank");
    }
    if (clock == null) {
      throw new IllegalArgumentException("clock must not be null");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    this.name = name;
    this.url = url;
    this.secret = secret;
    this.clock = clock;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  private volatile java.util.function.LongSupplier fencingToken = () -> 0;

  /** The leader's fencing token to send with each request ({@code X-Nines-Fencing-Token}; 0: none). */
  public void fencedBy(java.util.function.LongSupplier token) {
    this.fencingToken = token;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void apply(Target target, RoutingState desired, String reason) throws ActuatorException {
    Instant now = clock.instant();
    String body = body(target, desired, reason, now);
    String timestamp = Long.toString(now.toEpochMilli());
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header(TIMESTAMP_HEADER, timestamp)
            .header(SIGNATURE_HEADER, sign(secret, timestamp, body));
    long token = fencingToken.getAsLong();
    if (token > 0) {
      builder.header(dev.nines.server.notify.DeliveryWorker.FENCING_TOKEN_HEADER, Long.toString(token));
    }
    HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofString(body, UTF_8)).build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
    } catch (HttpTimeoutException e) {
      throw new ActuatorException(
          name + ": POST " + url + " for host " + target + ": no answer within " + timeout.toMillis() + " ms",
          e);
    } catch (IOException e) {
      throw new ActuatorException(
          name + ": POST " + url + " for host " + target + ": " + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage()),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ActuatorException(name + ": POST " + url + " for host " + target + ": interrupted", e);
    }
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      String text = response.body() == null ? "" : response.body().strip();
      if (text.length() > 200) {
        text = text.substring(0, 200) + "...";
      }
      throw new ActuatorException(
          name + ": POST " + url + " for host " + target + " answered " + status
              + (text.isEmpty() ? "" : ": " + text));
    }
  }

  /** Always empty: a webhook cannot tell what its receiver did. */
  @Override
  public Optional<AdminState> observe(Target target) {
    return Optional.empty();
  }

  /** The JSON body for one transition, fields in a fixed order. */
  static String body(Target target, RoutingState desired, String reason, Instant at) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pool", target.pool());
    m.put("host", target.hostId());
    m.put("state", desired.name());
    m.put("reason", reason == null ? "" : reason);
    m.put("at", at.toString());
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a map of strings as JSON", e);
    }
  }

  /** {@code sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>}, all UTF-8. */
  public static String sign(String secret, String timestamp, String body) {
    return Signer.sign(secret, timestamp, body.getBytes(UTF_8));
  }

  /**
   * For receivers and tests: whether {@code signatureHeader} is the signature of this timestamp and
   * body under the secret. Compares in constant time. Does not judge the timestamp's age.
   */
  public static boolean verify(String secret, String timestamp, String body, String signatureHeader) {
    return Signer.verify(secret, timestamp, body == null ? null : body.getBytes(UTF_8), signatureHeader);
  }

  @Override
  public String toString() {
    return name + " (" + url + ")";
  }
}

package dev.nines.agent.probe;

import java.time.Duration;

/**
 * How the agent probes one model server. Built once, validated, frozen.
 *
 * <p>A path is either relative to the endpoint's base URL (starting with {@code /}) or a whole
 * {@code http(s)://} URL, for servers that publish metrics on another port (Triton: {@code
 * http://host:8002/metrics}).
 *
 * @param healthPath the health page; null picks it automatically: {@code /health} (vLLM, TGI),
 *     then {@code /v2/health/ready} (Triton) when {@code /health} answers 404
 * @param metricsPath the Prometheus page; null means {@code /metrics}
 * @param generation whether to send the one-token generation probe
 * @param model the model to name in the generation probe; null means the first id listed by
 *     {@code GET /v1/models} (looked up once, again after the server refuses the model)
 * @param healthTimeout limit for the health probe; null means 2 s
 * @param generationTimeout limit for the generation probe (model lookup included); null means 10 s
 * @param scrapeTimeout limit for the metrics scrape; null means 2 s
 */
public record ProbeSettings(
    String healthPath,
    String metricsPath,
    boolean generation,
    String model,
    Duration healthTimeout,
    Duration generationTimeout,
    Duration scrapeTimeout) {

  /** Default metrics page. */
  public static final String DEFAULT_METRICS_PATH = "/metrics";

  /** Default health-probe limit. */
  public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(2);

  /** Default generation-probe limit. */
  public static final Duration DEFAULT_GENERATION_TIMEOUT = Duration.ofSeconds(10);

  /** Default scrape limit. */
  public static final Duration DEFAULT_SCRAPE_TIMEOUT = Duration.ofSeconds(2);

  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

  public ProbeSettings {
    healthPath = path("probe.healthPath", healthPath);
    metricsPath = metricsPath == null ? DEFAULT_METRICS_PATH : path("probe.metricsPath", metricsPath);
    if (model != null && (model.isBlank() || model.length() > 256)) {
      throw new IllegalArgumentException("probe.model must be 1-256 characters when given");
    }
    healthTimeout = timeout("probe.healthTimeout", healthTimeout, DEFAULT_HEALTH_TIMEOUT);
    generationTimeout =
        timeout("probe.generationTimeout", generationTimeout, DEFAULT_GENERATION_TIMEOUT);
    scrapeTimeout = timeout("probe.scrapeTimeout", scrapeTimeout, DEFAULT_SCRAPE_TIMEOUT);
  }

  /** Automatic health path, {@code /metrics}, generation on, model looked up, default limits. */
  public static ProbeSettings defaults() {
    return new ProbeSettings(null, null, true, null, null, null, null);
  }

  public ProbeSettings withHealthPath(String value) {
    return new ProbeSettings(
        value, metricsPath, generation, model, healthTimeout, generationTimeout, scrapeTimeout);
  }

  public ProbeSettings withMetricsPath(String value) {
    return new ProbeSettings(
        healthPath, value, generation, model, healthTimeout, generationTimeout, scrapeTimeout);
  }

  public ProbeSettings withGeneration(boolean value) {
    return new ProbeSettings(
        healthPath, metricsPath, value, model, healthTimeout, generationTimeout, scrapeTimeout);
  }

  public ProbeSettings withModel(String value) {
    return new ProbeSettings(
        healthPath, metricsPath, generation, value, healthTimeout, generationTimeout, scrapeTimeout);
  }

  public ProbeSettings withHealthTimeout(Duration value) {
    return new ProbeSettings(
        healthPath, metricsPath, generation, model, value, generationTimeout, scrapeTimeout);
  }

  public ProbeSettings withGenerationTimeout(Duration value) {
    return new ProbeSettings(
        healthPath, metricsPath, generation, model, healthTimeout, value, scrapeTimeout);
  }

  public ProbeSettings withScrapeTimeout(Duration value) {
    return new ProbeSettings(
        healthPath, metricsPath, generation, model, healthTimeout, generationTimeout, value);
  }

  /** The longest of the three limits: one probe of an endpoint takes at most about this long. */
  public Duration longestTimeout() {
    Duration longest = healthTimeout.compareTo(scrapeTimeout) >= 0 ? healthTimeout : scrapeTimeout;
    return generation && generationTimeout.compareTo(longest) > 0 ? generationTimeout : longest;
  }

  private static String path(String field, String value) {
    if (value == null) {
      return null;
    }
    boolean relative = value.startsWith("/");
    boolean absolute = value.startsWith("http://") || value.startsWith("https://");
    if (!relative && !absolute) {
      throw new IllegalArgumentException(
          field + " must start with / or be an http(s):// URL (was '" + clip(value) + "')");
    }
    if (value.length() > 512 || value.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      throw new IllegalArgumentException(
          field + " must be at most 512 characters without spaces (was '" + clip(value) + "')");
    }
    return value;
  }

  private static Duration timeout(String field, Duration value, Duration fallback) {
    if (value == null) {
      return fallback;
    }
    if (value.compareTo(Duration.ofMillis(1)) < 0 || value.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          field + " must be between 1 ms and 5 minutes (was " + value + ")");
    }
    return value;
  }

  private static String clip(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
